import { beforeEach, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { bundledPackJson } from '../../../shared/rules/bundled';
import { loadActivePacks, MAX_PACK_BYTES, storePackFile } from '../../../extension/settings/rule-packs';

/*
 * Security review: a valid 10 MB rule pack from a URL went over storage.local's quota; the sidebar
 * stayed blank with no message and did not fall back to the last good pack.
 */
const URL_PACK = 'https://platform.example/packs/big.json';
const demo = bundledPackJson.demo as { meta: { id: string; version: string }; catalog: Record<string, unknown>[] };
const version = (v: string, padding = 0) => ({ ...demo, meta: { ...demo.meta, version: v }, catalog: demo.catalog.map((c, i) => (i === 0 && padding ? { ...c, note: 'x'.repeat(padding) } : c)) });
const respond = (body: unknown): typeof fetch => (async () => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })) as typeof fetch;

/** storage.local as Chrome keeps it: 10 MB in all (no unlimitedStorage). */
function withQuota(): void {
  const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
  const get = fakeBrowser.storage.local.get.bind(fakeBrowser.storage.local);
  vi.spyOn(fakeBrowser.storage.local, 'set').mockImplementation(async (items: Record<string, unknown>) => {
    const after = { ...(await get(null)), ...items };
    if (JSON.stringify(after).length > 10 * 1024 * 1024) throw new Error('Resource::kQuotaBytes quota exceeded');
    return set(items);
  });
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
  withQuota();
});

test('an oversize URL pack is refused with a message, and the last good copy stays in use', async () => {
  const first = await loadActivePacks({ activePacks: [{ kind: 'url', url: URL_PACK }] }, { fetch: respond(version('small')) });
  expect(first.packs.map((p) => p.meta.version)).toEqual(['small']);
  const big = await loadActivePacks({ activePacks: [{ kind: 'url', url: URL_PACK }] }, { fetch: respond(version('big', 10 * 1024 * 1024)) });
  expect(big.packs.map((p) => p.meta.version)).toEqual(['small']);
  expect(big.problems).toHaveLength(1);
  expect(big.problems[0]).toMatch(/超过.*MB/);
  expect(big.problems[0]).toMatch(/继续使用/);
});

test('an oversize URL pack with no earlier copy: a problem, never a thrown error', async () => {
  const r = await loadActivePacks({ activePacks: [{ kind: 'url', url: URL_PACK }, { kind: 'bundled', id: 'demo' }] }, { fetch: respond(version('big', 10 * 1024 * 1024)) });
  expect(r.packs.map((p) => p.meta.id)).toEqual(['demo']);
  expect(r.problems[0]).toMatch(/没有可用的旧版本/);
});

test('storage refusing a pack within the size limit is a problem too (quota used by other packs)', async () => {
  const near = MAX_PACK_BYTES - 200_000;
  await fakeBrowser.storage.local.set({ filler: 'y'.repeat(9 * 1024 * 1024) });
  const r = await loadActivePacks({ activePacks: [{ kind: 'url', url: URL_PACK }] }, { fetch: respond(version('mid', near)) });
  // Valid and within the limit: used for this session even though it could not be kept.
  expect(r.packs.map((p) => p.meta.version)).toEqual(['mid']);
  expect(r.problems[0]).toMatch(/无法保存/);
});

test('an oversize pack file is refused before anything is stored', async () => {
  const result = await storePackFile('big.json', version('big', MAX_PACK_BYTES));
  expect(result.ok).toBe(false);
  expect(await fakeBrowser.storage.local.get('pack-file:big.json')).toEqual({});
});
