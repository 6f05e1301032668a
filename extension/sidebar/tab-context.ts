import { browser } from 'wxt/browser';
import { StoredContext } from '../background/context-store';
import { contextKey, MSG, type WhoamiMessage, type WhoamiReply } from '../messaging/protocol';

/** Asks the background which tab this sidebar lives in (the sidebar URL carries nothing). */
export async function currentTabId(): Promise<number> {
  // The key the content script put in the fragment; presented once, then removed from the URL.
  const key = location.hash.slice(1);
  history.replaceState(null, '', location.pathname);
  const reply = (await browser.runtime.sendMessage({ type: MSG.whoami, key } satisfies WhoamiMessage)) as WhoamiReply | null;
  if (!reply) throw new Error('sidebar is not inside a tab');
  return reply.tabId;
}

/** Follows the encounter the content script read in this tab, as stored by the background. */
export function watchTabContext(tabId: number, onChange: (stored: StoredContext | null) => void): () => void {
  const key = contextKey(tabId);
  const parse = (value: unknown) => {
    const parsed = StoredContext.safeParse(value);
    onChange(parsed.success ? parsed.data : null);
  };
  const listener = (changes: Record<string, { newValue?: unknown }>) => {
    if (key in changes) parse(changes[key]!.newValue);
  };
  browser.storage.session.onChanged.addListener(listener);
  void browser.storage.session.get(key).then((items) => parse(items[key]));
  return () => browser.storage.session.onChanged.removeListener(listener);
}
