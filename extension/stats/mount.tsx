import { createRoot } from 'react-dom/client';
import { HurenDb } from '../../shared/storage/db';
import { StatsApp } from '../../shared/ui/stats/StatsView';
import { loadActivePacks } from '../settings/rule-packs';
import { loadSettings } from '../settings/settings';

/**
 * 互认统计 page: reads the extension's own IndexedDB (decisions and audit), which only
 * extension-origin pages can open. Packs give prices to decisions that lack one; a pack that
 * cannot be loaded only costs that fallback.
 */
export async function mountStats(el: HTMLElement): Promise<void> {
  const settings = await loadSettings();
  document.documentElement.lang = settings.locale;
  const packs = await loadActivePacks(settings).then(
    (a) => a.packs,
    () => [],
  );
  createRoot(el).render(<StatsApp db={new HurenDb()} packs={packs} locale={settings.locale} />);
}
