import { randomBytes, generateKeyPairSync } from 'node:crypto';
import { inject } from 'vitest';
import pg from 'pg';
import { openDatabase, type Database } from '../../hub/db/database.ts';
import { migrate } from '../../hub/db/migrate.ts';
import { keysFrom, type HubKeys } from '../../hub/security/keys.ts';
import { buildHub, type Hub } from '../../hub/server.ts';
import { importOrg } from '../../hub/admin/operations.ts';
import { issueToken, type IssuedToken } from '../../hub/auth/tokens.ts';
import { EXT, type Decision } from '../../shared/domain/decision.ts';
import type { HubEventEntry } from '../../shared/hub/ingest.ts';

/** Both engines every hub integration test runs on. */
export const ENGINES = ['pglite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

/** A fresh, migrated database: PGlite in memory, or a new database on the test server (dropped by `drop`). */
export async function freshDatabase(engine: Engine): Promise<{ db: Database; url?: string; drop(): Promise<void> }> {
  if (engine === 'pglite') {
    const db = await openDatabase({});
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  const admin = inject('postgresUrl');
  const name = `hub_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = admin.replace(/\/[^/]*$/, `/${name}`);
  const db = await openDatabase({ url });
  await migrate(db);
  return {
    db,
    url,
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export function testKeys(): HubKeys {
  return keysFrom(Buffer.alloc(32, 7), generateKeyPairSync('ed25519').privateKey);
}

export const HOSPITAL = 'zj-rmyy';
export const OTHER = 'mm-rmyy';

/** A hub on a fresh database with two hospitals and a token for each. */
export async function testHub(engine: Engine, now?: () => Date): Promise<{
  hub: Hub;
  db: Database;
  keys: HubKeys;
  token: IssuedToken;
  otherToken: IssuedToken;
  url?: string;
  close(): Promise<void>;
}> {
  const { db, url, drop } = await freshDatabase(engine);
  const keys = testKeys();
  await importOrg(
    db,
    {
      hospitals: [
        { id: HOSPITAL, name: '湛江中心人民医院', level: '三级甲等', region: '湛江市', campuses: [{ id: 'main', name: '本部', departments: ['心内科'] }] },
        { id: OTHER, name: '茂名市人民医院', level: '三级甲等', region: '茂名市' },
      ],
    },
    'test',
  );
  const token = await issueToken(db, { hospitalId: HOSPITAL, scope: 'department', department: '心内科', label: '心内科', actor: 'test' });
  const otherToken = await issueToken(db, { hospitalId: OTHER, scope: 'hospital', label: '茂名', actor: 'test' });
  const hub = buildHub({ db, keys, log: { level: 'silent' }, ...(now ? { now } : {}) });
  await hub.app.ready();
  return {
    hub,
    db,
    keys,
    token,
    otherToken,
    url,
    async close() {
      await hub.app.close();
      await drop();
    },
  };
}

export const PATIENT = { system: 'urn:oid:2.16.156.10011.1.3', value: '440802199001011234' };

let n = 0;
const uuid = () => crypto.randomUUID();

/** A valid decision (recognition unless `overridden`), with fields overridable. */
export function decision(extra: { outcome?: 'accepted' | 'overridden'; hospital?: string; at?: string; patient?: typeof PATIENT; department?: string } = {}): Decision {
  n++;
  const outcome = extra.outcome ?? 'accepted';
  return {
    uuid: uuid(),
    card: uuid(),
    outcome,
    ...(outcome === 'accepted'
      ? { acceptedSuggestions: [{ id: 'recognize' }] }
      : { overrideReason: { reason: { system: 'https://huren.example/fhir/CodeSystem/retest-reason', code: 'RT-2', display: '检查检验结果在疾病发展演变过程中变化较快的' } } }),
    outcomeTimestamp: extra.at ?? '2026-11-30T01:00:00.000Z',
    extension: {
      [EXT]: {
        hospital: extra.hospital ?? HOSPITAL,
        patient: extra.patient ?? PATIENT,
        item: { id: 'cbc', name: '血细胞分析', category: 'lab' },
        result: { id: `r${n}`, reportNumber: `B${n}`, date: '2026-11-20' },
        issuer: { id: 'zj-zxyy', name: '湛江市中心医院' },
        practitioner: { physician: '李明', department: extra.department ?? '心内科' },
        pack: { id: 'demo', version: '2026.1' },
        trigger: 'patient-view',
        ...(outcome === 'accepted' ? { savedPrice: 25 } : {}),
      },
    },
  } as Decision;
}

export function promptedEvent(extra: { hospital?: string } = {}): HubEventEntry {
  return {
    uuid: uuid(),
    ...(extra.hospital ? { hospital: extra.hospital } : { hospital: HOSPITAL }),
    event: {
      kind: 'prompted',
      at: '2026-11-30T01:00:00.000Z',
      actor: { physician: '李明', department: '心内科' },
      patient: PATIENT,
      card: uuid(),
      item: { id: 'cbc', name: '血细胞分析', category: 'lab' },
      trigger: 'patient-view',
      result: { id: 'r1', reportNumber: 'B1', date: '2026-11-20', issuer: { id: 'zj-zxyy', name: '湛江市中心医院' } },
      pack: { id: 'demo', version: '2026.1' },
    },
  };
}

export const bearer = (token: { token: string }) => ({ authorization: `Bearer ${token.token}` });
