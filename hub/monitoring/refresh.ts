import type { Database } from '../db/database.ts';
import { TIME_ZONE } from './facts.ts';

/** Hospital-days rebuilt per pass: a busy region's minute of marks, in one transaction. */
const PASS_LIMIT = 2_000;

const REPORT_MEASURES = `count(*)::int as shown,
  count(*) filter (where outcome = 'accepted')::int as recognized,
  count(*) filter (where outcome = 'overridden')::int as retested,
  count(*) filter (where outcome is null)::int as undecided,
  count(*) filter (where cited and outcome = 'accepted')::int as cited,
  coalesce(sum(prompts), 0)::int as prompts,
  coalesce(sum(saved_price) filter (where outcome = 'accepted'), 0) as saved`;

/**
 * The 院区 of a report is its token's (a workstation or department token may name one), else the
 * campus the hospital placed its department in (hub org import).
 *
 * Rebuilds the rollups of the hospital-days the ingest marked (rollup_dirty) from the report facts
 * and the view events: delete and insert per hospital-day, then clear the marks, in one
 * REPEATABLE READ transaction. A mark set again by an ingest that committed after this pass's
 * snapshot makes the clearing fail with a serialization error: the pass is rolled back and the
 * next one rebuilds (nothing is ever cleared that was not rebuilt from the data it marks).
 * Returns how many hospital-days were rebuilt.
 */
export async function refreshRollups(db: Database): Promise<number> {
  return db.transaction(async (tx) => {
    if (db.engine === 'postgres') await tx.query('set transaction isolation level repeatable read');
    const { rows } = await tx.query<{ hospital_id: string; day: string }>(
      `select hospital_id, to_char(day, 'YYYY-MM-DD') as day from rollup_dirty order by marked_at, hospital_id, day limit ${PASS_LIMIT}`,
    );
    if (rows.length === 0) return 0;
    const params = [rows.map((r) => r.hospital_id), rows.map((r) => r.day)];
    const marked = `select * from unnest($1::text[], $2::date[]) as m(hospital_id, day)`;
    await tx.query(`delete from rollup_day r using (${marked}) m where r.hospital_id = m.hospital_id and r.day = m.day`, params);
    await tx.query(`delete from rollup_region_day r using (${marked}) m where r.hospital_id = m.hospital_id and r.day = m.day`, params);
    await tx.query(`delete from rollup_views_day r using (${marked}) m where r.hospital_id = m.hospital_id and r.day = m.day`, params);
    await tx.query(
      `insert into rollup_day (hospital_id, day, campus_id, department, physician, item_id, item_name, item_category, issuer_id, issuer_name, reason_code,
         shown, recognized, retested, undecided, cited, prompts, saved)
       select f.hospital_id, f.shown_day, coalesce(f.campus_id, dep.campus_id), f.department, f.physician, f.item_id, f.item_name, f.item_category, f.issuer_id, f.issuer_name,
         case when f.outcome = 'overridden' then f.reason_code end, ${REPORT_MEASURES}
       from report_fact f join (${marked}) m on f.hospital_id = m.hospital_id and f.shown_day = m.day
         left join department dep on dep.hospital_id = f.hospital_id and dep.name = f.department
       group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11`,
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
    await tx.query(`delete from rollup_dirty d using (${marked}) m where d.hospital_id = m.hospital_id and d.day = m.day`, params);
    return rows.length;
  });
}

/**
 * Runs refreshRollups every `intervalMs` in the hub process (and at once when asked), so the
 * dashboards are current within seconds of ingestion (the goal: within one minute). A pass that
 * loses a serialization race is simply retried on the next tick.
 */
export class RollupRefresher {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<number> | undefined;
  lastError: string | undefined;

  constructor(
    private readonly db: Database,
    private readonly intervalMs = 5_000,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.refresh().catch(() => undefined), this.intervalMs);
    this.timer.unref?.();
  }

  /** One pass now (or the one running), until no marks are left. */
  async refresh(): Promise<number> {
    if (this.running) return this.running;
    this.running = (async () => {
      let total = 0;
      try {
        for (;;) {
          const n = await refreshRollups(this.db);
          total += n;
          if (n < PASS_LIMIT) break;
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
