import { browser } from 'wxt/browser';
import { MSG, type SyncHostsReply } from '../messaging/protocol';
import { fromExtensionPage, messageType, type MessageHandler } from './senders';

/**
 * EMR hosts are enabled at run time, never `<all_urls>`: the options page asks for one origin
 * (optional_host_permissions, in the user's click), and the content script is registered for
 * exactly the origins granted. The demo hosts are declared in the manifest instead, so the demo
 * and the end-to-end tests run without a permission prompt (automation cannot click one).
 */
export const RUNTIME_SCRIPT_ID = 'huren-emr';
/** The bundle WXT builds from entrypoints/emr.content.ts. */
export const CONTENT_SCRIPT_FILE = '/content-scripts/emr.js' as const;

/** Match patterns the manifest grants anyway (the demo hosts). */
function declaredHosts(): string[] {
  const manifest = browser.runtime.getManifest();
  const fromScripts = (manifest.content_scripts ?? []).flatMap((s) => s.matches ?? []);
  return [...new Set([...((manifest.host_permissions as string[] | undefined) ?? []), ...fromScripts])];
}

/** The origins the user (or an admin) granted at run time. */
export async function grantedOrigins(): Promise<string[]> {
  const declared = new Set(declaredHosts());
  const all = (await browser.permissions.getAll()).origins ?? [];
  return all.filter((o) => !declared.has(o)).sort();
}

/** Makes the registered content script match exactly the granted origins; returns them. */
export async function syncContentScripts(): Promise<string[]> {
  const origins = await grantedOrigins();
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [RUNTIME_SCRIPT_ID] });
  if (origins.length === 0) {
    if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [RUNTIME_SCRIPT_ID] });
    return origins;
  }
  const script = {
    id: RUNTIME_SCRIPT_ID,
    js: [CONTENT_SCRIPT_FILE],
    matches: origins,
    // A broad grant (say http://*/*) must not inject a second copy where the manifest already does.
    excludeMatches: declaredHosts(),
    runAt: 'document_idle' as const,
    // Frames from other enabled origins read their share of the adapter (see frame-merge.ts).
    allFrames: true,
    persistAcrossSessions: true,
  };
  if (existing.length > 0) await browser.scripting.updateContentScripts([script]);
  else await browser.scripting.registerContentScripts([script]);
  return origins;
}

/** Starts the content script in tabs already open on a newly granted origin (no reload needed). */
async function injectIntoOpenTabs(origins: string[]): Promise<void> {
  if (origins.length === 0) return;
  const tabs = await browser.tabs.query({ url: origins });
  await Promise.all(
    tabs.map((tab) =>
      tab.id === undefined
        ? undefined
        : browser.scripting.executeScript({ target: { tabId: tab.id }, files: [CONTENT_SCRIPT_FILE] }).catch(() => undefined),
    ),
  );
}

/** Registers the listeners that keep the content script registration in step with the grants. */
export function registerHostSync(): void {
  const sync = () => void syncContentScripts().catch(() => undefined);
  browser.runtime.onStartup.addListener(sync);
  browser.runtime.onInstalled.addListener(sync);
  browser.permissions.onAdded.addListener((added) => {
    void syncContentScripts()
      .then(() => injectIntoOpenTabs((added.origins ?? []).filter((o) => !declaredHosts().includes(o))))
      .catch(() => undefined);
  });
  browser.permissions.onRemoved.addListener(sync);
}

/** options page → background: re-sync now and tell me which origins are enabled. */
export const handleHostsMessage: MessageHandler = (message, sender) => {
  if (messageType(message) !== MSG.syncHosts) return undefined;
  if (!fromExtensionPage(sender)) return Promise.resolve({ origins: [] } satisfies SyncHostsReply);
  return syncContentScripts().then((origins): SyncHostsReply => ({ origins }));
};

