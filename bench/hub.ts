import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
import { startLocalPostgres, type LocalPostgres } from '../hub/ops/local-postgres.ts';
import { keysFrom } from '../hub/security/keys.ts';
import { CDS_SERVICE } from '../hub/server.ts';
import { adminSocketPath, pgliteDir } from '../hub/start.ts';
import { EXT, type Decision } from '../shared/domain/decision.ts';
import { percentile } from './stats.ts';

/** Concurrent clients, each posting one batch at a time (the browsers' outbox sends 50 per request). */
const CLIENTS = 50;
const BATCH = 50;
/** Measured batches per client: 50 × 40 × 50 = 100,000 decisions on PostgreSQL; PGlite is one connection, so fewer. */
const BATCHES_PER_CLIENT = { postgres: 40, pglite: 20 } as const;
/** One batch per client first, not timed (JIT, connections, caches); counted in the exactly-once check. */
const WARMUP_BATCHES_PER_CLIENT = 1;
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

type Engine = 'postgres' | 'pglite';

interface Batch {
  decisions: Decision[];
  /** The request body, serialized before the clock starts. */
  body: string;
  /** The same entries as the hub would store them, as parameters of a multi-row INSERT. */
  params: unknown[];
}

interface Workload {
  warmup: Batch[];
  measured: Batch[];
}

/**
 * The hub's ingest path end to end: 50 concurrent clients posting batches of 50 valid, distinct
 * decisions (CDS Hooks feedback) over HTTP with keep-alive to a hub running as its own process
 * (`hub/main.ts serve`), on PostgreSQL (a throwaway local server) and on PGlite (a fresh data
 * folder). Beside each, in the same run and on the same engine, a bare loop inserting the same
 * rows (same columns as the hub writes) into a fresh database of the same schema with one plain
 * multi-row `INSERT … ON CONFLICT (uuid) DO NOTHING` per batch: 50-way through a pool of the hub's
 * size on PostgreSQL, one after another on PGlite (one connection).
 * Reported: decisions/s and hub ÷ bare, p50/p95 of one request under that load (client side),
 * the rows counted in the database after the run (exactly once), and bytes stored per million
 * decisions (pg_total_relation_size: table, indexes, TOAST).
 * Goal to report against: hub within 2× of the bare loop, ≥ 5,000 decisions/s on PostgreSQL,
 * p95 ≤ 50 ms at 50 clients on a 2-core machine.
 */
export async function benchHub(): Promise<void> {
  const keys = keysFrom(randomBytes(32), generateKeyPairSync('ed25519').privateKey);
  const toRow = checkDecision(keys, () => new Date());
  // The bare loop's rows: what the hub's check makes of the same entries (pseudonym, sealed
  // identifier, entry without the patient), for a hospital-wide token.
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
      return { decisions, body: JSON.stringify({ feedback: decisions }), params: rows.flatMap(rowParams) };
    });
  const warmup = makeBatches(CLIENTS * WARMUP_BATCHES_PER_CLIENT);
  const all = makeBatches(CLIENTS * Math.max(BATCHES_PER_CLIENT.postgres, BATCHES_PER_CLIENT.pglite));
  const bodyBytes = all.reduce((n, b) => n + Buffer.byteLength(b.body), 0) / (all.length * BATCH);

  for (const engine of ['postgres', 'pglite'] as const) {
    const work: Workload = { warmup, measured: all.slice(0, CLIENTS * BATCHES_PER_CLIENT[engine]) };
    const r = engine === 'postgres' ? await onPostgres(work) : await onPglite(work);
    const expected = (work.warmup.length + work.measured.length) * BATCH;
    const hubRate = (work.measured.length * BATCH) / (r.hub.ms / 1000);
    const bareRate = (work.measured.length * BATCH) / (r.bareMs / 1000);
    const once = r.rows === expected && r.hub.stored === expected && r.hub.failed === 0;
    console.log(
      `hub (${r.label}): ${fmt(work.measured.length * BATCH)} decisions from ${CLIENTS} clients × batches of ${BATCH}` +
        ` (+${fmt(work.warmup.length * BATCH)} warm-up, untimed): ${fmt(hubRate)} decisions/s ` +
        `(bare INSERT … ON CONFLICT loop ${fmt(bareRate)}/s${engine === 'pglite' ? ' serialized' : ` via a pool of ${HUB_POOL_SIZE}`}, ratio hub time ÷ bare ${(bareRate / hubRate).toFixed(2)}×); ` +
        `p50 ${r.hub.p50.toFixed(1)} ms, p95 ${r.hub.p95.toFixed(1)} ms, max ${r.hub.max.toFixed(1)} ms per request; ` +
        `${once ? 'stored exactly once' : 'NOT exactly once'}: ${fmt(r.rows)} rows for ${fmt(expected)} sent (answers: ${fmt(r.hub.stored)} stored, ${fmt(r.hub.duplicates)} duplicate, ${fmt(r.hub.rejected)} rejected); ` +
        `${fmt(r.bytes / r.rows)} MB per million decisions (table + indexes + TOAST; request body ${fmt(bodyBytes)} bytes per decision)`,
    );
    const trouble = [
      r.hub.statuses.size ? `non-2xx answers ${[...r.hub.statuses].map(([s, n]) => `${s}×${n}`).join(', ')} (first: ${r.hub.firstError})` : '',
      r.hub.networkErrors ? `${r.hub.networkErrors} network errors (first: ${r.hub.firstError})` : '',
      r.hub.failed ? `${r.hub.failed} batches given up after ${RESENDS} resends` : '',
      r.logs.length ? `${r.logs.length} hub log lines at warn or above (first: ${r.logs[0]!.slice(0, 300)})` : '',
    ].filter(Boolean);
    if (trouble.length) console.log(`hub (${r.label}): problems: ${trouble.join('; ')}`);
  }
}

