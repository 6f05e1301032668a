import type { PatientIdentifier } from '../domain/encounter';
import type { Decision } from '../domain/decision';

/**
 * Where decisions live. `save` resolves only once the decision is durable (IndexedDB commit),
 * and the panel confirms to the physician only after that. The same record is the outbox entry
 * that is later sent to the hospital exactly once.
 */
export interface DecisionStore {
  save(decision: Decision): Promise<void>;
  /** Every decision about this patient, oldest first (revisions included). */
  forPatient(patient: PatientIdentifier): Promise<Decision[]>;
}

/** The latest decision per card: a revision replaces what it revises. */
export function latestByCard(decisions: readonly Decision[]): Map<string, Decision> {
  const latest = new Map<string, Decision>();
  for (const d of decisions) {
    const prev = latest.get(d.card);
    if (!prev || prev.outcomeTimestamp <= d.outcomeTimestamp) latest.set(d.card, d);
  }
  return latest;
}
