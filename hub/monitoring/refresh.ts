import type { Database, Queryable } from '../db/database.ts';
import { applyQueued, TIME_ZONE } from './facts.ts';

/** Hospital-days rebuilt per pass: a busy region's minute of marks, in one transaction. */
const PASS_LIMIT = 2_000;

/** The measures of report facts (alias `f`), the same SQL for the rollups and the queries over the facts. */
export const REPORT_MEASURES = `count(*)::int as shown,
  count(*) filter (where f.outcome = 'accepted')::int as recognized,
  count(*) filter (where f.outcome = 'overridden')::int as retested,
  count(*) filter (where f.outcome is null)::int as undecided,
  count(*) filter (where f.cited and f.outcome = 'accepted')::int as cited,
  coalesce(sum(f.prompts), 0)::int as prompts,
  coalesce(sum(f.saved_price) filter (where f.outcome = 'accepted'), 0) as saved`;

/** The rollups of the hospital-days `marked` (a select of hospital_id, day) rebuilt from the facts and view events. */
async function rebuild(tx: Queryable, marked: string, params: unknown[]): Promise<void> {
  for (const table of ['rollup_hospital_day', 'rollup_region_day', 'rollup_views_day']) {
    await tx.query(`delete from ${table} r using (${marked}) m where r.hospital_id = m.hospital_id and r.day = m.day`, params);
  }
  await tx.query(
    `insert into rollup_views_day (hospital_id, day, campus_id, department, physician, views)
     select e.hospital_id, m.day, coalesce(e.campus_id, dep.campus_id), e.department, e.physician, count(*)::int
     from event e join (${marked}) m on e.hospital_id = m.hospital_id
       and e.occurred_at >= (m.day::timestamp at time zone '${TIME_ZONE}')
       and e.occurred_at < ((m.day + 1)::timestamp at time zone '${TIME_ZONE}')
       left join department dep on dep.hospital_id = e.hospital_id and dep.name = e.department
     where e.kind in ('viewed', 'opened')
     group by 1, 2, 3, 4, 5`,
    params,
  );
  await tx.query(
    `insert into rollup_region_day (hospital_id, day, item_id, item_name, item_category, shown, recognized, retested, undecided, cited, prompts, saved)
     select f.hospital_id, f.shown_day, f.item_id, f.item_name, f.item_category, ${REPORT_MEASURES}
     from report_fact f join (${marked}) m on f.hospital_id = m.hospital_id and f.shown_day = m.day
     group by 1, 2, 3, 4, 5`,
    params,
  );
  await tx.query(
    `insert into rollup_hospital_day (hospital_id, day, shown, recognized, retested, undecided, cited, prompts, saved, views)
     select m.hospital_id, m.day, coalesce(sum(r.shown), 0), coalesce(sum(r.recognized), 0), coalesce(sum(r.retested), 0), coalesce(sum(r.undecided), 0),
       coalesce(sum(r.cited), 0), coalesce(sum(r.prompts), 0), coalesce(sum(r.saved), 0),
       coalesce((select sum(v.views) from rollup_views_day v where v.hospital_id = m.hospital_id and v.day = m.day), 0)
     from (${marked}) m left join rollup_region_day r on r.hospital_id = m.hospital_id and r.day = m.day
     group by m.hospital_id, m.day`,
    params,
  );
}

/** Applies queued rows to the report facts (facts.ts), all of them or about `limit`; returns how many. */
export async function applyFacts(db: Database, limit = Infinity): Promise<number> {
  let total = 0;
  for (const kind of ['decision', 'event'] as const) {
    while (total < limit) {
      const n = await applyQueued(db, kind);
      total += n;
      if (n === 0) break;
    }
  }
  return total;
}

