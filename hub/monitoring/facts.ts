/**
 * The report facts (report_fact, one row per 份): SQL fragments over `input` (rows shaped as the
 * decision or event table, the sealed identifier in base64) and `ins` (the uuids to apply). The
 * refresher runs them for the uuids it takes off fact_queue, in the transaction that deletes them
 * from the queue, so each stored row changes the facts exactly once — a resend was never queued.
 * The rules are those of shared/stats/report-facts.ts (a test runs both on the same data). Each
 * fragment also marks the hospital-days whose rollups must be rebuilt (rollup_dirty).
 */

import type { Queryable } from '../db/database.ts';

/** Days are counted in China's time zone (the dashboards' calendar). */
export const TIME_ZONE = 'Asia/Shanghai';
export const dayOf = (column: string) => `((${column}) at time zone '${TIME_ZONE}')::date`;

const DECISION_COLUMNS = ['card', 'outcome', 'reason_code', 'decided_at', 'decision', 'saved_price', 'campus_id', 'department', 'physician', 'item_id', 'item_name', 'item_category', 'issuer_id', 'issuer_name'];
const PROMPT_DIMENSIONS = ['campus_id', 'department', 'physician', 'item_id', 'item_name', 'item_category', 'issuer_id', 'issuer_name'];

/** After `ins` and `input` (decisions): the latest new decision per report settles it when it is later than the one there. */
export const DECISION_FACTS = `
     newd as (select i.* from input i join ins using (uuid)),
     latest as (
       select distinct on (hospital_id, patient_ref, result_id) * from newd
       order by hospital_id, patient_ref, result_id, decided_at desc, uuid desc),
     earliest as (
       select hospital_id, patient_ref, result_id, min(decided_at) as first_at from newd group by 1, 2, 3),
     prev_facts as (
       select r.hospital_id, r.shown_day from report_fact r join latest l using (hospital_id, patient_ref, result_id)),
     facts as (
       insert into report_fact as r (hospital_id, patient_ref, patient_sealed, result_id, first_shown_at, shown_day, ${DECISION_COLUMNS.join(', ')}, cited)
       select l.hospital_id, l.patient_ref, decode(l.patient_sealed, 'base64'), l.result_id, e.first_at, ${dayOf('e.first_at')},
         l.card, l.outcome, l.reason_code, l.decided_at, l.uuid, l.saved_price, l.campus_id, l.department, l.physician,
         l.item_id, l.item_name, l.item_category, l.issuer_id, l.issuer_name,
         exists (select 1 from event c where c.hospital_id = l.hospital_id and c.kind = 'cited' and c.card = l.card)
       from latest l join earliest e using (hospital_id, patient_ref, result_id)
       order by 1, 2, 3
       on conflict (hospital_id, patient_ref, result_id) do update set
         patient_sealed = coalesce(r.patient_sealed, excluded.patient_sealed),
         first_shown_at = least(r.first_shown_at, excluded.first_shown_at),
         shown_day = least(r.shown_day, excluded.shown_day),
         cited = r.cited or excluded.cited,
         ${DECISION_COLUMNS.map((c) => `${c} = case when r.decided_at is null or (excluded.decided_at, excluded.decision) > (r.decided_at, r.decision) then excluded.${c} else r.${c} end`).join(',\n         ')}
       returning r.hospital_id, r.shown_day),
     dirty as (
       insert into rollup_dirty (hospital_id, day)
       select distinct hospital_id, shown_day from (select * from facts union select * from prev_facts) x order by 1, 2
       on conflict (hospital_id, day) do update set marked_at = now())`;

