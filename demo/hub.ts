import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { callAdminSocket } from '../hub/admin/socket.ts';
import { adminSocketPath } from '../hub/start.ts';
import { spawnHub, type HubProcess } from '../hub/ops/spawn.ts';
import { INSTITUTIONS, RECEIVING_HOSPITAL } from './data/reference.ts';

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
export async function startDemoHub(options: { dataDir: string; port: number }): Promise<DemoHub> {
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
    return { hub, token, publicKey: hub.publicKey, close: () => hub.close() };
  } catch (err) {
    await hub.close();
    throw err;
  }
}

type Admin = (command: string, args?: Record<string, unknown>) => Promise<unknown>;

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
