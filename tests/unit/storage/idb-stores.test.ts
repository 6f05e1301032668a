import type { ExternalResult } from '../../../shared/domain/external-result';
import { EXT, type Decision } from '../../../shared/domain/decision';
import { loadResults } from '../../../shared/results/cached-source';
import { SourceError, type ResultsFetch, type ResultsSource } from '../../../shared/results/source';
import { HurenDb } from '../../../shared/storage/db';
import { DexieDecisionStore } from '../../../shared/storage/decision-store';
import { each, openDb, req, transact } from '../../../shared/storage/idb-lite';
import { IdbDecisionStore, IdbResultsCache } from '../../../shared/storage/idb-stores';
import { patientKey, ResultsCache } from '../../../shared/storage/results-cache';
import { upgradeWidgetDb, WIDGET_DB_VERSION, WidgetDb } from '../../../shared/storage/widget-db';
import { WIDGET_DB } from '../../../widget/db-name';
import { decision } from '../outbox/fixtures';

const HOUR = 3_600_000;
const zhang = { system: 'urn:oid:2.16.156.10011.1.4', value: '440803198012260194' };
const wang = { system: 'urn:oid:2.16.156.10011.1.4', value: '44080219790208518X' };
let n = 0;
const name = () => `idb-stores-test-${++n}`;

function result(id: string, collectedAt = '2026-11-20T08:00:00+08:00'): ExternalResult {
  return { id, category: 'lab', item: { name: '白细胞计数', codes: [{ system: 'http://loinc.org', code: '6690-2' }] }, value: 6.1, unit: '10^9/L', collectedAt, issuer: { identifiers: [{ value: 'zj-zxyy' }], name: '湛江中心人民医院' }, marks: ['湛江市 HR'] };
}
function fetched(at: string, ...results: ExternalResult[]): ResultsFetch {
  return { patientFound: true, results, unreadable: 1, fetchedAt: at };
}
/** Every row of a widget store, straight from IndexedDB. */
async function all<T>(db: WidgetDb, store: 'decisions' | 'fetches' | 'results'): Promise<T[]> {
  return db.read(store, (s) => s.getAll() as IDBRequest<T[]>);
}

