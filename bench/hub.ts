import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { mulberry32 } from '../demo/data/random.ts';
import { importOrg } from '../hub/admin/operations.ts';
import { callAdminSocket } from '../hub/admin/socket.ts';
import type { IssuedToken, TokenPrincipal } from '../hub/auth/tokens.ts';
import { openDatabase, type Database } from '../hub/db/database.ts';
import { migrate } from '../hub/db/migrate.ts';
import { checkDecision, type DecisionRow } from '../hub/ingest/feedback.ts';
import { NoPostgresError, startLocalPostgres, type LocalPostgres } from '../hub/ops/local-postgres.ts';
import { keysFrom } from '../hub/security/keys.ts';
import { CDS_SERVICE } from '../hub/server.ts';
import { adminSocketPath, pgliteDir } from '../hub/start.ts';
import { EXT, type Decision } from '../shared/domain/decision.ts';
import { percentile } from './stats.ts';

/** Concurrent clients, each posting one batch at a time (the browsers' outbox sends 50 per request). */
const CLIENTS = 50;
const BATCH = 50;
/** Measured batches per client: 50 × 40 × 50 = 100,000 decisions on PostgreSQL; PGlite is one connection, so fewer. */
const BATCHES_PER_CLIENT = { postgres: 40, pglite: 12 } as const;
/** One batch per client first, not timed (JIT, connections, caches); counted in the exactly-once check. */
const WARMUP_BATCHES_PER_CLIENT = 1;
/**
 * Then a paced run: each client posts one batch every PACED_PERIOD_MS (phases spread), so the
 * hub gets 25 requests/s = 1,250 decisions/s, well under what it can take: the latency of a
 * request that does not queue behind 49 others. (In the saturating run, latency is set by
 * Little's law: 50 requests in flight × 50 decisions ÷ throughput.)
 */
const PACED_BATCHES_PER_CLIENT = 2;
const PACED_PERIOD_MS = 2_000;
/** The hub's pg pool (hub/db/postgres.ts): the bare loop gets as many connections. */
const HUB_POOL_SIZE = 10;
/** Resends of a refused or failed request before giving up on it (an outbox would go on). */
const RESENDS = 5;

const ROOT = resolve(import.meta.dirname, '..');
const HOSPITAL = 'bench-rmyy';
const ORG = {
  hospitals: [
    {
      id: HOSPITAL,
      name: '湛江中心人民医院',
      level: '三级甲等',
      region: '湛江市',
      campuses: [{ id: 'main', name: '本部', departments: ['心内科', '呼吸内科'] }],
    },
  ],
};

interface Batch {
  /** The request body, serialized before the clock starts. */
  body: string;
  /** The same entries as the hub stores them, as parameters of the bare loop's multi-row INSERT. */
  params: unknown[];
}

interface Workload {
  warmup: Batch[];
  measured: Batch[];
  paced: Batch[];
}

const decisionsIn = (w: Workload) => (w.warmup.length + w.measured.length + w.paced.length) * BATCH;

/**
 * The hub's ingest path end to end: 50 concurrent clients posting batches of 50 valid, distinct
 * decisions (CDS Hooks feedback) over HTTP with keep-alive to a hub running as its own process
 * (`hub/main.ts serve`), on PostgreSQL (a throwaway local server) and on PGlite (a fresh data
 * folder). Beside each, in the same run and on the same engine, a bare loop inserting the same
 * rows (the columns the hub writes, made by the hub's own check) into a fresh database of the
 * same schema with one plain multi-row `INSERT … ON CONFLICT (uuid) DO NOTHING` per batch, from
 * 50 clients as well: through a pool of the hub's size on PostgreSQL, queued on its one
 * connection on PGlite.
 *
 * Reported: decisions/s and the ratio bare ÷ hub; p50/p95 of one request (client side) under
 * that saturating load and under a paced one, each beside the bare INSERT's; the rows counted in
 * the database afterwards (exactly once); bytes stored per million decisions
 * (pg_total_relation_size: table, indexes, TOAST). CPU time per decision of each process and how
 * busy the machine was are printed too: the load generator shares the 2 cores with the hub and
 * the database, and on a shared machine wall time is also other processes' turns.
 * Goal to report against: hub within 2× of the bare loop, ≥ 5,000 decisions/s on PostgreSQL,
 * p95 ≤ 50 ms at 50 clients on a 2-core machine.
 */
