import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetConfig } from '../../shared/fleet/config.ts';
import { verifySigned } from '../../shared/fleet/signed.ts';
import { parseRulePack } from '../../shared/rules/parse.ts';
import { activatePack, AdminError, publishPack, setConfig } from '../../hub/admin/operations.ts';
import { bearer, ENGINES, HOSPITAL, OTHER, testHub } from './support.ts';

const DEMO_PACK = readFileSync('shared/rules/packs/demo.json', 'utf8');

describe.each(ENGINES)('fleet configuration on %s', (engine) => {
  let t: Awaited<ReturnType<typeof testHub>>;
  beforeAll(async () => {
    t = await testHub(engine);
  });
  afterAll(() => t.close());

  const get = (token = t.token, etag?: string) =>
    t.hub.app.inject({ method: 'GET', url: '/fleet/v1/config', headers: { ...bearer(token), ...(etag ? { 'if-none-match': etag } : {}) } });

  it('has nothing to serve before the hospital is configured', async () => {
    expect((await get()).statusCode).toBe(404);
    expect((await t.hub.app.inject({ method: 'GET', url: '/fleet/v1/config' })).statusCode).toBe(401);
  });

  it('serves a signed configuration with signed packs that browsers verify with the pinned key', async () => {
    const published = await publishPack(t.db, t.keys, DEMO_PACK, 'test');
    expect(published).toMatchObject({ id: 'demo', already: false });
    await activatePack(t.db, [HOSPITAL], published, 'test');
    const res = await get();
    expect(res.statusCode).toBe(200);
    const verified = await verifySigned(res.json(), 'fleet-config', [t.keys.publicKey]);
    expect(verified.ok).toBe(true);
    const config = FleetConfig.parse(JSON.parse((verified as { payload: string }).payload));
    expect(config).toMatchObject({ hospital: { id: HOSPITAL, name: '湛江中心人民医院' }, version: 1 });
    const pack = await verifySigned(config.packs[0], 'rule-pack', [t.keys.publicKey]);
    expect(pack.ok && parseRulePack(JSON.parse(pack.payload)).ok).toBe(true);
    // Another key, or a pack passed off as a configuration, does not verify.
    expect((await verifySigned(res.json(), 'fleet-config', [t.keys.publicKey.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))])).ok).toBe(false);
    expect((await verifySigned(config.packs[0], 'fleet-config', [t.keys.publicKey])).ok).toBe(false);
  });

  it('answers 304 while nothing changed, and a new ETag once it does', async () => {
    const first = await get();
    const etag = first.headers.etag as string;
    expect((await get(t.token, etag)).statusCode).toBe(304);
    await setConfig(t.db, HOSPITAL, { settings: { lookbackDays: 60 }, packs: [{ id: 'demo', version: JSON.parse(DEMO_PACK).meta.version }] }, 'test');
    const changed = await get(t.token, etag);
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    const verified = await verifySigned(changed.json(), 'fleet-config', [t.keys.publicKey]);
    expect(FleetConfig.parse(JSON.parse((verified as { payload: string }).payload)).settings).toEqual({ lookbackDays: 60 });
  });

  it('serves each hospital its own configuration', async () => {
    expect((await get(t.otherToken)).statusCode).toBe(404);
    await setConfig(t.db, OTHER, { settings: { receivingInstitution: OTHER } }, 'test');
    const verified = await verifySigned((await get(t.otherToken)).json(), 'fleet-config', [t.keys.publicKey]);
    expect(JSON.parse((verified as { payload: string }).payload).hospital.id).toBe(OTHER);
  });

  it('never publishes an invalid pack, and never changes a published version', async () => {
    const pack = JSON.parse(DEMO_PACK);
    await expect(publishPack(t.db, t.keys, JSON.stringify({ ...pack, catalog: 'x' }), 'test')).rejects.toThrow(/invalid pack: catalog/);
    await expect(publishPack(t.db, t.keys, '{', 'test')).rejects.toThrow(AdminError);
    expect((await publishPack(t.db, t.keys, DEMO_PACK, 'test')).already).toBe(true);
    await expect(publishPack(t.db, t.keys, JSON.stringify({ ...pack, meta: { ...pack.meta, name: '改名' } }), 'test')).rejects.toThrow(/already published with other content/);
    await expect(setConfig(t.db, HOSPITAL, { packs: [{ id: 'demo', version: 'nope' }] }, 'test')).rejects.toThrow(/not published/);
    await expect(setConfig(t.db, HOSPITAL, { adapters: [{ id: 1 }] }, 'test')).rejects.toThrow(/^adapters\[0\]/);
    await expect(setConfig(t.db, HOSPITAL, { settings: { fhirBaseUrl: 'javascript:alert(1)' } }, 'test')).rejects.toThrow(/settings\.fhirBaseUrl/);
  });
});
