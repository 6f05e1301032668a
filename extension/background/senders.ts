import { browser, type Browser } from 'wxt/browser';

export type Sender = Browser.runtime.MessageSender;

/** A message handler answers its own message types (a promise for the reply) and returns undefined for the rest. */
export type MessageHandler = (message: unknown, sender: Sender) => Promise<unknown> | undefined;

export function messageType(message: unknown): unknown {
  return (message as { type?: unknown } | null)?.type;
}

/** Our content script in an EMR tab (not one of our pages, which also run inside tabs). */
export function fromContentScript(sender: Sender): sender is Sender & { tab: { id: number } } {
  return sender.id === browser.runtime.id && typeof sender.tab?.id === 'number' && !sender.url?.startsWith(browser.runtime.getURL('/'));
}

/** One of our extension pages: the sidebar iframe, the options page. */
export function fromExtensionPage(sender: Sender): boolean {
  return sender.id === browser.runtime.id && !!sender.url?.startsWith(browser.runtime.getURL('/'));
}

/**
 * The sidebar: an extension page framed inside a tab we have host access to. The tab's URL is
 * only visible to us on EMR origins (declared or granted), so a page elsewhere that frames the
 * sidebar gets no tab to show.
 */
export function fromSidebar(sender: Sender): sender is Sender & { tab: { id: number } } {
  return fromExtensionPage(sender) && typeof sender.tab?.id === 'number' && !!sender.tab.url && !sender.tab.url.startsWith(browser.runtime.getURL('/'));
}
