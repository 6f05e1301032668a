import { Decision } from '../domain/decision';
import { EXT } from '../domain/decision';
import type { PatientIdentifier } from '../domain/encounter';
import { inDecisionOrder, type DecisionStore } from '../decisions/store';
import { HurenDb, type DecisionRow } from './db';
import { patientKey } from './results-cache';

/**
 * Decisions in IndexedDB (extension origin for the extension; the host's origin for the widget).
 * `save` resolves after the transaction commits, so a confirmed decision survives a crash.
 */
export class DexieDecisionStore implements DecisionStore {
  constructor(readonly db: HurenDb = new HurenDb()) {}

  async save(decision: Decision): Promise<void> {
    const valid = Decision.parse(decision);
    const key = await patientKey(valid.extension[EXT].patient);
    const row: DecisionRow = {
      uuid: valid.uuid,
      card: valid.card,
      patientKey: key,
      decidedAt: Date.parse(valid.outcomeTimestamp),
      decision: valid,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: 0,
    };
    // `add`, not `put`: a uuid is written once; saving the same decision twice is a bug upstream.
    await this.db.decisions.add(row);
  }

  async forPatient(patient: PatientIdentifier): Promise<Decision[]> {
    const rows = await this.db.decisions.where('patientKey').equals(await patientKey(patient)).sortBy('decidedAt');
    // Rows written by an older version are re-validated: one that no longer parses is left in place, not shown.
    return inDecisionOrder(
      rows.flatMap((r) => {
        const parsed = Decision.safeParse(r.decision);
        return parsed.success ? [parsed.data] : [];
      }),
    );
  }
}