export async function benchHub(): Promise<void> {
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const cleanup = new Cleanup();
  try {
    // Both engines' databases and hubs boot (initdb; PGlite's runs in WebAssembly) while this process makes the data.
    const postgres = await preparePostgres(cleanup);
    const liteDir = tempDir(cleanup, 'huren-bench-hub-');
    const liteChild = startHubChild(liteDir, {});
    cleanup.add(() => liteChild.stop());
    const liteBare = closeOnce(await openDatabase({ dataDir: tempDir(cleanup, 'huren-bench-bare-') }));
    cleanup.add(() => liteBare.close());
    const data = makeData();

    if (postgres) {
      report('postgres', await runEngine(data, await postgres.setup()), data);
      await postgres.server.stop();
    }

    const version = (await liteBare.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
    const liteResult = await runEngine(data, {
      engine: 'pglite',
      label: `pglite, PostgreSQL ${version.split(' ')[0]}`,
      bare: liteBare,
      child: liteChild,
      dataDir: liteDir,
      // The folder is free once the hub has exited: open it to measure what it stored.
      stored: async () => {
        const db = await openDatabase({ dataDir: pgliteDir(liteDir) });
        try {
          return (await db.query<Stored>(STORED_SQL)).rows[0]!;
        } finally {
          await db.close();
        }
      },
    });
    report('pglite', liteResult, data);
  } finally {
    await cleanup.run();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

/** A throwaway PostgreSQL server with two fresh databases, and a hub starting on one; undefined (said) when PostgreSQL is not installed. */
async function preparePostgres(cleanup: Cleanup): Promise<{ server: LocalPostgres; setup: () => Promise<EngineSetup> } | undefined> {
  let server: LocalPostgres;
  try {
    server = await startLocalPostgres();
  } catch (err) {
    if (!(err instanceof NoPostgresError)) throw err;
    console.log(`hub (postgres): skipped: ${err.message}`);
    return undefined;
  }
  cleanup.add(() => server.stop());
  const hubUrl = await createDatabase(server.url, 'bench_hub');
  const bareUrl = await createDatabase(server.url, 'bench_bare');
  const postmaster = await postmasterPid(server.url);
  const dataDir = tempDir(cleanup, 'huren-bench-hub-');
  const child = startHubChild(dataDir, { HUB_DATABASE_URL: hubUrl });
  cleanup.add(() => child.stop());
  return {
    server,
    setup: async () => ({
      engine: 'postgres',
      label: `postgres ${server.version.split(' ')[0]}`,
      // The bare loop's database, through a pool of the hub's size.
      bare: await openDatabase({ url: bareUrl, poolSize: HUB_POOL_SIZE }),
      child,
      dataDir,
      postmaster,
      stored: async () => {
        const c = new pg.Client({ connectionString: hubUrl });
        await c.connect();
        try {
          return (await c.query<Stored>(STORED_SQL)).rows[0]!;
        } finally {
          await c.end();
        }
      },
    }),
  };
}

interface BenchData {
  warmup: Batch[];
  paced: Batch[];
  all: Batch[];
  /** Request body bytes per decision. */
  bodyBytes: number;
}

const workFor = (data: BenchData, engine: keyof typeof BATCHES_PER_CLIENT): Workload => ({
  warmup: data.warmup,
  measured: data.all.slice(0, CLIENTS * BATCHES_PER_CLIENT[engine]),
  paced: data.paced,
});

/**
 * Valid, distinct decisions in batches, each with its rows as the hub's check makes them
 * (pseudonym, sealed identifier, entry without the patient) for a hospital-wide token.
 */
function makeData(): BenchData {
  const keys = keysFrom(randomBytes(32), generateKeyPairSync('ed25519').privateKey);
  const toRow = checkDecision(keys, () => new Date());
  const principal: TokenPrincipal = { tokenId: 'bench-bare', hospitalId: HOSPITAL, scope: 'hospital', campusId: null, department: null, label: 'bench' };
  const random = mulberry32(20261130);
  const makeBatches = (count: number): Batch[] =>
    Array.from({ length: count }, () => {
      const decisions = Array.from({ length: BATCH }, () => benchDecision(random));
      const rows = decisions.map((d, i) => {
        const checked = toRow(d, i, principal);
        if (!checked.ok) throw new Error(`bench decision refused by the hub's own check: ${checked.path}: ${checked.message}`);
        return checked.row;
      });
      return { body: JSON.stringify({ feedback: decisions }), params: rows.flatMap(rowParams) };
    });
  const warmup = makeBatches(CLIENTS * WARMUP_BATCHES_PER_CLIENT);
  const paced = makeBatches(CLIENTS * PACED_BATCHES_PER_CLIENT);
  const all = makeBatches(CLIENTS * Math.max(BATCHES_PER_CLIENT.postgres, BATCHES_PER_CLIENT.pglite));
  const bodyBytes = all.reduce((n, b) => n + Buffer.byteLength(b.body), 0) / (all.length * BATCH);
  return { warmup, paced, all, bodyBytes };
}

interface Stored {
  n: number;
  total: number;
  table: number;
  indexes: number;
}

const STORED_SQL = `select count(*)::int as n,
  pg_total_relation_size('decision')::float8 as total,
  pg_relation_size('decision')::float8 as table,
  pg_indexes_size('decision')::float8 as indexes
  from decision`;

interface EngineSetup {
  engine: keyof typeof BATCHES_PER_CLIENT;
  label: string;
  /** A fresh database for the bare loop (migrated here); closed after it. */
  bare: Database;
  /** The hub, started (or starting) on its own fresh database. */
  child: HubChild;
  dataDir: string;
  /** The PostgreSQL server's postmaster, to count its CPU time. */
  postmaster?: number;
  /** Rows and sizes of the hub's decision table, read after the hub stopped. */
  stored(): Promise<Stored>;
}

interface EngineResult {
  label: string;
  hub: HubRun;
  bare: { load: Timed; paced: Timed; cpu: CpuUse };
  stored: Stored;
  /** The hub's own count (admin socket `stats`) while it ran. */
  counted: number;
  /** After the run: the monitoring facts still queued, applied at once (admin `rollups.refresh`). */
  factsCatchUpMs: number;
  logs: string[];
}

async function runEngine(data: BenchData, setup: EngineSetup): Promise<EngineResult> {
  const work = workFor(data, setup.engine);
  let bare: EngineResult['bare'];
  try {
    bare = await runBare(setup.bare, work, setup.postmaster);
  } finally {
    await setup.bare.close();
  }
  await setup.child.ready;
  const socket = adminSocketPath(setup.dataDir);
  await callAdminSocket(socket, 'org.import', { org: ORG, actor: 'bench' });
  const issued = (await callAdminSocket(socket, 'token.issue', { hospitalId: HOSPITAL, scope: 'hospital', label: 'bench', actor: 'bench' })) as IssuedToken;
  const hub = await postAll(setup.child, issued.token, work, setup.postmaster);
  const stats = (await callAdminSocket(socket, 'stats', {})) as { hospital_id: string; decisions: number }[];
  const counted = stats.find((s) => s.hospital_id === HOSPITAL)?.decisions ?? 0;
  // The hub applies the monitoring facts in the background at a capped pace: what a burst leaves queued is applied now.
  const t0 = performance.now();
  await callAdminSocket(socket, 'rollups.refresh', {});
  const factsCatchUpMs = performance.now() - t0;
  await setup.child.stop();
  return { label: setup.label, hub, bare, stored: await setup.stored(), counted, factsCatchUpMs, logs: setup.child.logs };
}

function report(engine: keyof typeof BATCHES_PER_CLIENT, r: EngineResult, data: BenchData): void {
  const work = workFor(data, engine);
  const sent = decisionsIn(work);
  const measured = work.measured.length * BATCH;
  const hubRate = measured / (r.hub.load.ms / 1000);
  const bareRate = measured / (r.bare.load.ms / 1000);
  const rows = r.stored.n;
  const once = rows === sent && r.counted === rows && r.hub.stored === sent && r.hub.failed === 0;
  const lat = (t: Timed) => `p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms`;
  console.log(
    `hub (${r.label}): ${fmt(measured)} decisions from ${CLIENTS} clients × batches of ${BATCH}: ${fmt(hubRate)} decisions/s ` +
      `(bare INSERT … ON CONFLICT loop ${fmt(bareRate)}/s, ratio ${(bareRate / hubRate).toFixed(2)}×); ` +
      `${lat(r.hub.load)} per request (bare INSERT ${lat(r.bare.load)}); ` +
      `${once ? 'stored exactly once' : 'NOT STORED EXACTLY ONCE'}: ${fmt(rows)} rows for ${fmt(sent)} sent; ` +
      `${fmt(r.stored.total / rows)} MB per million decisions`,
  );
  const us = (n: number) => `${fmt(n / measured)} µs`;
  const cpu =
    engine === 'postgres'
      ? `hub process ${us(r.hub.cpu.hub)} + PostgreSQL ${us(r.hub.cpu.server)} + load generator ${us(r.hub.cpu.self)} ` +
        `(bare loop: PostgreSQL ${us(r.bare.cpu.server)} + its client ${us(r.bare.cpu.self)})`
      : `hub process with PGlite ${us(r.hub.cpu.hub)} + load generator ${us(r.hub.cpu.self)} (bare loop: its process with PGlite ${us(r.bare.cpu.self)})`;
  const toast = r.stored.total - r.stored.table - r.stored.indexes;
  console.log(
    `hub (${r.label}):   paced at ${fmt((CLIENTS * BATCH * 1000) / PACED_PERIOD_MS)} decisions/s (${CLIENTS} clients, one batch each every ${PACED_PERIOD_MS / 1000} s): ` +
      `${lat(r.hub.paced)}, max ${r.hub.paced.max.toFixed(1)} ms per request (bare INSERT ${lat(r.bare.paced)}); ` +
      `CPU per decision under load: ${cpu}, machine ${r.hub.cpu.busy} busy (hub run, all processes); ` +
      `sent besides the measured: ${fmt(work.warmup.length * BATCH)} untimed warm-up, ${fmt(work.paced.length * BATCH)} paced; ` +
      `answers ${fmt(r.hub.stored)} stored, ${fmt(r.hub.duplicates)} duplicate, ${fmt(r.hub.rejected)} rejected; hub stats ${fmt(r.counted)}; ` +
      `monitoring facts still queued after the run applied in ${(r.factsCatchUpMs / 1000).toFixed(1)} s; ` +
      `stored bytes per decision: table ${fmt(r.stored.table / rows)} + TOAST and free-space/visibility maps ${fmt(toast / rows)} + indexes ${fmt(r.stored.indexes / rows)} (request body ${fmt(data.bodyBytes)})`,
  );
  const trouble = [
    r.hub.statuses.size ? `non-2xx answers ${[...r.hub.statuses].map(([s, n]) => `${s}×${n}`).join(', ')} (first: ${r.hub.firstError})` : '',
    r.hub.networkErrors ? `${r.hub.networkErrors} network errors (first: ${r.hub.firstError})` : '',
    r.hub.rejected ? `entries rejected (first answer: ${r.hub.firstError})` : '',
    r.hub.failed ? `${r.hub.failed} batches given up after ${RESENDS} resends` : '',
    r.logs.length ? `${r.logs.length} hub log lines at warn or above (first: ${r.logs[0]!.slice(0, 300)})` : '',
  ].filter(Boolean);
  if (trouble.length) console.log(`hub (${r.label}): PROBLEMS: ${trouble.join('; ')}`);
}

async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(`create database ${name}`);
  } finally {
    await c.end();
  }
  return serverUrl.replace(/\/[^/]*$/, `/${name}`);
}

// ---- cleanup -------------------------------------------------------------------------------

/**
 * What to undo if the bench is interrupted (Ctrl-C, SIGTERM) mid-section: the hub children, the
 * PostgreSQL server (pg_ctl starts it detached, so it would outlive us) and the temp folders.
 */
const onInterrupt = new Set<() => unknown>();
function interrupted(signal: NodeJS.Signals): void {
  for (const undo of [...onInterrupt].reverse()) {
    try {
      void Promise.resolve(undo()).catch(() => undefined);
    } catch {
      // keep undoing the rest
    }
  }
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

/** Undo actions, run newest first by `run()` (on success and failure), or by `interrupted` before. */
class Cleanup {
  private readonly undos: (() => unknown)[] = [];
  add(undo: () => unknown): void {
    this.undos.unshift(undo);
    onInterrupt.add(undo);
  }
  async run(): Promise<void> {
    for (const undo of this.undos.splice(0)) {
      onInterrupt.delete(undo);
      try {
        await undo();
      } catch (err) {
        console.error(`hub: cleanup failed: ${(err as Error).message}`);
      }
    }
  }
}

/** The database, closed at most once (by the run or by the cleanup). */
function closeOnce(db: Database): Database {
  let closing: Promise<void> | undefined;
  return { ...db, close: () => (closing ??= db.close()) };
}

function tempDir(cleanup: Cleanup, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// ---- the bare loop -------------------------------------------------------------------------

/** The columns the hub's storeDecisions writes, in its order. */
const COLUMNS = [
  'uuid', 'hospital_id', 'campus_id', 'department', 'physician', 'token_id', 'card', 'outcome', 'reason_code',
  'item_id', 'item_name', 'item_category', 'issuer_id', 'issuer_name', 'result_id', 'result_date', 'pack_id', 'pack_version',
  'trigger', 'revises', 'saved_price', 'patient_ref', 'patient_sealed', 'decided_at', 'entry',
] as const;

const rowParams = (r: DecisionRow): unknown[] =>
  COLUMNS.map((c) => (c === 'patient_sealed' ? Buffer.from(r.patient_sealed, 'base64') : c === 'entry' ? JSON.stringify(r.entry) : r[c]));

const BARE_SQL = `insert into decision (${COLUMNS.join(', ')}) values ${Array.from(
  { length: BATCH },
  (_, i) => `(${COLUMNS.map((_, j) => `$${i * COLUMNS.length + j + 1}`).join(', ')})`,
).join(', ')} on conflict (uuid) do nothing`;

/** The same rows straight into a fresh migrated database: warm-up, the saturating run, the paced run. */
async function runBare(db: Database, work: Workload, postmaster?: number): Promise<EngineResult['bare']> {
  await migrate(db);
  await importOrg(db, ORG, 'bench');
  const insert = async (batch: Batch) => void (await db.query(BARE_SQL, batch.params));
  await closedLoop(work.warmup, insert);
  const meter = cpuMeter(undefined, postmaster);
  const load = await closedLoop(work.measured, insert);
  const cpu = meter();
  const paced = await pacedLoop(work.paced, insert);
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from decision');
  if (rows[0]!.n !== decisionsIn(work)) throw new Error(`bare loop stored ${rows[0]!.n} rows for ${decisionsIn(work)}`);
  return { load, paced, cpu };
}

// ---- load shapes ---------------------------------------------------------------------------

interface Timed {
  ms: number;
  p50: number;
  p95: number;
  max: number;
}

function timed(ms: number, latencies: number[]): Timed {
  return { ms, p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: latencies.length ? Math.max(...latencies) : Number.NaN };
}

/** CLIENTS concurrent loops, each sending its next batch as soon as the last one is answered (client c takes batches c, c + CLIENTS, …). */
async function closedLoop(batches: Batch[], send: (b: Batch) => Promise<void>): Promise<Timed> {
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = c; i < batches.length; i += CLIENTS) {
        const t = performance.now();
        await send(batches[i]!);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return timed(performance.now() - t0, latencies);
}

/** CLIENTS loops, each sending one batch every PACED_PERIOD_MS (phases spread over the period), one at a time. */
async function pacedLoop(batches: Batch[], send: (b: Batch) => Promise<void>): Promise<Timed> {
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = c, k = 0; i < batches.length; i += CLIENTS, k++) {
        const wait = t0 + ((c + 0.5) / CLIENTS + k) * PACED_PERIOD_MS - performance.now();
        if (wait > 0) await new Promise((ok) => setTimeout(ok, wait));
        const t = performance.now();
        await send(batches[i]!);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return timed(performance.now() - t0, latencies);
}

// ---- the hub over HTTP ---------------------------------------------------------------------

interface HubRun {
  load: Timed;
  paced: Timed;
  /** CPU used during the saturating run. */
  cpu: CpuUse;
  stored: number;
  duplicates: number;
  rejected: number;
  statuses: Map<number, number>;
  networkErrors: number;
  failed: number;
  firstError: string;
}

/** Warm-up, the saturating run, the paced run: POST {cds service}/feedback with node's fetch (undici, keep-alive). */
async function postAll(child: HubChild, token: string, work: Workload, postmaster?: number): Promise<HubRun> {
  const url = `${await child.ready}${CDS_SERVICE}/feedback`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const run: HubRun = {
    load: timed(0, []),
    paced: timed(0, []),
    cpu: { hub: 0, server: 0, self: 0, busy: '' },
    stored: 0,
    duplicates: 0,
    rejected: 0,
    statuses: new Map(),
    networkErrors: 0,
    failed: 0,
    firstError: '',
  };
  // One request per batch; a refused or failed one is resent as the outbox would (its latency then counts the resends).
  const send = async (batch: Batch) => {
    for (let attempt = 0; attempt <= RESENDS; attempt++) {
      try {
        const res = await fetch(url, { method: 'POST', headers, body: batch.body });
        const text = await res.text();
        if (res.status === 200) {
          const answer = JSON.parse(text) as { stored: number; duplicates: number; rejected: number };
          run.stored += answer.stored;
          run.duplicates += answer.duplicates;
          run.rejected += answer.rejected;
          if (answer.rejected) run.firstError ||= text.slice(0, 300);
          return;
        }
        run.statuses.set(res.status, (run.statuses.get(res.status) ?? 0) + 1);
        run.firstError ||= `${res.status} ${text.slice(0, 200)}`;
      } catch (err) {
        run.networkErrors++;
        run.firstError ||= `${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? '')}`;
      }
      await new Promise((ok) => setTimeout(ok, 100 * 2 ** attempt));
    }
    run.failed++;
  };
  await closedLoop(work.warmup, send);
  const meter = cpuMeter(child.pid, postmaster);
  run.load = await closedLoop(work.measured, send);
  run.cpu = meter();
  run.paced = await pacedLoop(work.paced, send);
  return run;
}

interface HubChild {
  pid: number;
  /** The hub's URL once it listens (its --ready-json line); rejects if it exits or takes over 120 s. */
  ready: Promise<string>;
  /** pino lines at warn or above, and anything on stderr. */
  logs: string[];
  /** SIGTERM, then waits for the graceful exit (SIGKILL after 20 s). */
  stop(): Promise<void>;
}

/** `node --import tsx hub/main.ts serve --port 0 --data <dir> --ready-json`, logging at warn. */
function startHubChild(dataDir: string, env: Record<string, string>): HubChild {
  const child = spawn(process.execPath, ['--import', 'tsx', 'hub/main.ts', 'serve', '--port', '0', '--data', dataDir, '--ready-json'], {
    cwd: ROOT,
    env: { ...process.env, HUB_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  let listening: (url: string) => void;
  const url = new Promise<string>((ok) => (listening = ok));
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      const parsed = JSON.parse(line) as { url?: unknown; engine?: unknown };
      if (typeof parsed.url === 'string' && parsed.engine) return listening(parsed.url);
    } catch {
      // not JSON: keep it
    }
    logs.push(line);
  });
  createInterface({ input: child.stderr }).on('line', (line) => logs.push(line));
  let timer: NodeJS.Timeout | undefined;
  const ready = Promise.race([
    url,
    exited.then(() => Promise.reject(new Error(`hub exited (${child.exitCode ?? child.signalCode}) before listening: ${logs.slice(-5).join(' | ')}`))),
    new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error('hub did not listen within 120 s')), 120_000))),
  ]).finally(() => clearTimeout(timer));
  ready.catch(() => undefined); // awaited later; not an unhandled rejection meanwhile
  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid!,
    ready,
    logs,
    stop: () =>
      (stopping ??= (async () => {
        clearTimeout(timer);
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(kill);
      })()),
  };
}

