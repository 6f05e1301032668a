import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { WidgetDb } from '../shared/storage/widget-db';
import type { RulePack } from '../shared/rules/schema/rule-pack';
import { StatsApp } from '../shared/ui/stats/StatsView';
import { WIDGET_DB } from './db-name';
import { loadPacks } from './packs';
import { widgetStatsSource } from './storage';

/** Options of `mountStats()`: which database (the widget's own by default), packs for prices (JSON or URLs, like the panel's), language. */
export const StatsMountOptions = z.object({
  db: z.string().min(1).default(WIDGET_DB),
  packs: z.array(z.union([z.string().min(1), z.record(z.string(), z.unknown())])).default([]),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
});
export type StatsMountOptions = z.input<typeof StatsMountOptions>;

export interface StatsHandle {
  unmount(): void;
}

/**
 * 互认统计 in the hospital's EMR: the statistics view over the widget's decisions and audit
 * (IndexedDB 'huren-widget' in the host's origin), in a shadow root like the panel.
 */
export function mountStats(el: HTMLElement, options: StatsMountOptions = {}): StatsHandle {
  const parsed = StatsMountOptions.safeParse(options);
  if (!parsed.success) throw new TypeError(`huren: invalid stats options: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`);
  const { db, packs, locale } = parsed.data;
  const shadow = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
  const container = document.createElement('div');
  shadow.replaceChildren(container);
  const database = new WidgetDb(db);
  const source = widgetStatsSource(database);
  const root = createRoot(container);
  let unmounted = false;
  const show = (resolved: readonly RulePack[]) => {
    if (!unmounted) root.render(<StatsApp source={source} packs={resolved} locale={locale} />);
  };
  const load = loadPacks(packs);
  if (load.ready) show(load.packs);
  else {
    // Prices come from the packs: without them the view still counts, so a pack that cannot be loaded is reported and left out.
    load.packs.then(show, (err: Error) => {
      console.error(err.message);
      show([]);
    });
  }
  return {
    unmount() {
      unmounted = true;
      root.unmount();
      database.close();
      shadow.replaceChildren();
    },
  };
}

