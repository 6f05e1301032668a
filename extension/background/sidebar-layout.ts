import { browser } from 'wxt/browser';
import type { SidebarLayout } from '../messaging/protocol';
import type { Settings } from '../settings/settings';

/**
 * The sidebar's collapsed state, remembered per EMR origin (storage.local `sidebarCollapsed`):
 * a physician who folds it away on the order-entry system finds it folded there tomorrow, and
 * still open on the outpatient workstation. Only origins are kept, never a path or query.
 */
export const COLLAPSED_KEY = 'sidebarCollapsed';
/** Enough for every EMR of a hospital; the oldest entries go first. */
const MAX_ORIGINS = 50;

function originOf(url: string | undefined): string | undefined {
  try {
    const u = new URL(url ?? '');
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

async function readCollapsed(): Promise<string[]> {
  const value = (await browser.storage.local.get(COLLAPSED_KEY))[COLLAPSED_KEY];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export async function isCollapsed(tabUrl: string | undefined): Promise<boolean> {
  const origin = originOf(tabUrl);
  return !!origin && (await readCollapsed()).includes(origin);
}

export async function rememberCollapsed(tabUrl: string | undefined, collapsed: boolean): Promise<void> {
  const origin = originOf(tabUrl);
  if (!origin) return;
  const others = (await readCollapsed()).filter((o) => o !== origin);
  const next = collapsed ? [...others, origin].slice(-MAX_ORIGINS) : others;
  await browser.storage.local.set({ [COLLAPSED_KEY]: next });
}

/** How the sidebar sits on this tab: mode and size from the settings, collapsed from this origin's memory. */
export async function sidebarLayout(settings: Pick<Settings, 'sidebarMode' | 'sidebarSize'>, tabUrl: string | undefined): Promise<SidebarLayout> {
  return { mode: settings.sidebarMode, size: settings.sidebarSize, collapsed: await isCollapsed(tabUrl) };
}
