import { HubEventEntry, jsonPath, unknownKeyPath } from '../../shared/hub/ingest.ts';
import type { Queryable } from '../db/database.ts';
import type { HubKeys } from '../security/keys.ts';
import type { TokenPrincipal } from '../auth/tokens.ts';
import { MAX_CLOCK_SKEW_MS, uuidOf, type Checked } from './batch.ts';
import type { KnownNames } from './names.ts';

export interface EventRow {
  uuid: string;
  hospital_id: string;
  campus_id: string | null;
  department: string | null;
  physician: string | null;
  token_id: string;
  kind: string;
  card: string | null;
  item_id: string | null;
  item_name: string | null;
  item_category: string | null;
  issuer_id: string | null;
  issuer_name: string | null;
  result_id: string | null;
  result_date: string | null;
  trigger: string | null;
  patient_ref: string | null;
  patient_sealed: string | null;
  occurred_at: string;
  detail: unknown;
}

/** Checks one event entry as checkDecision does a decision; the stored detail has no patient identifier. */
export function checkEvent(keys: HubKeys, now: () => Date) {
  return (entry: unknown, index: number, principal: TokenPrincipal): Checked<EventRow> => {
    const at = (path: PropertyKey[]) => jsonPath(['events', index, ...path]);
    const parsed = HubEventEntry.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { ok: false, uuid: uuidOf(entry), path: at(issue.path), message: issue.message };
    }
    const { uuid, hospital: claimed, event } = parsed.data;
    const unknown = unknownKeyPath(entry, parsed.data);
    if (unknown) return { ok: false, uuid, path: at(unknown), message: 'unknown field' };
    if (claimed !== undefined && claimed !== principal.hospitalId) return { ok: false, uuid, path: at(['hospital']), message: "not this token's hospital" };
    if (Date.parse(event.at) > now().getTime() + MAX_CLOCK_SKEW_MS) return { ok: false, uuid, path: at(['event', 'at']), message: 'more than a day in the future' };
    const hospital = principal.hospitalId;
    const patient = 'patient' in event ? keys.protect(hospital, event.patient) : undefined;
    const item = 'item' in event ? event.item : undefined;
    const result = event.kind === 'prompted' ? event.result : undefined;
    // What no column holds (resultCount, target, how, decision, pack, reason, 档案号); never the patient.
    const { patient: _p, actor: _a, at: _t, kind: _k, card: _c, item: _i, trigger: _g, result: _r, ...rest } = event as Record<string, unknown>;
    const detail = { ...rest, ...(result?.reportNumber ? { reportNumber: result.reportNumber } : {}), ...(result?.source ? { resultSource: result.source } : {}) };
    return {
      ok: true,
      uuid,
      row: {
        uuid,
        hospital_id: hospital,
        campus_id: principal.campusId,
        department: event.actor?.department ?? principal.department,
        physician: event.actor?.physician ?? null,
        token_id: principal.tokenId,
        kind: event.kind,
        card: 'card' in event ? (event.card ?? null) : null,
        item_id: item?.id ?? null,
        item_name: item?.name ?? null,
        item_category: item?.category ?? null,
        issuer_id: result?.issuer.id ?? null,
        issuer_name: result?.issuer.name ?? null,
        result_id: result?.id ?? null,
        result_date: result?.date ?? null,
        trigger: event.kind === 'prompted' ? event.trigger : null,
        patient_ref: patient ? patient.ref : null,
        patient_sealed: patient ? patient.sealed.toString('base64') : null,
        occurred_at: event.at,
        detail,
      },
    };
  };
}

const COLUMNS = `uuid uuid, hospital_id text, campus_id text, department text, physician text, token_id text, kind text,
  card uuid, item_id text, item_name text, item_category text, issuer_id text, issuer_name text, result_id text,
  result_date text, trigger text, patient_ref text, patient_sealed text, occurred_at timestamptz, detail jsonb`;

/** Stores events in one statement, as storeDecisions does; returns the uuids stored now. */
export async function storeEvents(db: Queryable, rows: EventRow[], principal: TokenPrincipal, known: KnownNames): Promise<Set<string>> {
  const names = known.unseen(rows.map((r) => ({ ...r, physician: null })));
  const { rows: stored } = await db.query<{ uuid: string }>(
    `with input as (select * from json_to_recordset($1::json) as r(${COLUMNS})),
     ins as (
       insert into event (uuid, hospital_id, campus_id, department, physician, token_id, kind, card, item_id, item_name,
         item_category, issuer_id, issuer_name, result_id, result_date, trigger, patient_ref, patient_sealed, occurred_at, detail)
       select uuid, hospital_id, campus_id, department, physician, token_id, kind, card, item_id, item_name,
         item_category, issuer_id, issuer_name, result_id, result_date, trigger, patient_ref, decode(patient_sealed, 'base64'), occurred_at, detail
       from input
       on conflict (uuid) do nothing
       returning uuid),
     queued as (insert into fact_queue (kind, uuid) select 'event', uuid from ins),
     dep as (
       insert into department (hospital_id, name)
       select hospital_id, name from json_to_recordset($5::json) as d(hospital_id text, name text)
       on conflict do nothing),
     aud as (
       insert into hub_audit (actor, action, hospital_id, outcome, detail)
       select $2, 'ingest.events', $3, 'ok', jsonb_build_object('entries', $4::int, 'stored', (select count(*) from ins)))
     select uuid::text as uuid from ins`,
    [JSON.stringify(rows), `token:${principal.tokenId}`, principal.hospitalId, rows.length, JSON.stringify(names.departments)],
  );
  known.remember(names.keys);
  return new Set(stored.map((r) => r.uuid));
}
