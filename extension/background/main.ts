import { browser } from 'wxt/browser';
import { handleAdapterMessage, registerAdapterRefresh } from './adapter-lookup';
import { forgetNavigated, forgetTab, handleMessage as handleContextMessage } from './context-store';
import { handleHostsMessage, registerHostSync } from './hosts';
import type { MessageHandler } from './senders';
import { handleStorageMessage } from './storage-bridge';
import { handleSyncMessage, registerSync } from './sync';
import { handleFleetMessage, registerFleetSync } from './fleet';
import { handleTabBridgeMessage } from './tab-bridge';
import { migrateIdCardSystem } from '../settings/migrate-id-card';
import { migrateSecrets, secretWritten } from '../settings/settings';
import { closeStorageToContentScripts } from './storage-access';
import { HurenDb } from '../../shared/storage/db';

/** Every runtime message handler; the first that claims a message answers it. Add new ones here. */
const MESSAGE_HANDLERS: MessageHandler[] = [handleContextMessage, handleAdapterMessage, handleTabBridgeMessage, handleHostsMessage, handleSyncMessage, handleFleetMessage, handleStorageMessage];

/**
 * Registers every listener synchronously at start-up: an MV3 service worker is woken by an
 * event and must have its listener in place before the first await.
 */
export function startBackground(): void {
  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    for (const handle of MESSAGE_HANDLERS) {
      const reply = handle(message, sender);
      if (!reply) continue;
      reply.then(sendResponse, () => sendResponse({ ok: false }));
      return true;
    }
    return false;
  });
  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
  // A navigation off the EMR's origin forgets the tab's encounter and its sidebar at once. The tab's
  // own URL decides, not the change: `loading` also comes for the EMR's frames loading (the URL
  // unchanged: kept, or the sidebar lost its binding mid-encounter), and the move to an origin
  // without host access shows no URL at all (the tab's is hidden then too: forgotten, at the
  // latest on `complete`).
  browser.tabs.onUpdated.addListener((tabId, change, tab) => {
    if (change.status !== undefined || change.url !== undefined) void forgetNavigated(tabId, change.url ?? tab.url);
  });
  registerHostSync();
  registerAdapterRefresh();
  registerSync();
  registerFleetSync();
  // Tokens an older version kept in storage.local (readable by content scripts) move to IndexedDB;
  // then, once per profile, the 身份证号 stored under …1.4 by Huren ≤ 0.1 moves to …1.3 (settings,
  // decisions, audit). One after the other: both rewrite the stored settings object.
  // Where the browser can, content scripts get no storage area at all (they use none).
  void closeStorageToContentScripts().catch(() => undefined);
  let moving = migrateSecrets()
    .catch(() => undefined)
    .then(() => migrateIdCardSystem(new HurenDb()))
    .catch(() => undefined);
  // A token written into storage.local later (a script, an older copy of the settings) moves at once, one move at a time.
  browser.storage.onChanged.addListener((changes, area) => {
    if (secretWritten(changes, area)) moving = moving.then(() => migrateSecrets()).catch(() => undefined);
  });
}