/** After `ins` and `input` (events): prompts count on their report; citations mark it; views mark their day. */
export const EVENT_FACTS = `
     newe as (select i.* from input i join ins using (uuid)),
     newp as (
       select *, count(*) over (partition by hospital_id, patient_ref, result_id) as n from newe
       where kind = 'prompted' and result_id is not null and patient_ref is not null),
     firstp as (
       select distinct on (hospital_id, patient_ref, result_id) * from newp
       order by hospital_id, patient_ref, result_id, occurred_at, uuid),
     newcites as (select distinct hospital_id, card from newe where kind = 'cited' and card is not null),
     prev_facts as (
       select r.hospital_id, r.shown_day from report_fact r join firstp f using (hospital_id, patient_ref, result_id)),
     facts as (
       insert into report_fact as r (hospital_id, patient_ref, patient_sealed, result_id, first_shown_at, shown_day, prompts, card, cited, ${PROMPT_DIMENSIONS.join(', ')})
       select f.hospital_id, f.patient_ref, decode(f.patient_sealed, 'base64'), f.result_id, f.occurred_at, ${dayOf('f.occurred_at')}, f.n, f.card,
         exists (select 1 from newcites c where c.hospital_id = f.hospital_id and c.card = f.card), ${PROMPT_DIMENSIONS.map((c) => `f.${c}`).join(', ')}
       from firstp f order by 1, 2, 4
       on conflict (hospital_id, patient_ref, result_id) do update set
         -- A row is changed once per statement: a citation in this batch of a report prompted in it is set here, not by the cites update.
         cited = r.cited or exists (select 1 from newcites c where c.hospital_id = r.hospital_id and c.card = coalesce(r.card, excluded.card)),
         prompts = r.prompts + excluded.prompts,
         patient_sealed = coalesce(r.patient_sealed, excluded.patient_sealed),
         card = coalesce(r.card, excluded.card),
         first_shown_at = least(r.first_shown_at, excluded.first_shown_at),
         shown_day = least(r.shown_day, excluded.shown_day),
         ${PROMPT_DIMENSIONS.map((c) => `${c} = case when r.decided_at is null and excluded.first_shown_at < r.first_shown_at then excluded.${c} else r.${c} end`).join(',\n         ')}
       returning r.hospital_id, r.shown_day),
     cites as (
       update report_fact r set cited = true
       from newcites c
       where r.hospital_id = c.hospital_id and r.card = c.card and not r.cited
         and not exists (select 1 from firstp f where (f.hospital_id, f.patient_ref, f.result_id) = (r.hospital_id, r.patient_ref, r.result_id))
       returning r.hospital_id, r.shown_day),
     dirty as (
       insert into rollup_dirty (hospital_id, day)
       select distinct hospital_id, day from (
         select hospital_id, shown_day as day from facts
         union select hospital_id, shown_day from prev_facts
         union select hospital_id, shown_day from cites
         union select hospital_id, ${dayOf('occurred_at')} from newe where kind in ('viewed', 'opened')) x
       order by 1, 2
       on conflict (hospital_id, day) do update set marked_at = now())`;

/**
 * Facts applied per statement: a few seconds of a busy region's ingestion on a server; fewer on
 * PGlite, whose one connection the browsers' requests wait for meanwhile.
 */
const QUEUE_BATCH = { postgres: 5_000, pglite: 100 } as const;

const DECISION_INPUT = `uuid, hospital_id, campus_id, department, physician, card, outcome, reason_code, item_id, item_name, item_category,
  issuer_id, issuer_name, result_id, saved_price, patient_ref, encode(patient_sealed, 'base64') as patient_sealed, decided_at`;
const EVENT_INPUT = `uuid, hospital_id, campus_id, department, physician, kind, card, item_id, item_name, item_category, issuer_id, issuer_name,
  result_id, trigger, patient_ref, encode(patient_sealed, 'base64') as patient_sealed, occurred_at`;

/**
 * Takes a batch of queued rows of one kind off fact_queue (skipping rows another refresher
 * holds) and applies them to the report facts, in one statement: deleted and applied together or
 * not at all. Returns how many were applied.
 */
export async function applyQueued(db: Queryable & { engine: 'pglite' | 'postgres' }, kind: 'decision' | 'event'): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `with taken as (
       delete from fact_queue f using (select seq from fact_queue where kind = '${kind}' order by seq limit ${QUEUE_BATCH[db.engine]} for update skip locked) s
       where f.seq = s.seq returning f.uuid),
     ins as (select distinct uuid from taken),
     input as (select ${kind === 'decision' ? DECISION_INPUT : EVENT_INPUT} from ${kind} t where t.uuid in (select uuid from ins)),${kind === 'decision' ? DECISION_FACTS : EVENT_FACTS}
     select count(*)::int as n from taken`,
  );
  return rows[0]?.n ?? 0;
}