// ---- CPU accounting ------------------------------------------------------------------------

/** CPU time used during a run, µs per party (Linux /proc; NaN elsewhere), and how busy the whole machine was. */
interface CpuUse {
  /** The hub process (with PGlite inside it on that engine). */
  hub: number;
  /** The PostgreSQL server: postmaster and backends. */
  server: number;
  /** This process: the HTTP clients, or the bare loop's driver (and PGlite on that engine). */
  self: number;
  /** e.g. "96 % of 2 cores", all processes counted. */
  busy: string;
}

/** Starts measuring; the returned function stops and tells. */
function cpuMeter(hubPid: number | undefined, postmasterPid: number | undefined): () => CpuUse {
  const hub0 = hubPid ? treeCpuUs(hubPid, false) : Number.NaN;
  const server0 = postmasterPid ? treeCpuUs(postmasterPid, true) : Number.NaN;
  const self0 = process.cpuUsage();
  const machine0 = machineCpu();
  return () => {
    const self = process.cpuUsage(self0);
    return {
      hub: hubPid ? treeCpuUs(hubPid, false) - hub0 : Number.NaN,
      server: postmasterPid ? treeCpuUs(postmasterPid, true) - server0 : Number.NaN,
      self: self.user + self.system,
      busy: machineBusy(machine0, machineCpu()),
    };
  };
}

