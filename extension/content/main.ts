import { browser } from 'wxt/browser';
import { MSG, type ContextMessage } from '../messaging/protocol';
import { BUNDLED_ADAPTERS } from './adapters';
import { injectSidebar, type SidebarHost } from './sidebar-host';
import { adapterFor, readContext } from './site-adapter';

const DEBOUNCE_MS = 120;

/**
 * Watches the EMR page for the open patient and the orders being placed, hands what it reads to
 * the background, and shows the sidebar while a patient is open. Runs in the page's isolated world.
 */
export function startContentScript(signal: AbortSignal): void {
  const adapter = adapterFor(BUNDLED_ADAPTERS, location.href);
  if (!adapter) return;
  let sidebar: SidebarHost | undefined;
  let lastSent: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const check = () => {
    timer = undefined;
    const context = readContext(document, adapter);
    const key = JSON.stringify(context ?? null);
    if (key === lastSent) return;
    lastSent = key;
    const message: ContextMessage = { type: MSG.context, context: context ?? null };
    browser.runtime.sendMessage(message).catch(() => {
      // Extension reloaded or background restarting: resend on the next change.
      lastSent = undefined;
    });
    if (context && !sidebar) sidebar = injectSidebar(browser.runtime.getURL('/sidebar.html'));
  };

  const observer = new MutationObserver(() => {
    if (timer === undefined) timer = setTimeout(check, DEBOUNCE_MS);
  });
  observer.observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
  check();

  signal.addEventListener('abort', () => {
    observer.disconnect();
    if (timer !== undefined) clearTimeout(timer);
    sidebar?.remove();
  });
}
