import { Decision, EXT } from '../domain/decision';
import type { PatientIdentifier } from '../domain/encounter';
import { PlatformPatient } from '../domain/patient-check';
import { inDecisionOrder } from '../decisions/store';
import type { ResultsFetch } from '../results/source';
import type { CachedFetchRow, CachedResultRow, DecisionRow } from './db';

/*
 * What the Dexie stores (extension) and the plain IndexedDB stores (widget) share: the patient
 * key, the decision row, reading rows back. No storage library here.
 */

export const DEFAULT_TTL_MS = 24 * 3_600_000;

/** The cache key of a patient: SHA-256 of "system|value", so the 身份证号 is not stored in clear. */
export async function patientKey(patient: PatientIdentifier): Promise<string> {
  const bytes = new TextEncoder().encode(`${patient.system ?? ''}|${patient.value.trim()}`);
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A decision as stored: validated, keyed by the hashed patient, pending for the outbox (bound to `target` when given). */
export async function toDecisionRow(decision: Decision, target?: string): Promise<DecisionRow> {
  const valid = Decision.parse(decision);
  return {
    uuid: valid.uuid,
    card: valid.card,
    patientKey: await patientKey(valid.extension[EXT].patient),
    decidedAt: Date.parse(valid.outcomeTimestamp),
    decision: valid,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: 0,
    ...(target !== undefined ? { target } : {}),
  };
}

/** Rows' decisions, re-validated (one written by an older version that no longer parses is left out). */
export function parsedDecisions(rows: readonly { decision: unknown }[]): Decision[] {
  return rows.flatMap((r) => {
    const parsed = Decision.safeParse(r.decision);
    return parsed.success ? [parsed.data] : [];
  });
}

/** A patient's decisions in decision order. */
export function decisionsInOrder(rows: readonly DecisionRow[]): Decision[] {
  return inDecisionOrder(parsedDecisions([...rows].sort((a, b) => a.decidedAt - b.decidedAt)));
}

/** A cached fetch as loadResults returns it: results newest first. */
export function toResultsFetch(meta: CachedFetchRow, rows: readonly CachedResultRow[]): ResultsFetch {
  const results = rows.map((r) => r.result);
  results.sort((a, b) => (b.collectedAt ?? '').localeCompare(a.collectedAt ?? '') || a.id.localeCompare(b.id));
  const patient = meta.patient === undefined ? undefined : PlatformPatient.safeParse(meta.patient);
  return {
    patientFound: meta.patientFound,
    ...(patient?.success ? { patient: patient.data } : {}),
    results,
    unreadable: meta.unreadable,
    fetchedAt: new Date(meta.fetchedAt).toISOString(),
  };
}
