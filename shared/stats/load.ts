import type { AuditEvent } from '../audit/event';
import { DexieAuditLog } from '../audit/dexie-audit-log';
import { Decision } from '../domain/decision';
import type { HurenDb } from '../storage/db';

/**
 * Reads what the statistics need from a Huren database (the extension's, or the widget's
 * 'huren-widget'). All decisions are read, not just the period's: a later revision replaces an
 * earlier outcome, so the period is applied after that (computeStats).
 */
export async function loadStatsData(db: HurenDb, period: { from: number; to: number }): Promise<{ decisions: Decision[]; events: AuditEvent[] }> {
  const rows = await db.decisions.orderBy('decidedAt').toArray();
  const decisions = rows.flatMap((r) => {
    const parsed = Decision.safeParse(r.decision);
    return parsed.success ? [parsed.data] : [];
  });
  const events = await new DexieAuditLog(db).list(period);
  return { decisions, events };
}