/**
 * Rebuilds the region rollups of the hospital-days marked (rollup_dirty) from the report facts
 * and the view events: delete and insert per hospital-day, then clear the marks, in one
 * REPEATABLE READ transaction. A mark set again by a fact applied after this pass's snapshot makes
 * the clearing fail with a serialization error: the pass is rolled back and the next one rebuilds
 * (nothing is ever cleared that was not rebuilt from the data it marks). Views inside one hospital
 * read the facts themselves and need none of this. Returns how many hospital-days were rebuilt.
 */
export async function rebuildMarked(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    if (db.engine === 'postgres') await tx.query('set transaction isolation level repeatable read');
    const { rows } = await tx.query<{ hospital_id: string; day: string }>(
      `select hospital_id, to_char(day, 'YYYY-MM-DD') as day from rollup_dirty order by marked_at, hospital_id, day limit ${PASS_LIMIT}`,
    );
    if (rows.length === 0) return 0;
    const params = [rows.map((r) => r.hospital_id), rows.map((r) => r.day)];
    const marked = `select * from unnest($1::text[], $2::date[]) as m(hospital_id, day)`;
    await rebuild(tx, marked, params);
    await tx.query(`delete from rollup_dirty d using (${marked}) m where d.hospital_id = m.hospital_id and d.day = m.day`, params);
    return rows.length;
  });
}

/** Both, as one pass: the queued rows into the facts, then the marked days' rollups. Returns the days rebuilt. */
export async function refreshRollups(db: Database): Promise<number> {
  await applyFacts(db);
  return rebuildMarked(db);
}

/** Every rollup from scratch (after a bulk import or a restore), in one transaction; clears the marks. */
export async function rebuildAllRollups(db: Database): Promise<void> {
  await applyFacts(db);
  await db.transaction(async (tx) => {
    for (const table of ['rollup_hospital_day', 'rollup_region_day', 'rollup_views_day', 'rollup_dirty']) await tx.query(`delete from ${table}`);
    const marked = `select distinct hospital_id, shown_day as day from report_fact
      union select distinct hospital_id, (occurred_at at time zone '${TIME_ZONE}')::date from event where kind in ('viewed', 'opened')`;
    await rebuild(tx, marked, []);
  });
}

/**
 * Keeps the monitoring current in the hub process: the queued rows go into the report facts every
 * `factsMs` (proportional to what arrived), the marked days' rollups are rebuilt every `rollupsMs`
 * (proportional to those days' reports). Inside a hospital the dashboards are then current within
 * seconds, across hospitals within `rollupsMs` + a pass (the goal: one minute). A tick applies at
 * most `factsPerTick` rows: in a burst (browsers flushing their outboxes after an outage) the
 * browsers' requests come first and the queue drains after; a region's ordinary day is a few
 * rows a second. A pass that loses a serialization race is retried on the next tick.
 */
export class RollupRefresher {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<number> | undefined;
  private lastRollups = 0;
  lastError: string | undefined;

  constructor(
    private readonly db: Database,
    private readonly factsMs = 5_000,
    private readonly rollupsMs = 30_000,
    private readonly factsPerTick = db.engine === 'postgres' ? 5_000 : 1_000,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.pass(false).catch(() => undefined), this.factsMs);
    this.timer.unref?.();
  }

  /** Everything now (or the pass running): facts and every marked day's rollups. */
  refresh(): Promise<number> {
    return this.pass(true);
  }

  private pass(rollupsToo: boolean): Promise<number> {
    if (this.running) return this.running;
    this.running = (async () => {
      let total = 0;
      try {
        await applyFacts(this.db, rollupsToo ? Infinity : this.factsPerTick);
        if (rollupsToo || Date.now() - this.lastRollups >= this.rollupsMs) {
          this.lastRollups = Date.now();
          for (;;) {
            const n = await rebuildMarked(this.db);
            total += n;
            if (n < PASS_LIMIT) break;
          }
        }
        this.lastError = undefined;
      } catch (err) {
        this.lastError = (err as { code?: string }).code === '40001' ? 'serialization' : (err as Error).name;
      } finally {
        this.running = undefined;
      }
      return total;
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
