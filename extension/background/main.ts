import { browser } from 'wxt/browser';
import { forgetTab, handleMessage } from './context-store';

/**
 * Registers every listener synchronously at start-up: an MV3 service worker is woken by an
 * event and must have its listener in place before the first await.
 */
export function startBackground(): void {
  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    const reply = handleMessage(message, sender);
    if (!reply) return false;
    reply.then(sendResponse, () => sendResponse({ ok: false }));
    return true;
  });
  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
}
