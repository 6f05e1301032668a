import { browser } from 'wxt/browser';
import { adapterFor, frameReader, type SiteAdapter } from '../content/site-adapter';
import { MSG, type AdapterReply, type RefreshMessage } from '../messaging/protocol';
import { BUNDLED_ADAPTERS } from '../settings/bundled-adapters';
import { loadSettings, onSettingsChanged, type Settings } from '../settings/settings';
import { framesKey, perTab, readTabFrames } from './context-store';
import { recordFrame, whereOf } from './frame-merge';
import { fromContentScript, messageType, type MessageHandler } from './senders';

/**
 * The adapter for a page: the hospital's adapters (policy, hub or options page, validated by
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

/**
 * content script → background: "what do I read here?" The adapter is chosen by the top page's
 * address (the tab's, or for the top frame the page's own location, which follows SPA route
 * changes); the answer is this frame's share of it.
 */
export const handleAdapterMessage: MessageHandler = (message, sender) => {
  if (messageType(message) !== MSG.adapterFor) return undefined;
  const url = (message as { url?: unknown }).url;
  if (!fromContentScript(sender) || typeof url !== 'string' || url.length > 4096 || !sameOrigin(url, sender.url)) {
    return Promise.resolve({ reader: null } satisfies AdapterReply);
  }
  const frameId = sender.frameId ?? 0;
  const topUrl = frameId === 0 ? url : sender.tab.url;
  const where = whereOf(url);
  if (!topUrl || !where) return Promise.resolve({ reader: null } satisfies AdapterReply);
  const tabId = sender.tab.id;
  return loadSettings().then(async (settings): Promise<AdapterReply> => {
    const adapter = chooseAdapter(settings, topUrl);
    const reader = adapter && frameReader(adapter, where, frameId === 0);
    // Known frames are what the options page's test asks, and what a new top document clears.
    await perTab(tabId, async () => {
      await browser.storage.session.set({ [framesKey(tabId)]: recordFrame(await readTabFrames(tabId), frameId, sender.documentId, where) });
    });
    return { reader };
  });
};

/** Tells every frame of every tab to ask for its adapter again and report: used when the adapters change. */
export async function refreshAllTabs(): Promise<void> {
  const message: RefreshMessage = { type: MSG.refresh };
  const tabs = await browser.tabs.query({});
  await Promise.all(tabs.map((tab) => (tab.id === undefined ? undefined : browser.tabs.sendMessage(tab.id, message).catch(() => undefined))));
}

/** What open tabs depend on: the adapters and how the sidebar sits. */
function pageFacing(settings: Settings): string {
  return JSON.stringify([settings.adapters, settings.identifierSystem, settings.sidebarMode, settings.sidebarSize]);
}

/**
 * A saved adapter (options page), a policy push or a new hub configuration reaches open tabs at
 * once, not at their next navigation. Other setting changes (the hub's check time …) leave tabs alone.
 */
export function registerAdapterRefresh(): void {
  let last: string | undefined;
  void loadSettings().then((s) => (last ??= pageFacing(s)), () => undefined);
  onSettingsChanged(() => {
    void loadSettings()
      .then((settings) => {
        const now = pageFacing(settings);
        if (now === last) return;
        last = now;
        return refreshAllTabs();
      })
      .catch(() => undefined);
  });
}
