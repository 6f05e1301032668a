import Dexie from 'dexie';
import type { ExternalResult } from '../../../shared/domain/external-result';
import { CachedResultsSource, loadResults } from '../../../shared/results/cached-source';
import { SourceError, type ResultsFetch, type ResultsQuery, type ResultsSource } from '../../../shared/results/source';
import { DB_NAME, HurenDb, SCHEMA_V1 } from '../../../shared/storage/db';
import { patientKey, ResultsCache } from '../../../shared/storage/results-cache';

const HOUR = 3_600_000;
const zhang = { system: 'urn:oid:2.16.156.10011.1.4', value: '440803198012260194' };
const wang = { system: 'urn:oid:2.16.156.10011.1.4', value: '44080219790208518X' };
let dbName = '';
let n = 0;

function result(id: string, collectedAt = '2026-11-20T08:00:00+08:00'): ExternalResult {
  return { id, category: 'lab', item: { name: '白细胞计数', codes: [{ system: 'http://loinc.org', code: '6690-2' }] }, value: 6.1, unit: '10^9/L', collectedAt, issuer: { identifiers: [{ value: 'zj-zxyy' }], name: '湛江中心人民医院' }, marks: ['湛江市 HR'] };
}
function fetched(at: string, ...results: ExternalResult[]): ResultsFetch {
  return { patientFound: true, results, unreadable: 1, fetchedAt: at };
}

beforeEach(() => {
  dbName = `huren-test-${++n}`;
});
afterEach(async () => {
  await Dexie.delete(dbName);
});

describe('patientKey', () => {
  it('is the SHA-256 hex of system|value, never the raw id', async () => {
    const key = await patientKey(zhang);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain(zhang.value);
    expect(await patientKey({ ...zhang })).toBe(key);
    expect(await patientKey({ value: zhang.value })).not.toBe(key);
  });
});

describe('ResultsCache', () => {
  it('stores results per patient under the hashed key and reads them back newest first', async () => {
    const cache = new ResultsCache({ db: new HurenDb(dbName) });
    await cache.put(zhang, fetched('2026-11-22T01:00:00.000Z', result('Observation/a', '2026-11-10T08:00:00+08:00'), result('Observation/b')), 'src');
    await cache.put(wang, fetched('2026-11-22T01:00:00.000Z', result('Observation/c')), 'src');
    const got = await cache.get(zhang, new Date('2026-11-22T02:00:00Z'));
    expect(got).toEqual({ patientFound: true, unreadable: 1, fetchedAt: '2026-11-22T01:00:00.000Z', results: [result('Observation/b'), result('Observation/a', '2026-11-10T08:00:00+08:00')] });
    const rows = await cache.db.results.toArray();
    expect(JSON.stringify(rows)).not.toContain(zhang.value);
    expect(await cache.get(zhang, new Date('2026-11-22T02:00:00Z'), 'other-source')).toBeUndefined();
  });

  it('replaces a patient’s results on the next fetch', async () => {
    const cache = new ResultsCache({ db: new HurenDb(dbName) });
    await cache.put(zhang, fetched('2026-11-22T01:00:00Z', result('Observation/a'), result('Observation/b')));
    await cache.put(zhang, fetched('2026-11-22T03:00:00Z', result('Observation/c')));
    expect((await cache.get(zhang, new Date('2026-11-22T04:00:00Z')))!.results.map((r) => r.id)).toEqual(['Observation/c']);
  });

  it('expires after the TTL (default 24 h) and purges expired patients', async () => {
    const cache = new ResultsCache({ db: new HurenDb(dbName) });
    expect(cache.ttlMs).toBe(24 * HOUR);
    await cache.put(zhang, fetched('2026-11-21T00:00:00Z', result('Observation/a')));
    await cache.put(wang, fetched('2026-11-21T20:00:00Z', result('Observation/b')));
    const now = new Date('2026-11-22T01:00:00Z');
    expect(await cache.get(zhang, now)).toBeUndefined();
    expect(await cache.get(wang, now)).toBeDefined();
    expect(await cache.purgeExpired(now)).toBe(1);
    expect(await cache.db.results.count()).toBe(1);
    expect(await cache.db.fetches.count()).toBe(1);

    const short = new ResultsCache({ db: cache.db, ttlMs: HOUR });
    expect(await short.get(wang, now)).toBeUndefined();
  });
});

