// @vitest-environment node
// The extension's fleet sync against the real hub (in process, PGlite in memory), through Fastify's inject.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { openDatabase, type Database } from '../../../hub/db/database';
import { migrate } from '../../../hub/db/migrate';
import { keysFrom, type HubKeys } from '../../../hub/security/keys';
import { buildHub, type Hub } from '../../../hub/server';
import { activatePack, importOrg, publishPack, setConfig } from '../../../hub/admin/operations';
import { issueToken } from '../../../hub/auth/tokens';
import { syncFleet } from '../../../extension/background/fleet';
import { readSettings, saveSettings, Settings, loadSettings } from '../../../extension/settings/settings';
import { loadActivePacks } from '../../../extension/settings/rule-packs';
import { HurenDb } from '../../../shared/storage/db';

const PACK = readFileSync('shared/rules/packs/demo.json', 'utf8');
const HUB = 'http://hub.test';

let db: Database;
let keys: HubKeys;
let hub: Hub;
let token: string;
let tamper: ((body: string) => string) | undefined;
let requests: { etag?: string; status: number }[] = [];

/** fetch → the hub's inject (a real request through the hub's routes). */
const hubFetch: typeof fetch = async (input, init) => {
  const url = new URL(String(input));
  const headers = Object.fromEntries(new Headers(init?.headers).entries());
  const res = await hub.app.inject({ method: 'GET', url: url.pathname, headers });
  requests.push({ etag: headers['if-none-match'], status: res.statusCode });
  const body = tamper && res.statusCode === 200 ? tamper(res.body) : res.body;
  return new Response(res.statusCode === 304 ? null : body, { status: res.statusCode, headers: res.headers as Record<string, string> });
};

beforeAll(async () => {
  db = await openDatabase({});
  await migrate(db);
  keys = keysFrom(Buffer.alloc(32, 3), generateKeyPairSync('ed25519').privateKey);
  hub = buildHub({ db, keys, log: { level: 'silent' } });
  await importOrg(db, { hospitals: [{ id: 'zj-rmyy', name: '湛江中心人民医院' }] }, 'test');
  token = (await issueToken(db, { hospitalId: 'zj-rmyy', scope: 'hospital', label: 'test', actor: 'test' })).token;
  // A new PGlite database runs initdb (seconds on a loaded 2-core machine).
}, 60_000);
afterAll(async () => {
  await hub.app.close();
  await db.close();
});

beforeEach(async () => {
  fakeBrowser.reset();
  tamper = undefined;
  requests = [];
  await saveSettings({ hubUrl: HUB, hubToken: token, hubSigningKeys: [keys.publicKey] });
});

const sync = async (dbName = `fleet-${crypto.randomUUID()}`) => syncFleet(await loadSettings(), { fetch: hubFetch, db: new HurenDb(dbName) });

describe('fleet configuration in the extension', () => {
  test('the hub token is kept in the extension\'s IndexedDB, not in storage.local (content scripts read that), and the sync still authenticates', async () => {
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain(token);
    await sync();
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => r.status !== 401)).toBe(true);
  });

  test('says so when the hub has no configuration for the hospital yet', async () => {
    const state = await sync();
    expect(state?.lastError).toMatch(/尚未为本院下发配置/);
    expect((await readSettings()).fleetKeys).toEqual([]);
  });

  test('a verified configuration becomes the settings layer below policy: packs, adapters, settings', async () => {
    const pack = await publishPack(db, keys, PACK, 'test');
    await activatePack(db, ['zj-rmyy'], pack, 'test');
    await setConfig(db, 'zj-rmyy', { settings: { lookbackDays: 45, receivingInstitution: 'zj-rmyy' }, packs: [{ id: pack.id, version: pack.version }] }, 'test');
    const state = await sync();
    expect(state).toMatchObject({ version: 2, hospital: { id: 'zj-rmyy' }, refusals: [], lastError: undefined });
    const report = await readSettings();
    expect(report.settings.lookbackDays).toBe(45);
    expect(report.settings.activePacks).toEqual([{ kind: 'hub', id: 'demo' }]);
    expect(report.fleetKeys).toEqual(expect.arrayContaining(['lookbackDays', 'receivingInstitution', 'activePacks']));
    expect((await loadActivePacks(report.settings)).packs.map((p) => p.meta.version)).toEqual([pack.version]);
    // Local values stay stored but the hub's win; policy (managed) would win over both.
    await saveSettings({ lookbackDays: 10 });
    expect((await readSettings()).settings.lookbackDays).toBe(45);
  });

  test('polls with If-None-Match: an unchanged configuration costs a 304', async () => {
    await sync();
    await sync();
    expect(requests.at(-1)).toMatchObject({ status: 304, etag: expect.stringMatching(/^"zj-rmyy-/) });
  });

  test('a pack whose signature fails is refused, the last good copy kept, the refusal reported to the hub', async () => {
    await sync();
    const newer = JSON.parse(PACK);
    newer.meta.version = '2026.2-demo';
    const published = await publishPack(db, keys, JSON.stringify(newer), 'test');
    await activatePack(db, ['zj-rmyy'], published, 'test');
    // Someone between the hub and the browser changes the pack (signature no longer matches).
    tamper = (body) => {
      const doc = JSON.parse(body);
      const config = JSON.parse(doc.payload);
      // Re-sign the configuration so only the pack's own signature is wrong.
      config.packs[0].payload = config.packs[0].payload.replace('"2026.2-demo"', '"2026.2-evil"');
      return JSON.stringify(keys.sign('fleet-config', JSON.stringify(config)));
    };
    const eventsDb = `fleet-${crypto.randomUUID()}`;
    const state = await sync(eventsDb);
    expect(state!.refusals[0]).toMatchObject({ id: 'demo', version: '2026.2-evil', reason: '签名无效 (signature does not verify)', reported: true });
    expect(state!.packs.map((p) => p.version)).toEqual(['2026.1-demo']);
    const queued = await new HurenDb(eventsDb).events.toArray();
    expect(queued.map((e) => e.entry.event)).toEqual([expect.objectContaining({ kind: 'pack-refused', pack: { id: 'demo', version: '2026.2-evil' } })]);
    // Seen again, it is not reported twice.
    tamper = (body) => {
      const doc = JSON.parse(body);
      const config = JSON.parse(doc.payload);
      config.packs[0].payload = config.packs[0].payload.replace('"2026.2-demo"', '"2026.2-evil"');
      return JSON.stringify(keys.sign('fleet-config', JSON.stringify(config)));
    };
    requests = [];
    await sync(eventsDb);
    expect(await new HurenDb(eventsDb).events.count()).toBe(1);
  });

  test('a configuration signed with a key that is not pinned is refused entirely', async () => {
    const other = keysFrom(Buffer.alloc(32, 4), generateKeyPairSync('ed25519').privateKey);
    tamper = (body) => JSON.stringify(other.sign('fleet-config', JSON.parse(body).payload));
    const before = (await readSettings()).settings;
    const state = await sync();
    expect(state!.refusals[0]!.reason).toMatch(/不在固定的公钥中/);
    expect(state!.lastError).toMatch(/未通过校验/);
    expect((await readSettings()).settings).toEqual(before);
  });

  test('without pinned keys nothing from the hub is used', async () => {
    await saveSettings({ hubSigningKeys: undefined });
    const state = await sync();
    expect(state!.refusals[0]!.reason).toMatch(/未配置签名公钥/);
    expect(Settings.shape.hubSigningKeys.safeParse(['short']).success).toBe(false);
  });
});
