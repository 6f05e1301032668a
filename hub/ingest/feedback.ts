import { Decision, EXT } from '../../shared/domain/decision.ts';
import { jsonPath, unknownKeyPath } from '../../shared/hub/ingest.ts';
import type { Queryable } from '../db/database.ts';
import type { HubKeys } from '../security/keys.ts';
import type { TokenPrincipal } from '../auth/tokens.ts';
import { MAX_CLOCK_SKEW_MS, uuidOf, type Checked } from './batch.ts';
import type { KnownNames } from './names.ts';

/** One decision row as the insert statement reads it (jsonb_to_recordset). */
export interface DecisionRow {
  uuid: string;
  hospital_id: string;
  campus_id: string | null;
  department: string | null;
  physician: string | null;
  token_id: string;
  card: string;
  outcome: 'accepted' | 'overridden';
  reason_code: string | null;
  item_id: string | null;
  item_name: string;
  item_category: string;
  issuer_id: string | null;
  issuer_name: string | null;
  result_id: string;
  result_date: string | null;
  /** platform or paper (纸质); null in entries written before the field existed. */
  result_source: 'platform' | 'paper' | null;
  pack_id: string;
  pack_version: string;
  trigger: string;
  revises: string | null;
  saved_price: number | null;
  patient_ref: string;
  patient_sealed: string;
  decided_at: string;
  /** What of the feedback entry no column holds (accepted suggestions, the reason as coded, 档案号); never the patient. */
  entry: unknown;
}

/**
 * Checks one CDS Hooks feedback entry: the Decision schema the browsers write with, no field
 * the schema does not know, the token's own hospital, a plausible time. The row keeps the
 * patient only as a pseudonym and a sealed copy (keys.ts); the columns and `entry` together
 * give back the whole feedback entry (but the identifier, which only unsealing gives).
 */
export function checkDecision(keys: HubKeys, now: () => Date) {
  return (entry: unknown, index: number, principal: TokenPrincipal): Checked<DecisionRow> => {
    const at = (path: PropertyKey[]) => jsonPath(['feedback', index, ...path]);
    const parsed = Decision.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { ok: false, uuid: uuidOf(entry), path: at(issue.path), message: issue.message };
    }
    const d = parsed.data;
    const unknown = unknownKeyPath(entry, d);
    if (unknown) return { ok: false, uuid: d.uuid, path: at(unknown), message: 'unknown field' };
    const ext = d.extension[EXT];
    if (ext.hospital !== undefined && ext.hospital !== principal.hospitalId) {
      return { ok: false, uuid: d.uuid, path: at(['extension', EXT, 'hospital']), message: "not this token's hospital" };
    }
    if (Date.parse(d.outcomeTimestamp) > now().getTime() + MAX_CLOCK_SKEW_MS) {
      return { ok: false, uuid: d.uuid, path: at(['outcomeTimestamp']), message: 'more than a day in the future' };
    }
    const hospital = principal.hospitalId;
    const patient = keys.protect(hospital, ext.patient);
    return {
      ok: true,
      uuid: d.uuid,
      row: {
        uuid: d.uuid,
        hospital_id: hospital,
        campus_id: principal.campusId,
        department: ext.practitioner.department ?? principal.department,
        physician: ext.practitioner.physician ?? null,
        token_id: principal.tokenId,
        card: d.card,
        outcome: d.outcome,
        reason_code: d.overrideReason?.reason.code ?? null,
        item_id: ext.item.id,
        item_name: ext.item.name,
        item_category: ext.item.category,
        issuer_id: ext.issuer.id,
        issuer_name: ext.issuer.name,
        result_id: ext.result.id,
        result_date: ext.result.date,
        result_source: ext.result.source ?? null,
        pack_id: ext.pack.id,
        pack_version: ext.pack.version,
        trigger: ext.trigger,
        revises: ext.revises ?? null,
        saved_price: d.outcome === 'accepted' ? (ext.savedPrice ?? null) : null,
        patient_ref: patient.ref,
        patient_sealed: patient.sealed.toString('base64'),
        decided_at: d.outcomeTimestamp,
        entry: {
          ...(d.acceptedSuggestions ? { acceptedSuggestions: d.acceptedSuggestions } : {}),
          ...(d.overrideReason ? { overrideReason: d.overrideReason } : {}),
          ...(ext.result.reportNumber ? { reportNumber: ext.result.reportNumber } : {}),
        },
      },
    };
  };
}

const COLUMNS = `uuid uuid, hospital_id text, campus_id text, department text, physician text, token_id text, card uuid,
  outcome text, reason_code text, item_id text, item_name text, item_category text, issuer_id text, issuer_name text,
  result_id text, result_date text, result_source text, pack_id text, pack_version text, trigger text, revises uuid, saved_price numeric,
  patient_ref text, patient_sealed text, decided_at timestamptz, entry jsonb`;

/**
 * Stores decisions in one statement (so one transaction, one round trip): the rows, their place
 * in the monitoring queue (fact_queue: the refresher applies them to the report facts), the
 * departments and physicians seen for the first time, and the audit row of the request.
 * Returns the uuids stored now; the others were there already.
 */
export async function storeDecisions(db: Queryable, rows: DecisionRow[], principal: TokenPrincipal, known: KnownNames): Promise<Set<string>> {
  const names = known.unseen(rows);
  const { rows: stored } = await db.query<{ uuid: string }>(
    `with input as (select * from json_to_recordset($1::json) as r(${COLUMNS})),
     ins as (
       insert into decision (uuid, hospital_id, campus_id, department, physician, token_id, card, outcome, reason_code,
         item_id, item_name, item_category, issuer_id, issuer_name, result_id, result_date, result_source, pack_id, pack_version,
         trigger, revises, saved_price, patient_ref, patient_sealed, decided_at, entry)
       select uuid, hospital_id, campus_id, department, physician, token_id, card, outcome, reason_code,
         item_id, item_name, item_category, issuer_id, issuer_name, result_id, result_date, result_source, pack_id, pack_version,
         trigger, revises, saved_price, patient_ref, decode(patient_sealed, 'base64'), decided_at, entry
       from input
       on conflict (uuid) do nothing
       returning uuid),
     queued as (insert into fact_queue (kind, uuid) select 'decision', uuid from ins),
     dep as (
       insert into department (hospital_id, name)
       select hospital_id, name from json_to_recordset($5::json) as d(hospital_id text, name text)
       on conflict do nothing),
     phy as (
       insert into physician (hospital_id, name, department)
       select hospital_id, name, department from json_to_recordset($6::json) as p(hospital_id text, name text, department text)
       on conflict do nothing),
     aud as (
       insert into hub_audit (actor, action, hospital_id, outcome, detail)
       select $2, 'ingest.feedback', $3, 'ok', jsonb_build_object('entries', $4::int, 'stored', (select count(*) from ins)))
     select uuid::text as uuid from ins`,
    [JSON.stringify(rows), `token:${principal.tokenId}`, principal.hospitalId, rows.length, JSON.stringify(names.departments), JSON.stringify(names.physicians)],
  );
  known.remember(names.keys);
  return new Set(stored.map((r) => r.uuid));
}
