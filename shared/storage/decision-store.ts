import type { Decision } from '../domain/decision';
import type { PatientIdentifier } from '../domain/encounter';
import type { DecisionStore } from '../decisions/store';
import { HurenDb } from './db';
import { decisionsInOrder, patientKey, toDecisionRow } from './rows';

/**
 * Decisions in the extension's Dexie database (the widget has its own store without Dexie: idb-stores.ts).
 * `save` resolves after the transaction commits, so a confirmed decision survives a crash.
 */
export class DexieDecisionStore implements DecisionStore {
  constructor(readonly db: HurenDb = new HurenDb()) {}

  async save(decision: Decision): Promise<void> {
    const row = await toDecisionRow(decision);
    // `add`, not `put`: a uuid is written once; saving the same decision twice is a bug upstream.
    await this.db.decisions.add(row);
  }

  async forPatient(patient: PatientIdentifier): Promise<Decision[]> {
    // Rows written by an older version are re-validated: one that no longer parses is left in place, not shown.
    return decisionsInOrder(await this.db.decisions.where('patientKey').equals(await patientKey(patient)).toArray());
  }
}