interface EngineResult {
  label: string;
  hub: HubRun;
  bareMs: number;
  rows: number;
  bytes: number;
  logs: string[];
}

async function onPostgres(work: Workload): Promise<EngineResult> {
  const server: LocalPostgres = await startLocalPostgres();
  const dataDir = mkdtempSync(join(tmpdir(), 'huren-bench-hub-'));
  try {
    const hubUrl = await createDatabase(server.url, 'bench_hub');
    const bareUrl = await createDatabase(server.url, 'bench_bare');

    const bare = await openDatabase({ url: bareUrl, poolSize: HUB_POOL_SIZE });
    let bareMs: number;
    try {
      await migrate(bare);
      await importOrg(bare, ORG, 'bench');
      await clients(work.warmup, (b) => insertBare(bare, b));
      bareMs = await clients(work.measured, (b) => insertBare(bare, b));
      await expectRows(bare, (work.warmup.length + work.measured.length) * BATCH);
    } finally {
      await bare.close();
    }

    const child = await startHubChild(dataDir, { HUB_DATABASE_URL: hubUrl });
    let hub: HubRun;
    try {
      const token = await issueToken(dataDir);
      hub = await postAll(child.url, token, work);
    } finally {
      await child.stop();
    }
    const c = new pg.Client({ connectionString: hubUrl });
    await c.connect();
    try {
      const { rows } = await c.query<{ n: number; bytes: number }>(`select count(*)::int as n, pg_total_relation_size('decision')::float8 as bytes from decision`);
      return { label: `postgres ${server.version}`, hub, bareMs, rows: rows[0]!.n, bytes: rows[0]!.bytes, logs: child.logs };
    } finally {
      await c.end();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await server.stop();
  }
}

async function onPglite(work: Workload): Promise<EngineResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'huren-bench-hub-'));
  const bareDir = mkdtempSync(join(tmpdir(), 'huren-bench-bare-'));
  try {
    const bare = await openDatabase({ dataDir: bareDir });
    let bareMs: number;
    let version: string;
    try {
      await migrate(bare);
      await importOrg(bare, ORG, 'bench');
      version = (await bare.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
      for (const b of work.warmup) await insertBare(bare, b);
      const t0 = performance.now();
      for (const b of work.measured) await insertBare(bare, b);
      bareMs = performance.now() - t0;
      await expectRows(bare, (work.warmup.length + work.measured.length) * BATCH);
    } finally {
      await bare.close();
    }

    const child = await startHubChild(dataDir, {});
    let hub: HubRun;
    let counted: number;
    try {
      const token = await issueToken(dataDir);
      hub = await postAll(child.url, token, work);
      const stats = (await callAdminSocket(adminSocketPath(dataDir), 'stats', {})) as { hospital_id: string; decisions: number }[];
      counted = stats.find((s) => s.hospital_id === HOSPITAL)?.decisions ?? 0;
    } finally {
      await child.stop();
    }
    // The folder is free once the hub has exited: open it to measure what it stored.
    const db = await openDatabase({ dataDir: pgliteDir(dataDir) });
    try {
      const { rows } = await db.query<{ n: number; bytes: number }>(`select count(*)::int as n, pg_total_relation_size('decision')::float8 as bytes from decision`);
      if (rows[0]!.n !== counted) throw new Error(`hub stats said ${counted} decisions, the database has ${rows[0]!.n}`);
      return { label: `pglite, PostgreSQL ${version}`, hub, bareMs, rows: counted, bytes: rows[0]!.bytes, logs: child.logs };
    } finally {
      await db.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(bareDir, { recursive: true, force: true });
  }
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

async function expectRows(db: Database, expected: number): Promise<void> {
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from decision');
  if (rows[0]!.n !== expected) throw new Error(`bare loop stored ${rows[0]!.n} rows for ${expected}`);
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

async function insertBare(db: Database, batch: Batch): Promise<void> {
  await db.query(BARE_SQL, batch.params);
}

/** Runs `batches` through CLIENTS concurrent loops (client c takes batches c, c + CLIENTS, …); the wall time in ms. */
async function clients(batches: Batch[], send: (b: Batch) => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = c; i < batches.length; i += CLIENTS) await send(batches[i]!);
    }),
  );
  return performance.now() - t0;
}