/** The same cache behaviour over Dexie (extension) and plain IndexedDB (widget). */
describe.each([
  { kind: 'dexie', make: (db: string, ttlMs?: number) => new ResultsCache({ db: new HurenDb(db), ...(ttlMs ? { ttlMs } : {}) }) },
  { kind: 'idb (widget)', make: (db: string, ttlMs?: number) => new IdbResultsCache(new WidgetDb(db), ttlMs) },
])('results cache in $kind', ({ make }) => {
  test('stores results per patient and reads them back newest first, per source', async () => {
    const cache = make(name());
    await cache.put(zhang, fetched('2026-11-22T01:00:00.000Z', result('Observation/a', '2026-11-10T08:00:00+08:00'), result('Observation/b')), 'src');
    await cache.put(wang, fetched('2026-11-22T01:00:00.000Z', result('Observation/c')), 'src');
    expect(await cache.get(zhang, new Date('2026-11-22T02:00:00Z'))).toEqual({ patientFound: true, unreadable: 1, fetchedAt: '2026-11-22T01:00:00.000Z', results: [result('Observation/b'), result('Observation/a', '2026-11-10T08:00:00+08:00')] });
    expect(await cache.get(zhang, new Date('2026-11-22T02:00:00Z'), 'src')).toBeDefined();
    expect(await cache.get(zhang, new Date('2026-11-22T02:00:00Z'), 'other-source')).toBeUndefined();
    expect(await cache.get({ value: 'nobody' }, new Date('2026-11-22T02:00:00Z'))).toBeUndefined();
  });

  test('keeps what the platform said about the patient, so a cached answer is identity-checked too (患者身份核对)', async () => {
    const cache = make(name());
    const about = { names: ['张伟'], gender: 'male', birthDate: '1980-12-26' };
    await cache.put(zhang, { ...fetched('2026-11-22T01:00:00.000Z', result('Observation/a')), patient: about }, 'src');
    expect((await cache.get(zhang, new Date('2026-11-22T02:00:00Z'), 'src'))!.patient).toEqual(about);
    await cache.put(wang, fetched('2026-11-22T01:00:00.000Z', result('Observation/c')), 'src');
    expect(await cache.get(wang, new Date('2026-11-22T02:00:00Z'), 'src')).not.toHaveProperty('patient');
  });

  test('replaces a patient’s results on the next fetch, leaving other patients alone', async () => {
    const cache = make(name());
    await cache.put(zhang, fetched('2026-11-22T01:00:00Z', result('Observation/a'), result('Observation/b')));
    await cache.put(wang, fetched('2026-11-22T01:00:00Z', result('Observation/w')));
    await cache.put(zhang, fetched('2026-11-22T03:00:00Z', result('Observation/c')));
    expect((await cache.get(zhang, new Date('2026-11-22T04:00:00Z')))!.results.map((r) => r.id)).toEqual(['Observation/c']);
    expect((await cache.get(wang, new Date('2026-11-22T04:00:00Z')))!.results.map((r) => r.id)).toEqual(['Observation/w']);
    await expect(cache.put(zhang, { ...fetched('2026-11-22T03:00:00Z'), fetchedAt: 'never' })).rejects.toThrow(RangeError);
  });

  test('expires after the TTL (default 24 h) and purges expired patients', async () => {
    const db = name();
    const cache = make(db);
    expect(cache.ttlMs).toBe(24 * HOUR);
    await cache.put(zhang, fetched('2026-11-21T00:00:00Z', result('Observation/a'), result('Observation/a2')));
    await cache.put(wang, fetched('2026-11-21T20:00:00Z', result('Observation/b')));
    const now = new Date('2026-11-22T01:00:00Z');
    expect(await cache.get(zhang, now)).toBeUndefined();
    expect(await cache.get(wang, now)).toBeDefined();
    expect(await cache.purgeExpired(now)).toBe(1);
    expect(await cache.purgeExpired(now)).toBe(0);
    expect(await make(db, HOUR).get(wang, now)).toBeUndefined();
    // Purged, not only hidden: a longer TTL does not bring zhang back.
    expect(await make(db, 1000 * HOUR).get(zhang, now)).toBeUndefined();
    expect(await make(db, 1000 * HOUR).get(wang, now)).toBeDefined();
  });

  test('delete forgets one patient', async () => {
    const cache = make(name());
    await cache.put(zhang, fetched('2026-11-22T01:00:00Z', result('Observation/a')));
    await cache.delete(zhang);
    expect(await cache.get(zhang, new Date('2026-11-22T02:00:00Z'))).toBeUndefined();
  });

  test('is what loadResults falls back to when the platform is down', async () => {
    const cache = make(name());
    const source: ResultsSource & { fail?: SourceError } = {
      id: 'fhir:test',
      async fetchResults() {
        if (source.fail) throw source.fail;
        return fetched('2026-11-22T01:00:00.000Z', result('Observation/a'));
      },
    };
    const query = { patient: zhang, since: new Date('2026-09-01') };
    await loadResults(source, cache, query, new Date('2026-11-22T01:00:00Z'));
    source.fail = new SourceError('unreachable', 'down');
    expect(await loadResults(source, cache, query, new Date('2026-11-22T09:00:00Z'))).toMatchObject({ stale: true, results: [result('Observation/a')] });
  });
});

