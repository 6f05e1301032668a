import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { callAdminSocket } from '../hub/admin/socket.ts';
import { adminSocketPath } from '../hub/start.ts';
import { spawnHub, type HubProcess } from '../hub/ops/spawn.ts';
import { INSTITUTIONS, RECEIVING_HOSPITAL } from './data/reference.ts';
import { demoHistory } from './hub-history.ts';

/** The demo's dashboard accounts (a demo only: never ship known passwords). */
export const DEMO_PASSWORD = 'Huren-demo-2026';
export const DEMO_ACCOUNTS = [
  { username: 'yiwuke', displayName: '医务科 张科长', role: 'quality', hospitalId: RECEIVING_HOSPITAL },
  { username: 'huxi', displayName: '呼吸内科 陈主任', role: 'department_head', hospitalId: RECEIVING_HOSPITAL, department: '呼吸内科' },
  { username: 'quyu', displayName: '湛江市卫健委 质控中心', role: 'region' },
  { username: 'admin', displayName: '系统管理员', role: 'admin' },
] as const;

const ROOT = resolve(import.meta.dirname, '..');

export interface DemoHub {
  hub: HubProcess;
  /** The demo hospital's ingest token (湛江市人民医院, 呼吸内科 workstation scope: hospital). */
  token: string;
  /** The hub's public signing key, pinned in the demo browsers. */
  publicKey: string;
  close(): Promise<void>;
}

/**
 * The demo's hub: `npm run hub` in its own process on a data folder that survives demo runs,
 * seeded through its admin socket with the demo's hospitals (the 8 institutions of the demo
 * data, with 院区 and departments for 湛江市人民医院), the demo and 湛江 rule packs (signed),
 * the demo hospital's configuration, and one ingest token (kept in the data folder, reused).
 */
export async function startDemoHub(options: { dataDir: string; port: number; today?: Date }): Promise<DemoHub> {
  const dataDir = resolve(options.dataDir);
  const hub = await spawnHub({ dataDir, port: options.port });
  const admin = (command: string, args: Record<string, unknown> = {}) => callAdminSocket(adminSocketPath(dataDir), command, args);
  const actor = 'demo';
  try {
    await admin('org.import', {
      actor,
      org: {
        hospitals: INSTITUTIONS.map((i) => ({
          id: i.id,
          name: i.name,
          level: i.level,
          region: i.region,
          campuses:
            i.id === RECEIVING_HOSPITAL
              ? [
                  { id: 'main', name: '本部', departments: ['呼吸内科', '心血管内科', '消化内科'] },
                  { id: 'east', name: '东院区', departments: ['内分泌科', '普通外科'] },
                ]
              : [],
        })),
      },
    });
    for (const pack of ['demo', 'zhanjiang']) {
      const published = (await admin('pack.publish', { actor, text: readFileSync(join(ROOT, 'shared/rules/packs', `${pack}.json`), 'utf8') })) as { id: string; version: string };
      if (pack === 'demo') await ensureConfig(admin, published);
    }
    const token = await demoToken(dataDir, admin);
    await ensureAccounts(admin);
    await ensureHistory(admin, hub.url, options.today ?? new Date());
    return { hub, token, publicKey: hub.publicKey, close: () => hub.close() };
  } catch (err) {
    await hub.close();
    throw err;
  }
}

type Admin = (command: string, args?: Record<string, unknown>) => Promise<unknown>;

async function ensureAccounts(admin: Admin): Promise<void> {
  const existing = new Set(((await admin('account.list')) as { username: string }[]).map((a) => a.username));
  for (const a of DEMO_ACCOUNTS) if (!existing.has(a.username)) await admin('account.add', { actor: 'demo', account: { ...a, password: DEMO_PASSWORD } });
}

/**
 * Past weeks for every demo hospital, sent once (a hub that has them keeps them) through the
 * ingest endpoints with a token per hospital, as browsers would; then the rollups are rebuilt.
 */
async function ensureHistory(admin: Admin, hubUrl: string, today: Date): Promise<void> {
  const stats = (await admin('stats')) as { hospital_id: string; decisions: number }[];
  if (stats.some((s) => s.hospital_id !== RECEIVING_HOSPITAL && s.decisions > 0)) return;
  for (const { hospital, decisions, events } of demoHistory(today)) {
    const { token } = (await admin('token.issue', { actor: 'demo', hospitalId: hospital, scope: 'hospital', label: '演示历史数据' })) as { token: string };
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${hubUrl}/cds-services/huren/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      const answer = (await res.json().catch(() => ({}))) as { rejected?: number };
      if (!res.ok || answer.rejected) throw new Error(`demo history for ${hospital}: HTTP ${res.status} ${JSON.stringify(answer).slice(0, 300)}`);
    };
    for (let i = 0; i < events.length; i += 50) await post('events', { events: events.slice(i, i + 50) });
    for (let i = 0; i < decisions.length; i += 50) await post('feedback', { feedback: decisions.slice(i, i + 50) });
  }
  await admin('rollups.refresh');
}

async function ensureConfig(admin: Admin, pack: { id: string; version: string }): Promise<void> {
  const current = (await admin('config.show', { hospitalId: RECEIVING_HOSPITAL })) as { packs: { id: string; version: string }[]; settings: Record<string, unknown> };
  if (current.packs.some((p) => p.id === pack.id && p.version === pack.version)) return;
  await admin('config.set', {
    actor: 'demo',
    hospitalId: RECEIVING_HOSPITAL,
    body: { settings: { receivingInstitution: RECEIVING_HOSPITAL, lookbackDays: 90 }, packs: [{ id: pack.id, version: pack.version }] },
  });
}

/** The token issued on a previous run, if the hub still knows it; else a new one. */
async function demoToken(dataDir: string, admin: Admin): Promise<string> {
  const file = join(dataDir, 'demo-token.txt');
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    const id = /^hrt_([\w-]{12})_/.exec(token)?.[1];
    const tokens = (await admin('token.list', { hospitalId: RECEIVING_HOSPITAL })) as { id: string; revoked_at: string | null }[];
    if (id && tokens.some((t) => t.id === id && !t.revoked_at)) return token;
  }
  const issued = (await admin('token.issue', { actor: 'demo', hospitalId: RECEIVING_HOSPITAL, scope: 'hospital', label: '演示工作站' })) as { token: string };
  writeFileSync(file, issued.token, { mode: 0o600 });
  return issued.token;
}
