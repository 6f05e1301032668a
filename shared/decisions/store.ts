import type { PatientIdentifier } from '../domain/encounter';
import { EXT, type Decision } from '../domain/decision';

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


/**
 * Decisions in the order they were made: by time, and a revision always after the decision it
 * revises (two clicks can share a millisecond, clocks can step back).
 */
export function inDecisionOrder(decisions: readonly Decision[]): Decision[] {
  const sorted = [...decisions].sort((a, b) => a.outcomeTimestamp.localeCompare(b.outcomeTimestamp) || a.uuid.localeCompare(b.uuid));
  const out: Decision[] = [];
  const placed = new Set<string>();
  const byUuid = new Map(sorted.map((d) => [d.uuid, d]));
  const place = (d: Decision, depth = 0) => {
    if (placed.has(d.uuid)) return;
    const target = d.extension[EXT].revises;
    if (target && byUuid.has(target) && depth < sorted.length) place(byUuid.get(target)!, depth + 1);
    placed.add(d.uuid);
    out.push(d);
  };
  for (const d of sorted) place(d);
  return out;
}

/** The latest decision per card: a revision replaces what it revises. */
export function latestByCard(decisions: readonly Decision[]): Map<string, Decision> {
  const latest = new Map<string, Decision>();
  for (const d of inDecisionOrder(decisions)) latest.set(d.card, d);
  return latest;
}
