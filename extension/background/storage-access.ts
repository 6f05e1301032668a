import { browser } from 'wxt/browser';

type Area = { setAccessLevel?: (options: { accessLevel: 'TRUSTED_CONTEXTS' }) => Promise<void> } | undefined;

/**
 * Closes storage.local, .sync and .managed to content scripts where the browser allows it
 * (`StorageArea.setAccessLevel`, verified on Chromium 156; Chrome/Edge 109 and Firefox only have it
 * for storage.session, which is closed by default). Huren's content script uses no storage area, so
 * nothing it does changes; what changes is that code subverting it can neither read the settings
 * and a policy token nor rewrite the settings (e.g. point the platform or the hub elsewhere so a
 * token follows). Defence in depth: secrets are kept out of storage.local anyway (settings/secrets.ts).
 * Returns the areas closed.
 */
export async function closeStorageToContentScripts(storage: Record<'local' | 'sync' | 'managed', Area> = browser.storage as never): Promise<string[]> {
  const closed: string[] = [];
  for (const name of ['local', 'sync', 'managed'] as const) {
    const area = storage[name];
    if (typeof area?.setAccessLevel !== 'function') continue;
    try {
      await area.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
      closed.push(name);
    } catch {
      // This browser has the method but not for this area: its default stays.
    }
  }
  return closed;
}
