import { adapterFor, type SiteAdapter } from '../content/site-adapter';
import { MSG, type AdapterReply } from '../messaging/protocol';
import { BUNDLED_ADAPTERS } from '../settings/bundled-adapters';
import { loadSettings, type Settings } from '../settings/settings';
import { fromContentScript, messageType, type MessageHandler } from './senders';

/**
 * The adapter for a page: the hospital's adapters (policy or options page, validated by
 * loadSettings) first, then the bundled demo ones. The site's identifier system fills in for
 * an adapter that names none.
 */
export function chooseAdapter(settings: Settings, url: string): SiteAdapter | null {
  const adapter = adapterFor([...settings.adapters, ...BUNDLED_ADAPTERS], url);
  if (!adapter) return null;
  if (adapter.patient.identifierSystem || !settings.identifierSystem) return adapter;
  return { ...adapter, patient: { ...adapter.patient, identifierSystem: settings.identifierSystem } };
}

function sameOrigin(a: string, b: string | undefined): boolean {
  try {
    return b === undefined || new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** content script → background: "which adapter applies to this URL?" */
export const handleAdapterMessage: MessageHandler = (message, sender) => {
  if (messageType(message) !== MSG.adapterFor) return undefined;
  const url = (message as { url?: unknown }).url;
  // The URL comes from the page's location (it follows SPA route changes); its origin must be the tab's.
  if (!fromContentScript(sender) || typeof url !== 'string' || url.length > 4096 || !sameOrigin(url, sender.url)) {
    return Promise.resolve({ adapter: null } satisfies AdapterReply);
  }
  return loadSettings().then((settings): AdapterReply => ({ adapter: chooseAdapter(settings, url) }));
};
