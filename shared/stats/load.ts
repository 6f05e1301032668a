import type { AuditEvent } from '../audit/event';
import { DexieAuditLog } from '../audit/dexie-audit-log';
import { Decision } from '../domain/decision';
import type { HurenDb } from '../storage/db';

export type StatsData = { decisions: Decision[]; events: AuditEvent[] };

/**
 * Where the statistics view reads from and keeps the audit retention: the extension's Dexie
 * database (dexieStatsSource), or the widget's own IndexedDB database (widget/stats.tsx).
 */
export interface StatsSource {
  /** Every decision (by decision time) and the period's audit events. */
  load(period: { from: number; to: number }): Promise<StatsData>;
  retentionDays(): Promise<number>;
  setRetentionDays(days: number): Promise<number>;
}

/**
 * Reads what the statistics need from a Huren database (the extension's). All decisions are read,
 * not just the period's: a later revision replaces an earlier outcome, so the period is applied
 * after that (computeStats).
 */
export async function loadStatsData(db: HurenDb, period: { from: number; to: number }): Promise<StatsData> {
  const rows = await db.decisions.orderBy('decidedAt').toArray();
  const decisions = rows.flatMap((r) => {
    const parsed = Decision.safeParse(r.decision);
    return parsed.success ? [parsed.data] : [];
  });
  const events = await new DexieAuditLog(db).list(period);
  return { decisions, events };
}

/** The statistics' source over a Dexie HurenDb. */
export function dexieStatsSource(db: HurenDb): StatsSource {
  const log = new DexieAuditLog(db);
  return { load: (period) => loadStatsData(db, period), retentionDays: () => log.retentionDays(), setRetentionDays: (days) => log.setRetentionDays(days) };
}