describe('widget database (plain IndexedDB)', () => {
  test('version 3 layout: the stores and indexes of widget-db.ts', async () => {
    const db = new WidgetDb(name());
    const idb = await db.open();
    expect(idb.version).toBe(WIDGET_DB_VERSION);
    expect([...idb.objectStoreNames].sort()).toEqual(['audit', 'consent', 'decisions', 'events', 'fetches', 'paper', 'results', 'settings']);
    expect([...idb.transaction('paper', 'readonly').objectStore('paper').indexNames]).toEqual(['patientKey']);
    expect(idb.transaction('consent', 'readonly').objectStore('consent').keyPath).toBe('patientKey');
    expect([...idb.transaction('events', 'readonly').objectStore('events').indexNames].sort()).toEqual(['at', 'due']);
    const tx = idb.transaction(['decisions', 'results'], 'readonly');
    expect([...tx.objectStore('decisions').indexNames].sort()).toEqual(['decidedAt', 'due', 'patientKey']);
    expect(tx.objectStore('decisions').index('due').keyPath).toEqual(['state', 'nextAttemptAt']);
    expect(tx.objectStore('results').keyPath).toEqual(['patientKey', 'id']);
    db.close();
    expect(WIDGET_DB).toBe('huren-widget');
  });

  test('a version 1 database upgrades to the current version without losing its decisions', async () => {
    const dbName = name();
    const v1 = await new Promise<IDBDatabase>((ok, fail) => {
      const req = indexedDB.open(dbName, 1);
      req.onupgradeneeded = () => upgradeWidgetDb(req.result, 0, req.transaction!, 1);
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    await new Promise<void>((ok) => {
      const tx = v1.transaction('decisions', 'readwrite');
      tx.objectStore('decisions').put({ uuid: 'kept', patientKey: 'k', decidedAt: 1, state: 'pending', nextAttemptAt: 0 });
      tx.oncomplete = () => ok();
    });
    v1.close();
    const db = new WidgetDb(dbName);
    const idb = await db.open();
    expect(idb.version).toBe(WIDGET_DB_VERSION);
    expect(['events', 'paper', 'consent'].every((s) => idb.objectStoreNames.contains(s))).toBe(true);
    expect((await all<{ uuid: string }>(db, 'decisions')).map((r) => r.uuid)).toEqual(['kept']);
    db.close();
  });

  test('the results cache keys by the same SHA-256 patient key as the extension and stores no raw id', async () => {
    const db = new WidgetDb(name());
    await new IdbResultsCache(db).put(zhang, fetched('2026-11-22T01:00:00.000Z', result('Observation/a')), 'src');
    const [row] = await all<{ patientKey: string }>(db, 'fetches');
    expect(row!.patientKey).toBe(await patientKey(zhang));
    expect(JSON.stringify([await all(db, 'fetches'), await all(db, 'results')])).not.toContain(zhang.value);
  });

  test('decisions: save resolves once committed (another connection sees it), pending for the outbox; same answers as the Dexie store', async () => {
    const dbName = name();
    const store = new IdbDecisionStore(new WidgetDb(dbName));
    const dexie = new DexieDecisionStore(new HurenDb(name()));
    const patient = decision(0).extension[EXT].patient;
    const first = decision(0);
    // A revision made in the same millisecond still comes after what it revises.
    const revision: Decision = { ...decision(3), outcomeTimestamp: first.outcomeTimestamp, uuid: '00000000-0000-4000-8000-000000000000' };
    revision.extension = { [EXT]: { ...first.extension[EXT], revises: first.uuid } };
    for (const d of [revision, first, decision(1)]) {
      await store.save(d);
      await dexie.save(d);
    }
    const other = new WidgetDb(dbName);
    const rows = await all<{ uuid: string; state: string; attempts: number; nextAttemptAt: number; patientKey: string }>(other, 'decisions');
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: 0 });
    expect(JSON.stringify(rows.map((r) => r.patientKey))).not.toContain(patient.value);
    const mine = await store.forPatient(patient);
    expect(mine.map((d) => d.uuid)).toEqual([first.uuid, revision.uuid]);
    expect(mine).toEqual(await dexie.forPatient(patient));
    expect(await store.forPatient({ value: 'nobody' })).toEqual([]);
    expect((await store.all()).length).toBe(3);
    // A uuid is written once.
    await expect(store.save(first)).rejects.toBeTruthy();
    // An invalid decision is refused before anything is written.
    await expect(store.save({ ...first, uuid: 'x' } as Decision)).rejects.toBeTruthy();
    expect(await all(other, 'decisions')).toHaveLength(3);
  });

  test('a row that no longer parses is kept but not shown', async () => {
    const db = new WidgetDb(name());
    const store = new IdbDecisionStore(db);
    const d = decision(1);
    await store.save(d);
    await transact(await db.open(), 'decisions', 'readwrite', (tx) => {
      each(tx.objectStore('decisions'), null, (c) => void c.update({ ...c.value, decision: { ...c.value.decision, outcome: 'maybe' } }));
    });
    expect(await store.forPatient(d.extension[EXT].patient)).toEqual([]);
    expect(await all(db, 'decisions')).toHaveLength(1);
  });

  test('idb-lite: a transaction that fails rejects and writes nothing; an upgrade runs from the stored version', async () => {
    const dbName = name();
    const versions: number[] = [];
    const upgrade = (db: IDBDatabase, old: number) => {
      versions.push(old);
      if (old < 1) db.createObjectStore('kv', { keyPath: 'k' });
      if (old < 2 && db.version >= 2) db.createObjectStore('more');
    };
    const v1 = await openDb(dbName, 1, upgrade);
    await expect(
      transact(v1, 'kv', 'readwrite', (tx) => {
        tx.objectStore('kv').put({ k: 'a' });
        tx.objectStore('kv').add({ k: 'a' });
      }),
    ).rejects.toMatchObject({ name: 'ConstraintError' });
    await expect(
      transact(v1, 'kv', 'readwrite', () => {
        throw new Error('body failed');
      }),
    ).rejects.toThrow('body failed');
    expect(await req(v1.transaction('kv').objectStore('kv').count())).toBe(0);
    v1.close();
    const v2 = await openDb(dbName, 2, upgrade);
    expect(versions).toEqual([0, 1]);
    expect([...v2.objectStoreNames].sort()).toEqual(['kv', 'more']);
    v2.close();
  });
});