// ---- the hub over HTTP ---------------------------------------------------------------------

interface HubRun {
  ms: number;
  p50: number;
  p95: number;
  max: number;
  stored: number;
  duplicates: number;
  rejected: number;
  statuses: Map<number, number>;
  networkErrors: number;
  failed: number;
  firstError: string;
}

async function postAll(base: string, token: string, work: Workload): Promise<HubRun> {
  const url = `${base}${CDS_SERVICE}/feedback`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const run: HubRun = { ms: 0, p50: 0, p95: 0, max: 0, stored: 0, duplicates: 0, rejected: 0, statuses: new Map(), networkErrors: 0, failed: 0, firstError: '' };
  let latencies: number[] = [];
  const send = async (batch: Batch) => {
    for (let attempt = 0; attempt <= RESENDS; attempt++) {
      const t0 = performance.now();
      try {
        const res = await fetch(url, { method: 'POST', headers, body: batch.body });
        const text = await res.text();
        latencies.push(performance.now() - t0);
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
  await clients(work.warmup, send);
  latencies = [];
  run.ms = await clients(work.measured, send);
  run.p50 = percentile(latencies, 50);
  run.p95 = percentile(latencies, 95);
  run.max = Math.max(...latencies);
  return run;
}

/** A hospital and a hospital-wide token, through the running hub's admin socket (as `npm run hub -- token issue` does). */
async function issueToken(dataDir: string): Promise<string> {
  const socket = adminSocketPath(dataDir);
  await callAdminSocket(socket, 'org.import', { org: ORG, actor: 'bench' });
  const issued = (await callAdminSocket(socket, 'token.issue', { hospitalId: HOSPITAL, scope: 'hospital', label: 'bench', actor: 'bench' })) as IssuedToken;
  return issued.token;
}

interface HubChild {
  url: string;
  /** pino lines at warn or above, and anything on stderr. */
  logs: string[];
  /** SIGTERM, then waits for the graceful exit (SIGKILL after 20 s). */
  stop(): Promise<void>;
}

async function startHubChild(dataDir: string, env: Record<string, string>): Promise<HubChild> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'hub/main.ts', 'serve', '--port', '0', '--data', dataDir, '--ready-json'], {
    cwd: ROOT,
    env: { ...process.env, HUB_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  let ready: (url: string) => void;
  const url = new Promise<string>((ok) => (ready = ok));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      const parsed = JSON.parse(line) as { url?: string; engine?: string; level?: number };
      if (typeof parsed.url === 'string' && parsed.engine) return ready(parsed.url);
    } catch {
      // not JSON: keep it
    }
    logs.push(line);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => logs.push(line));
  let done = false;
  const stop = async () => {
    if (done) return;
    done = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const timeout = new Promise<never>((_, fail) => setTimeout(() => fail(new Error('hub did not start within 60 s')), 60_000).unref());
  try {
    const started = await Promise.race([
      url,
      exited.then((code) => Promise.reject(new Error(`hub exited (${code}) before listening: ${logs.slice(-5).join(' | ')}`))),
      timeout,
    ]);
    return { url: started, logs, stop };
  } catch (err) {
    await stop();
    throw err;
  }
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