describe('database versions', () => {
  it('keeps data written by version 1 when opened with version 2, filling the new index', async () => {
    const v1 = new Dexie(dbName);
    v1.version(1).stores(SCHEMA_V1);
    const key = await patientKey(zhang);
    await v1.table('fetches').put({ patientKey: key, fetchedAt: Date.parse('2026-11-22T01:00:00Z'), sourceId: 's', patientFound: true, unreadable: 0 });
    await v1.table('results').bulkPut([{ patientKey: key, id: 'Observation/a', result: result('Observation/a') }, { patientKey: 'orphan', id: 'Observation/z', result: result('Observation/z') }]);
    v1.close();

    const db = new HurenDb(dbName);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(2); // later versions add tables and keep these
    const cache = new ResultsCache({ db });
    expect((await cache.get(zhang, new Date('2026-11-22T02:00:00Z')))!.results).toEqual([result('Observation/a')]);
    expect(await db.results.where('fetchedAt').equals(Date.parse('2026-11-22T01:00:00Z')).count()).toBe(1);
    await cache.purgeExpired(new Date('2026-11-22T02:00:00Z'));
    expect(await db.results.count()).toBe(1); // the orphan (no fetch row) went with the purge
    db.close();
  });

  it('is named huren by default', () => {
    expect(new HurenDb().name).toBe(DB_NAME);
    expect(DB_NAME).toBe('huren');
  });
});

describe('loadResults', () => {
  const query: ResultsQuery = { patient: zhang, since: new Date('2026-09-01') };
  function flaky(): ResultsSource & { fail?: SourceError } {
    const s: ResultsSource & { fail?: SourceError } = {
      id: 'fhir:test',
      async fetchResults() {
        if (s.fail) throw s.fail;
        return fetched('2026-11-22T01:00:00.000Z', result('Observation/a'));
      },
    };
    return s;
  }

  it('answers fresh results and caches them', async () => {
    const cache = new ResultsCache({ db: new HurenDb(dbName) });
    const got = await loadResults(flaky(), cache, query, new Date('2026-11-22T01:00:00Z'));
    expect(got).toMatchObject({ stale: false, results: [result('Observation/a')] });
    expect(await cache.get(zhang, new Date('2026-11-22T01:00:00Z'))).toBeDefined();
  });

  it.each(['unreachable', 'timeout', 'server'] as const)('falls back to the cache, marked stale, when the platform is %s', async (kind) => {
    const cache = new ResultsCache({ db: new HurenDb(dbName) });
    const source = flaky();
    await loadResults(source, cache, query, new Date('2026-11-22T01:00:00Z'));
    source.fail = new SourceError(kind, 'down');
    const got = await loadResults(source, cache, query, new Date('2026-11-22T09:00:00Z'));
    expect(got).toMatchObject({ stale: true, staleReason: kind, fetchedAt: '2026-11-22T01:00:00.000Z', results: [result('Observation/a')] });
  });

  it('rethrows when nothing is cached, when the cache expired, and on errors that are not outages', async () => {
    const cache = new ResultsCache({ db: new HurenDb(dbName) });
    const source = flaky();
    source.fail = new SourceError('unreachable', 'down');
    await expect(loadResults(source, cache, query)).rejects.toMatchObject({ kind: 'unreachable' });
    source.fail = undefined;
    await loadResults(source, cache, query, new Date('2026-11-22T01:00:00Z'));
    source.fail = new SourceError('unauthorized', 'no', 401);
    await expect(loadResults(source, cache, query, new Date('2026-11-22T02:00:00Z'))).rejects.toMatchObject({ kind: 'unauthorized' });
    source.fail = new SourceError('timeout', 'slow');
    await expect(loadResults(source, cache, query, new Date('2026-11-23T02:00:00Z'))).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('works as a drop-in ResultsSource', async () => {
    const cache = new ResultsCache({ db: new HurenDb(dbName) });
    const source = flaky();
    const cached = new CachedResultsSource(source, cache, () => new Date('2026-11-22T02:00:00Z'));
    expect((await cached.fetchResults(query)).stale).toBe(false);
    source.fail = new SourceError('server', 'down', 503);
    expect(await cached.fetchResults(query)).toMatchObject({ stale: true, staleReason: 'server' });
  });
});
