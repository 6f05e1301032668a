import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { bundledPackJson } from '../../../shared/rules/bundled';
import { loadActivePacks, packUrlKey, storePackFile } from '../../../extension/settings/rule-packs';

const URL_PACK = 'https://platform.example/packs/zhanjiang.json';
const demo = bundledPackJson.demo as { meta: { id: string; version: string } };
const withVersion = (version: string) => ({ ...demo, meta: { ...demo.meta, version } });

const respond = (body: unknown, status = 200): typeof fetch =>
  (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })) as typeof fetch;
const offline: typeof fetch = async () => {
  throw new TypeError('Failed to fetch');
};

describe('active rule packs', () => {
  beforeEach(() => fakeBrowser.reset());

  test('bundled packs load by id; an unknown id is a problem, not a crash', async () => {
    const r = await loadActivePacks({ activePacks: [{ kind: 'bundled', id: 'demo' }, { kind: 'bundled', id: 'nowhere' }] });
    expect(r.packs.map((p) => p.meta.id)).toEqual(['demo']);
    expect(r.problems).toEqual(['内置规则包 nowhere：不存在']);
  });

  test('a file pack is validated before it is stored, then loads from storage', async () => {
    const bad = await storePackFile('bad.json', { formatVersion: 2 });
    expect(bad.ok).toBe(false);
    expect((await fakeBrowser.storage.local.get(null))).toEqual({});
    expect((await storePackFile('ours.json', withVersion('file-1'))).ok).toBe(true);
    const r = await loadActivePacks({ activePacks: [{ kind: 'file', name: 'ours.json' }, { kind: 'file', name: 'bad.json' }] });
    expect(r.packs.map((p) => p.meta.version)).toEqual(['file-1']);
    expect(r.problems).toEqual(['规则包文件 bad.json：未找到，请重新导入']);
  });

  test('a URL pack is fetched, validated and kept as the last good copy', async () => {
    const r = await loadActivePacks({ activePacks: [{ kind: 'url', url: URL_PACK }] }, { fetch: respond(withVersion('v1')) });
    expect(r).toMatchObject({ packs: [{ meta: { version: 'v1' } }], problems: [] });
    expect((await fakeBrowser.storage.local.get(packUrlKey(URL_PACK)))[packUrlKey(URL_PACK)]).toMatchObject({ json: { meta: { version: 'v1' } } });
  });

  test('when the URL is unreachable, the last good copy is used and the failure reported', async () => {
    await loadActivePacks({ activePacks: [{ kind: 'url', url: URL_PACK }] }, { fetch: respond(withVersion('v1')) });
    const r = await loadActivePacks({ activePacks: [{ kind: 'url', url: URL_PACK }] }, { fetch: offline });
    expect(r.packs.map((p) => p.meta.version)).toEqual(['v1']);
    expect(r.problems[0]).toMatch(/fetch failed.*继续使用 .* 获取的版本/);
  });

  test('an invalid upload does not replace the last good copy', async () => {
    await loadActivePacks({ activePacks: [{ kind: 'url', url: URL_PACK }] }, { fetch: respond(withVersion('v1')) });
    const r = await loadActivePacks({ activePacks: [{ kind: 'url', url: URL_PACK }] }, { fetch: respond({ ...withVersion('v2'), retestReasons: [] }) });
    expect(r.packs.map((p) => p.meta.version)).toEqual(['v1']);
    expect(r.problems[0]).toMatch(/retestReasons/);
    const again = await loadActivePacks({ activePacks: [{ kind: 'url', url: URL_PACK }] }, { fetch: respond('', 503) });
    expect(again.packs.map((p) => p.meta.version)).toEqual(['v1']);
    expect(again.problems[0]).toMatch(/HTTP 503/);
  });

  test('no copy ever fetched: the pack is missing and says so', async () => {
    const r = await loadActivePacks({ activePacks: [{ kind: 'url', url: URL_PACK }] }, { fetch: offline });
    expect(r.packs).toEqual([]);
    expect(r.problems[0]).toMatch(/没有可用的旧版本/);
  });
});
