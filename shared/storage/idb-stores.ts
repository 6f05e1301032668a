import type { Decision } from '../domain/decision';
import type { PatientIdentifier } from '../domain/encounter';
import type { DecisionStore } from '../decisions/store';
import type { ResultsCachePort } from '../results/cached-source';
import type { ResultsFetch } from '../results/source';
import type { CachedFetchRow, CachedResultRow, DecisionRow } from './db';
import { each, on } from './idb-lite';
import { DEFAULT_TTL_MS, decisionsInOrder, parsedDecisions, patientKey, toDecisionRow, toResultsFetch } from './rows';
import type { WidgetDb } from './widget-db';

/** Every results row of one patient: the primary key is [patientKey, id], and [] sorts after any id. */
const ofPatient = (key: string) => IDBKeyRange.bound([key], [key, []]);

/**
 * The widget's decisions (and outbox entries) in its own IndexedDB database. `save` resolves after
 * the transaction's `complete` event, so a confirmed decision survives a crash of the page.
 */
export class IdbDecisionStore implements DecisionStore {
  /** `target`: the endpoint these decisions are made for ('' = none): they are sent there only. */
  constructor(
    readonly db: WidgetDb,
    readonly target?: string,
  ) {}

  async save(decision: Decision): Promise<void> {
    const row = await toDecisionRow(decision, this.target);
    // `add`, not `put`: a uuid is written once; saving the same decision twice is a bug upstream.
    await this.db.tx('decisions', 'readwrite', (tx) => void tx.objectStore('decisions').add(row));
  }

  async forPatient(patient: PatientIdentifier): Promise<Decision[]> {
    const key = await patientKey(patient);
    return decisionsInOrder(await this.db.read('decisions', (s) => s.index('patientKey').getAll(key) as IDBRequest<DecisionRow[]>));
  }

  /** Every stored decision, by decision time (for the statistics). */
  async all(): Promise<Decision[]> {
    return parsedDecisions(await this.db.read('decisions', (s) => s.index('decidedAt').getAll() as IDBRequest<DecisionRow[]>));
  }
}

/** The widget's results cache (ResultsCachePort of loadResults): each patient's last fetch, for a TTL. */
export class IdbResultsCache implements ResultsCachePort {
  constructor(
    readonly db: WidgetDb,
    readonly ttlMs = DEFAULT_TTL_MS,
  ) {}

  /** Replaces the patient's cached results with this fetch. */
  async put(patient: PatientIdentifier, fetch: ResultsFetch, sourceId = ''): Promise<void> {
    const key = await patientKey(patient);
    const fetchedAt = Date.parse(fetch.fetchedAt);
    if (Number.isNaN(fetchedAt)) throw new RangeError('fetch.fetchedAt is not a date');
    await this.db.tx(['fetches', 'results'], 'readwrite', (tx) => {
      const results = tx.objectStore('results');
      // Requests run in order: the delete is done before the puts.
      results.delete(ofPatient(key));
      for (const result of fetch.results) results.put({ patientKey: key, id: result.id, fetchedAt, result } satisfies CachedResultRow);
      tx.objectStore('fetches').put({ patientKey: key, fetchedAt, sourceId, patientFound: fetch.patientFound, unreadable: fetch.unreadable, ...(fetch.patient ? { patient: fetch.patient } : {}) } satisfies CachedFetchRow);
    });
  }

  /** The patient's cached fetch if younger than the TTL (and from this source, when given). */
  async get(patient: PatientIdentifier, now = new Date(), sourceId?: string): Promise<ResultsFetch | undefined> {
    const key = await patientKey(patient);
    let found: ResultsFetch | undefined;
    await this.db.tx(['fetches', 'results'], 'readonly', (tx) => {
      on(tx.objectStore('fetches').get(key) as IDBRequest<CachedFetchRow | undefined>, (meta) => {
        if (!meta || meta.fetchedAt + this.ttlMs <= now.getTime()) return;
        if (sourceId !== undefined && meta.sourceId !== sourceId) return;
        on(tx.objectStore('results').getAll(ofPatient(key)) as IDBRequest<CachedResultRow[]>, (rows) => (found = toResultsFetch(meta, rows)));
      });
    });
    return found;
  }

  /** Deletes every patient's results older than the TTL; returns how many patients were purged. */
  purgeExpired(now = new Date()): Promise<number> {
    const expired = IDBKeyRange.upperBound(now.getTime() - this.ttlMs);
    let purged = 0;
    return this.db.tx(['fetches', 'results'], 'readwrite', (tx) => {
      each(tx.objectStore('results').index('fetchedAt'), expired, (cursor) => void cursor.delete());
      each(tx.objectStore('fetches').index('fetchedAt'), expired, (cursor) => {
        cursor.delete();
        purged++;
      });
      return () => purged;
    });
  }

  async delete(patient: PatientIdentifier): Promise<void> {
    const key = await patientKey(patient);
    await this.db.tx(['fetches', 'results'], 'readwrite', (tx) => {
      tx.objectStore('results').delete(ofPatient(key));
      tx.objectStore('fetches').delete(key);
    });
  }
}
