import { browser } from 'wxt/browser';
import { fromSidebar, type Sender } from './senders';

/**
 * Which sidebar document of a tab is Huren's own. The sidebar page is web-accessible (it must be,
 * to be framed in the EMR), so any page could frame a copy of it. A copy that Huren's content
 * script did not inject must never show the tab's patient or store a decision:
 *
 * 1. When the background tells a tab's top frame to show the sidebar, it issues a one-time key
 *    (kept in storage.session, which content scripts and pages cannot read); the content script
 *    puts it in the iframe's URL fragment (the iframe sits in a closed shadow root of a built-in
 *    element: the page cannot read its URL).
 * 2. The sidebar presents the key once (whoami); the background then binds the tab to that
 *    sidebar document (sender.documentId) and forgets the key.
 * 3. Every later request of a sidebar is answered only for the bound document of its tab; a
 *    navigation of the tab drops the binding (and the encounter) at once.
 */
const keyOf = (tabId: number) => `sidebar-key:${tabId}`;
const docOf = (tabId: number) => `sidebar-doc:${tabId}`;

/** The key for the next sidebar of this tab: the pending one, or a new one. */
export async function issueSidebarKey(tabId: number): Promise<string> {
  const pending = (await browser.storage.session.get(keyOf(tabId)))[keyOf(tabId)];
  if (typeof pending === 'string' && pending) return pending;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const key = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  await browser.storage.session.set({ [keyOf(tabId)]: key });
  return key;
}

/** The sidebar presents its key: true (and the document bound to the tab) only for the tab's pending key. */
export async function claimSidebar(sender: Sender, key: unknown): Promise<boolean> {
  if (!fromSidebar(sender) || typeof key !== 'string' || !key || typeof sender.documentId !== 'string') return false;
  const tabId = sender.tab.id;
  const pending = (await browser.storage.session.get(keyOf(tabId)))[keyOf(tabId)];
  if (pending !== key) return false;
  await browser.storage.session.remove(keyOf(tabId));
  await browser.storage.session.set({ [docOf(tabId)]: sender.documentId });
  return true;
}

/** A request from the sidebar document Huren injected in this tab (see above). */
export async function fromBoundSidebar(sender: Sender): Promise<boolean> {
  if (!fromSidebar(sender) || typeof sender.documentId !== 'string') return false;
  const bound = (await browser.storage.session.get(docOf(sender.tab.id)))[docOf(sender.tab.id)];
  return bound === sender.documentId;
}

/** The tab navigated or closed: no sidebar of it is trusted any more, no pending key either. */
export function forgetSidebar(tabId: number): Promise<void> {
  return browser.storage.session.remove([keyOf(tabId), docOf(tabId)]);
}
