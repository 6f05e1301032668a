import { generateKeyPairSync } from 'node:crypto';
import { statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { openDatabase, type Database } from '../hub/db/database.ts';
import { migrate } from '../hub/db/migrate.ts';
import { startLocalPostgres } from '../hub/ops/local-postgres.ts';
import { keysFrom } from '../hub/security/keys.ts';
import { measuresBy, type GroupBy, type Scope } from '../hub/monitoring/queries.ts';
import { drilldown } from '../hub/monitoring/drilldown.ts';
import { rebuildAllRollups, refreshRollups } from '../hub/monitoring/refresh.ts';
import { checkDecision, storeDecisions } from '../hub/ingest/feedback.ts';
import { KnownNames } from '../hub/ingest/names.ts';
import { percentile } from './stats.ts';
import { EXT, type Decision } from '../shared/domain/decision.ts';

/**
 * `npm run bench -- --only monitoring`: a region's year in PostgreSQL — 200 hospitals, 20,000
 * physicians, 20 million decisions and 60 million events, or as many months as load in 10
 * minutes — then the dashboards' queries (the same functions the hub's routes call), each timed
 * (p50, p95) beside a plain full scan of the same rows computing the same figure; then how soon
 * a new batch shows in the summaries.
 */
const HOSPITALS = 200;
const PHYSICIANS_PER_HOSPITAL = 100;
const DEPARTMENTS = 20;
const ITEMS = 60;
/** HUB_BENCH_SCALE=0.01 tries the section on a hundredth of the year (a quick check, not a figure). */
const DECISIONS_PER_YEAR = Math.round(20_000_000 * Number(process.env.HUB_BENCH_SCALE ?? 1));
const LOAD_BUDGET_MS = 10 * 60_000;
const RUNS = 15;
const YEAR = 2026;

const hospital = (i: number) => `h${String(i).padStart(3, '0')}`;

export async function benchMonitoring(): Promise<void> {
  const free = statfsSync(tmpdir());
  const freeGb = (free.bavail * free.bsize) / 1e9;
  if (freeGb < 40) console.log(`monitoring: ${freeGb.toFixed(0)} GB free in ${tmpdir()}; the load stops early if the disk fills`);
  const server = await startLocalPostgres({
    settings: { shared_buffers: '2GB', maintenance_work_mem: '1GB', work_mem: '64MB', max_wal_size: '16GB', checkpoint_timeout: '30min', effective_cache_size: '8GB' },
  });
  let db: Database | undefined;
  try {
    db = await openDatabase({ url: server.url, poolSize: 4 });
    await migrate(db);
    const keys = keysFrom(Buffer.alloc(32, 9), generateKeyPairSync('ed25519').privateKey);
    const loaded = await load(server.url, keys);
    console.log(
      `monitoring (postgres ${server.version}): ${loaded.decisions.toLocaleString('en')} decisions loaded (${loaded.months.toFixed(1)} of 12 months; ${loaded.events.toLocaleString('en')} events, ${loaded.facts.toLocaleString('en')} reports; ${HOSPITALS} hospitals, ${(HOSPITALS * PHYSICIANS_PER_HOSPITAL).toLocaleString('en')} physicians) in ${(loaded.ms / 1000).toFixed(0)} s; rollups built in ${(loaded.rollupMs / 1000).toFixed(0)} s`,
    );
    await queries(db, server.url, keys, Math.max(1, Math.floor(loaded.months)));
    await freshness(db, keys);
  } finally {
    await db?.close();
    await server.stop();
  }
}

interface Loaded {
  decisions: number;
  events: number;
  facts: number;
  months: number;
  ms: number;
  rollupMs: number;
}

/** Month by month, set-based (generate_series), bulk-load style: secondary indexes built after. */
async function load(url: string, keys: ReturnType<typeof keysFrom>): Promise<Loaded> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const t0 = Date.now();
  try {
    await client.query('set synchronous_commit = off');
    await client.query('select setseed(0.42)');
    // The org: hospitals, a campus each, departments placed in it.
    await client.query(`insert into hospital (id, name, level, region)
      select 'h' || lpad(i::text, 3, '0'), '医院' || i, case when i % 3 = 0 then '三级甲等' else '二级' end, '地市' || (i % 10) from generate_series(0, ${HOSPITALS - 1}) i`);
    await client.query(`insert into campus (hospital_id, id, name) select id, 'main', '本部' from hospital`);
    await client.query(`insert into department (hospital_id, name, campus_id)
      select h.id, '科室' || d, 'main' from hospital h, generate_series(0, ${DEPARTMENTS - 1}) d`);
    const indexes = ['decision_hospital_time', 'decision_card', 'event_hospital_time', 'event_cited_card', 'report_fact_day', 'report_fact_card'];
    const { rows: defs } = await client.query<{ indexdef: string }>(`select indexdef from pg_indexes where indexname = any($1)`, [indexes]);
    for (const name of indexes) await client.query(`drop index ${name}`);
    // Real sealed identifiers for the drill-down to open (a pool, reused).
    const sealed = Array.from({ length: 1000 }, (_, i) => `\\x${keys.seal(hospital(i % HOSPITALS), { system: 'urn:oid:2.16.156.10011.1.3', value: `44080219${String(700101 + i).padStart(6, '0')}0${String(i % 1000).padStart(3, '0')}` }).toString('hex')}`);
    const perMonth = Math.round((DECISIONS_PER_YEAR / 12) * 1.14); // reports: decided ones + ~12 % undecided
    let months = 0;
    let decisions = 0;
    let events = 0;
    let facts = 0;
    // A third of a month at a time, so the 10-minute budget is checked often.
    const parts = 3;
    for (let m = 1; m <= 12 && Date.now() - t0 < LOAD_BUDGET_MS; m++) {
      for (let part = 0; part < parts; part++) {
      if (Date.now() - t0 > LOAD_BUDGET_MS) break;
      const monthStart = Date.UTC(YEAR, m - 1, 1);
      const monthEnd = Date.UTC(YEAR, m, 1);
      const iso = (ms: number) => new Date(ms - 8 * 3_600_000).toISOString();
      const start = iso(monthStart + ((monthEnd - monthStart) * part) / parts);
      const next = iso(monthStart + ((monthEnd - monthStart) * (part + 1)) / parts);
      // 报告事实: one row per report; hospital rates differ (0.45 … 0.85), a few hospitals far off.
      const f = await client.query(
        `insert into report_fact (hospital_id, patient_ref, patient_sealed, result_id, first_shown_at, shown_day, prompts, card, outcome, reason_code,
           decided_at, decision, saved_price, cited, campus_id, department, physician, item_id, item_name, item_category, issuer_id, issuer_name)
         select hid, 'p' || (g % 4000000), ($4::bytea[])[1 + g % 1000], 'DiagnosticReport/' || $3 || '-' || g, ts, (ts at time zone 'Asia/Shanghai')::date,
           1 + (r2 < 0.3)::int, md5(g::text || 'card' || $3)::uuid,
           case when r < 0.12 then null when r < 0.12 + 0.88 * rate then 'accepted' else 'overridden' end,
           case when r >= 0.12 + 0.88 * rate then 'RT-' || (1 + (g % 7)) end,
           case when r >= 0.12 then ts + interval '2 minutes' end,
           case when r >= 0.12 then md5(g::text || 'decision' || $3)::uuid end,
           case when r >= 0.12 and r < 0.12 + 0.88 * rate then 5 + (g % 12) * 5 end,
           r < 0.12 + 0.88 * rate * 0.6,
           'main', '科室' || (g % ${DEPARTMENTS}), '医师' || hidx || '-' || (g % ${PHYSICIANS_PER_HOSPITAL}),
           'item' || (g % ${ITEMS}), '项目' || (g % ${ITEMS}), case when g % ${ITEMS} < 45 then 'lab' else 'imaging' end,
           'h' || lpad(((hidx + 1 + g % 37) % ${HOSPITALS})::text, 3, '0'), '医院' || ((hidx + 1 + g % 37) % ${HOSPITALS})
         from (
           select g, hidx, 'h' || lpad(hidx::text, 3, '0') as hid,
             $1::timestamptz + (random() * ($2::timestamptz - $1::timestamptz)) as ts, random() as r, random() as r2,
             case when hidx % 50 = 7 then 0.25 else 0.45 + (hidx % 9) * 0.05 end as rate
           from (select g, (g % ${HOSPITALS}) as hidx from generate_series(1::bigint, $5::bigint) g) s
         ) x`,
        [start, next, `${m}.${part}`, sealed, Math.round(perMonth / parts)],
      );
      facts += f.rowCount ?? 0;
      const d = await client.query(
        `insert into decision (uuid, hospital_id, campus_id, department, physician, token_id, card, outcome, reason_code, item_id, item_name, item_category,
           issuer_id, issuer_name, result_id, result_date, pack_id, pack_version, trigger, saved_price, patient_ref, patient_sealed, decided_at, received_at, entry)
         select decision, hospital_id, campus_id, department, physician, 'bench', card, outcome, reason_code, item_id, item_name, item_category,
           issuer_id, issuer_name, result_id, to_char(first_shown_at - interval '5 days', 'YYYY-MM-DD'), 'region', '2026.1', 'patient-view', saved_price,
           patient_ref, patient_sealed, decided_at, decided_at + interval '3 seconds',
           case when outcome = 'accepted' then '{"acceptedSuggestions":[{"id":"recognize"}]}'::jsonb
                else jsonb_build_object('overrideReason', jsonb_build_object('reason', jsonb_build_object('code', reason_code, 'display', '复查原因'))) end
         from report_fact where first_shown_at >= $1 and first_shown_at < $2 and outcome is not null`,
        [start, next],
      );
      decisions += d.rowCount ?? 0;
      // Events: each prompt, one view per report, each citation (≈ 3 per decision).
      const e = await client.query(
        `insert into event (uuid, hospital_id, campus_id, department, physician, token_id, kind, card, item_id, item_name, item_category, issuer_id, issuer_name,
           result_id, trigger, patient_ref, patient_sealed, occurred_at, received_at, detail)
         select md5(f.result_id || k || n)::uuid, hospital_id, campus_id, department, physician, 'bench', k, card, item_id, item_name, item_category,
           case when k = 'prompted' then issuer_id end, case when k = 'prompted' then issuer_name end, case when k = 'prompted' then result_id end,
           case when k = 'prompted' then 'patient-view' end, patient_ref, patient_sealed, first_shown_at + (n || ' minutes')::interval,
           first_shown_at + (n || ' minutes')::interval + interval '2 seconds', '{}'::jsonb
         from report_fact f
         cross join lateral (
           select 'prompted' as k, n from generate_series(1, f.prompts) n
           union all select 'viewed', 0
           union all select 'cited', 5 where f.cited and f.outcome = 'accepted') ev
         where first_shown_at >= $1 and first_shown_at < $2`,
        [start, next],
      );
      events += e.rowCount ?? 0;
      months = m - 1 + (part + 1) / parts;
      console.log(`monitoring:   ${m}/${part + 1}: ${decisions.toLocaleString('en')} decisions, ${events.toLocaleString('en')} events so far (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      }
    }
    for (const def of defs) await client.query(def.indexdef);
    await client.query('analyze');
    const ms = Date.now() - t0;
    // After a bulk import the rollups are built once from scratch (the refresher keeps them current after).
    const r0 = Date.now();
    await client.end();
    const db = await openDatabase({ url, poolSize: 2 });
    try {
      await rebuildAllRollups(db);
    } finally {
      await db.close();
    }
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query('analyze');
    await c.end();
    return { decisions, events, facts, months, ms, rollupMs: Date.now() - r0 };
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
}

async function timeIt(run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await run(); // warm
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** The same figure from the rows themselves with a sequential scan (no rollup, no index). */
async function fullScan(url: string, sql: string, params: unknown[]): Promise<() => Promise<unknown>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('set enable_indexscan = off; set enable_bitmapscan = off; set enable_indexonlyscan = off; set max_parallel_workers_per_gather = 0');
  const run = async () => client.query(sql, params);
  (run as { close?: () => Promise<void> }).close = () => client.end();
  return run;
}

async function queries(db: Database, url: string, keys: ReturnType<typeof keysFrom>, months: number): Promise<void> {
  const firstOf = (m: number) => new Date(Date.UTC(YEAR, m - 1, 1)).toISOString().slice(0, 10);
  const month = Math.max(1, Math.ceil(months / 2));
  const monthScope = { from: firstOf(month), to: firstOf(month + 1) };
  const until = firstOf(months + 1);
  const h = hospital(42);
  const range = [`${monthScope.from}T00:00:00+08:00`, `${monthScope.to}T00:00:00+08:00`];
  const cases: { name: string; run: () => Promise<unknown>; scan: string; params: unknown[] }[] = [
    {
      name: 'hospital-month by department',
      run: () => measuresBy(db, { hospitalId: h, ...monthScope }, 'department'),
      scan: `select department, count(*), count(*) filter (where outcome = 'accepted') from report_fact where hospital_id = $1 and first_shown_at >= $2 and first_shown_at < $3 group by 1`,
      params: [h, ...range],
    },
    {
      name: 'region-month by hospital',
      run: () => measuresBy(db, monthScope, 'hospital'),
      scan: `select hospital_id, count(*), count(*) filter (where outcome = 'accepted') from report_fact where first_shown_at >= $1 and first_shown_at < $2 group by 1`,
      params: range,
    },
    {
      name: 'one physician’s drill-down (500 rows, identifiers unsealed and masked)',
      run: () => drilldown(db, keys, { hospitalId: h, ...monthScope, department: '科室2', physician: '医师42-22' } as Scope & { hospitalId: string }),
      scan: `select * from report_fact f left join decision d on d.uuid = f.decision where f.hospital_id = $1 and f.physician = '医师42-22' and f.first_shown_at >= $2 and f.first_shown_at < $3 limit 500`,
      params: [h, ...range],
    },
    {
      name: 'monthly trend of a hospital (the year by month)',
      run: () => measuresBy(db, { hospitalId: h, from: `${YEAR}-01-01`, to: until }, 'month' as GroupBy),
      scan: `select to_char(first_shown_at at time zone 'Asia/Shanghai', 'YYYY-MM'), count(*), count(*) filter (where outcome = 'accepted') from report_fact where hospital_id = $1 group by 1`,
      params: [h],
    },
    {
      name: 'region monthly trend (the year by month)',
      run: () => measuresBy(db, { from: `${YEAR}-01-01`, to: until }, 'month' as GroupBy),
      scan: `select to_char(first_shown_at at time zone 'Asia/Shanghai', 'YYYY-MM'), count(*), count(*) filter (where outcome = 'accepted') from report_fact group by 1`,
      params: [],
    },
  ];
  for (const c of cases) {
    const q = await timeIt(c.run);
    const scan = await fullScan(url, c.scan, c.params);
    const s = await timeIt(scan);
    await (scan as { close?: () => Promise<void> }).close?.();
    console.log(`monitoring:   ${c.name}: p50 ${q.p50.toFixed(1)} ms, p95 ${q.p95.toFixed(1)} ms (plain full scan of the same rows p50 ${s.p50.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms; ratio ${(s.p50 / q.p50).toFixed(0)}×)`);
  }
}

function makeDecision(hospitalId: string, at: string, n: number): Decision {
  return {
    uuid: crypto.randomUUID(),
    card: crypto.randomUUID(),
    outcome: 'accepted',
    acceptedSuggestions: [{ id: 'recognize' }],
    outcomeTimestamp: at,
    extension: {
      [EXT]: {
        hospital: hospitalId,
        patient: { system: 'urn:oid:2.16.156.10011.1.3', value: `4408021990010${String(1000 + n)}` },
        item: { id: 'item1', name: '项目1', category: 'lab' },
        result: { id: `DiagnosticReport/fresh-${crypto.randomUUID()}`, date: at.slice(0, 10) },
        issuer: { id: hospital(7), name: '医院7' },
        practitioner: { physician: '医师42-1', department: '科室1' },
        pack: { id: 'region', version: '2026.1' },
        trigger: 'patient-view',
        savedPrice: 20,
      },
    },
  } as Decision;
}

/** A batch stored through the ingest statement, then the refresher: seconds until the dashboards count it. */
async function freshness(db: Database, keys: ReturnType<typeof keysFrom>): Promise<void> {
  const principal = { tokenId: 'bench', hospitalId: hospital(42), scope: 'hospital' as const, campusId: null, department: null, label: 'bench' };
  const check = checkDecision(keys, () => new Date());
  const now = new Date();
  const day = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const scope = { hospitalId: hospital(42), from: day, to: new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10) };
  const before = (await measuresBy(db, scope, 'all'))[0]?.measures.reportsShown ?? 0;
  const rows = Array.from({ length: 50 }, (_, i) => {
    const c = check(makeDecision(hospital(42), new Date(now.getTime() - i * 1000).toISOString(), i), i, principal);
    if (!c.ok) throw new Error(c.message);
    return c.row;
  });
  const t0 = performance.now();
  await storeDecisions(db, rows, principal, new KnownNames());
  const stored = performance.now();
  await refreshRollups(db);
  const after = (await measuresBy(db, scope, 'all'))[0]?.measures.reportsShown ?? 0;
  console.log(
    `monitoring:   freshness: a batch of 50 decisions stored in ${(stored - t0).toFixed(0)} ms, in the summaries ${(performance.now() - stored).toFixed(0)} ms after one refresher pass (the hub runs one every 5 s: current within ~6 s; goal 60 s); counted ${after - before} of 50`,
  );
}
