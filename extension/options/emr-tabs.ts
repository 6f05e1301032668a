import { browser } from 'wxt/browser';
import { adapterFor, type SiteAdapter } from '../content/site-adapter';

export interface EmrTab {
  id: number;
  title: string;
  url: string;
}

/**
 * Open tabs on sites Huren may run on, most recently used first. The options page is itself a tab,
 * so "the current tab" means the EMR tab the user was in last; the browser only tells us the URL of
 * tabs on enabled sites, which is exactly the list we want.
 */
export async function listEmrTabs(): Promise<EmrTab[]> {
  const tabs = await browser.tabs.query({});
  return tabs
    .filter((t) => typeof t.id === 'number' && /^https?:/.test(t.url ?? ''))
    .sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))
    .map((t) => ({ id: t.id!, title: t.title || t.url!, url: t.url! }));
}

/** The tab to test on by default: the last used one an adapter applies to, else the last used one. */
export function defaultTab(tabs: EmrTab[], adapters: SiteAdapter[]): EmrTab | undefined {
  return tabs.find((t) => adapterFor(adapters, t.url)) ?? tabs[0];
}
