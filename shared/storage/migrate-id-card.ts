import { ID_CARD_SYSTEM, LEGACY_ID_CARD_SYSTEM } from '../domain/codes';
import { EXT } from '../domain/decision';
import type { AuditRow, DecisionRow, HurenDb } from './db';
import { patientKey } from './rows';

/**
 * Huren up to 0.1 stored the 身份证号 under 2.16.156.10011.1.4, which WS/T 500 uses for staff
 * numbers; the national root is 2.16.156.10011.1.3. Rewrites stored decisions (and their patient key,
 * so the panel finds them under the new identifier) and audit events. Nothing is deleted: each row is
 * rewritten in place, in one transaction per table, and a second run finds nothing to do. Decisions
 * already sent keep their uuid, so a hub that has them does not count them twice.
 */
export async function migrateLegacyIdCardSystem(db: HurenDb): Promise<{ decisions: number; audit: number }> {
  const legacyDecisions = await db.decisions.filter((r) => r.decision.extension[EXT]?.patient?.system === LEGACY_ID_CARD_SYSTEM).toArray();
  // Keys are computed before the transaction: IndexedDB commits a transaction that awaits anything else.
  const decisions: DecisionRow[] = await Promise.all(
    legacyDecisions.map(async (row) => {
      const ext = row.decision.extension[EXT];
      const patient = { ...ext.patient, system: ID_CARD_SYSTEM };
      return { ...row, patientKey: await patientKey(patient), decision: { ...row.decision, extension: { ...row.decision.extension, [EXT]: { ...ext, patient } } } };
    }),
  );
  const audit: AuditRow[] = (await db.audit.filter((r) => r.event.patient?.system === LEGACY_ID_CARD_SYSTEM).toArray()).map((row) => ({
    ...row,
    event: { ...row.event, patient: { ...row.event.patient, system: ID_CARD_SYSTEM } },
  }));
  if (decisions.length) await db.transaction('rw', db.decisions, () => db.decisions.bulkPut(decisions));
  if (audit.length) await db.transaction('rw', db.audit, () => db.audit.bulkPut(audit));
  return { decisions: decisions.length, audit: audit.length };
}
