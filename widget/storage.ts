import { IdbAuditLog } from '../shared/audit/idb-audit-log';
import { IdbDecisionStore } from '../shared/storage/idb-stores';
import { WidgetDb } from '../shared/storage/widget-db';
import type { StatsSource } from '../shared/stats/load';

/** The statistics' source over the widget's own database (the layout of shared/storage/widget-db.ts). */
export function widgetStatsSource(db: WidgetDb): StatsSource {
  const decisions = new IdbDecisionStore(db);
  const log = new IdbAuditLog(db);
  return {
    load: async (period) => ({ decisions: await decisions.all(), events: await log.list(period) }),
    retentionDays: () => log.retentionDays(),
    setRetentionDays: (days) => log.setRetentionDays(days),
  };
}