/** /proc/<pid>/stat from the state field on (index 1 ppid, 11 utime, 12 stime, 13 cutime, 14 cstime), or undefined. */
function statFields(pid: number): number[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(') ') + 2).split(' ').map(Number);
  } catch {
    return undefined;
  }
}

const TICK_US = 10_000; // USER_HZ = 100

/** CPU time of a process, µs; with `children`, also that of its children, running or exited (PostgreSQL's backends). */
function treeCpuUs(pid: number, children: boolean): number {
  const own = statFields(pid);
  if (!own) return Number.NaN;
  let ticks = own[11]! + own[12]!;
  if (children) {
    ticks += own[13]! + own[14]!;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const f = statFields(Number(entry));
      if (f && f[1] === pid) ticks += f[11]! + f[12]!;
    }
  }
  return ticks * TICK_US;
}

/** The postmaster of a server we are superuser on: its pid, from postmaster.pid in its data directory. */
async function postmasterPid(url: string): Promise<number | undefined> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ setting: string }>(`select setting from pg_settings where name = 'data_directory'`);
    return Number(readFileSync(join(rows[0]!.setting, 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
  } catch {
    return undefined;
  } finally {
    await c.end();
  }
}

/** Busy and total jiffies of all CPUs (/proc/stat), or undefined elsewhere. */
function machineCpu(): { busy: number; total: number } | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = cpu.reduce((a, b) => a + b, 0);
    return { busy: total - cpu[3]! - (cpu[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

function machineBusy(before: ReturnType<typeof machineCpu>, after: ReturnType<typeof machineCpu>): string {
  if (!before || !after || after.total === before.total) return 'n/a';
  return `${Math.round((100 * (after.busy - before.busy)) / (after.total - before.total))} % of ${availableParallelism()} cores`;
}

// ---- data ----------------------------------------------------------------------------------

const DEPARTMENTS = ['心内科', '呼吸内科', '消化内科', '神经内科', '普外科', '骨科', '儿科', '急诊科'];
const PHYSICIANS = Array.from({ length: 40 }, (_, i) => `医生${String(i + 1).padStart(2, '0')}`);
const ITEMS = [
  { id: 'cbc', name: '血细胞分析', category: 'lab' },
  { id: 'lft', name: '肝功能', category: 'lab' },
  { id: 'rft', name: '肾功能', category: 'lab' },
  { id: 'ct-chest', name: '胸部CT平扫', category: 'imaging' },
  { id: 'us-abd', name: '腹部彩超', category: 'imaging' },
] as const;
const ISSUERS = [
  { id: 'zj-zxyy', name: '湛江市中心医院' },
  { id: 'gdmu-fy', name: '广东医科大学附属医院' },
  { id: null, name: '外院' },
];
let serial = 0;

/** A valid decision like tests/hub/support.ts's, varied: 5,000 patients, 8 departments, 40 physicians, 20 % re-tests. */
function benchDecision(random: () => number): Decision {
  const n = ++serial;
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const outcome = random() < 0.8 ? 'accepted' : 'overridden';
  const department = pick(DEPARTMENTS);
  const day = new Date(Date.UTC(2026, 10, 1) + Math.floor(random() * 29 * 86_400_000));
  return {
    uuid: randomUUID(),
    card: randomUUID(),
    outcome,
    ...(outcome === 'accepted'
      ? { acceptedSuggestions: [{ id: 'recognize' }] }
      : { overrideReason: { reason: { system: 'https://huren.example/fhir/CodeSystem/retest-reason', code: 'RT-2', display: '检查检验结果在疾病发展演变过程中变化较快的' } } }),
    outcomeTimestamp: day.toISOString(),
    extension: {
      [EXT]: {
        hospital: HOSPITAL,
        patient: { system: 'urn:oid:2.16.156.10011.1.3', value: `4408021990${String(Math.floor(random() * 5000)).padStart(8, '0')}` },
        item: pick(ITEMS),
        result: { id: `r${n}`, reportNumber: `B${n}`, date: new Date(day.getTime() - 7 * 86_400_000).toISOString().slice(0, 10) },
        issuer: pick(ISSUERS),
        practitioner: { physician: pick(PHYSICIANS), department },
        pack: { id: 'demo', version: '2026.1' },
        trigger: random() < 0.5 ? 'patient-view' : 'order-select',
        ...(outcome === 'accepted' ? { savedPrice: 25 } : {}),
      },
    },
  } as Decision;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
