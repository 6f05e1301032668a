import type { PatientIdentifier } from '../domain/encounter';
import type { ResultsFetch } from '../results/source';
import { HurenDb, type CachedResultRow } from './db';
import { DEFAULT_TTL_MS, patientKey, toResultsFetch } from './rows';

export { DEFAULT_TTL_MS, patientKey } from './rows';

export interface ResultsCacheOptions {
  db?: HurenDb;
  /** How long a patient's results are kept after their fetch (default 24 h). */
  ttlMs?: number;
}

/**
 * Each patient's last fetched results, kept for a TTL so the panel can still show them, marked
 * stale, when the platform is unreachable. Extension origin only (see db.ts).
 */
export class ResultsCache {
  readonly db: HurenDb;
  readonly ttlMs: number;

  constructor(options: ResultsCacheOptions = {}) {
    this.db = options.db ?? new HurenDb();
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  }

  /** Replaces the patient's cached results with this fetch. */
  async put(patient: PatientIdentifier, fetch: ResultsFetch, sourceId = ''): Promise<void> {
    const key = await patientKey(patient);
    const fetchedAt = Date.parse(fetch.fetchedAt);
    if (Number.isNaN(fetchedAt)) throw new RangeError('fetch.fetchedAt is not a date');
    const rows: CachedResultRow[] = fetch.results.map((result) => ({ patientKey: key, id: result.id, fetchedAt, result }));
    await this.db.transaction('rw', this.db.fetches, this.db.results, async () => {
      await this.db.results.where('patientKey').equals(key).delete();
      await this.db.results.bulkPut(rows);
      await this.db.fetches.put({ patientKey: key, fetchedAt, sourceId, patientFound: fetch.patientFound, unreadable: fetch.unreadable, ...(fetch.patient ? { patient: fetch.patient } : {}) });
    });
  }

  /** The patient's cached fetch if younger than the TTL (and from this source, when given). */
  async get(patient: PatientIdentifier, now = new Date(), sourceId?: string): Promise<ResultsFetch | undefined> {
    return this.getByKey(await patientKey(patient), now, sourceId);
  }

  async getByKey(key: string, now = new Date(), sourceId?: string): Promise<ResultsFetch | undefined> {
    const found = await this.db.transaction('r', this.db.fetches, this.db.results, async () => {
      const meta = await this.db.fetches.get(key);
      if (!meta || meta.fetchedAt + this.ttlMs <= now.getTime()) return undefined;
      if (sourceId !== undefined && meta.sourceId !== sourceId) return undefined;
      const rows = await this.db.results.where('patientKey').equals(key).toArray();
      return { meta, rows };
    });
    return found && toResultsFetch(found.meta, found.rows);
  }

  /** Deletes every patient's results older than the TTL; returns how many patients were purged. */
  async purgeExpired(now = new Date()): Promise<number> {
    const cutoff = now.getTime() - this.ttlMs;
    return this.db.transaction('rw', this.db.fetches, this.db.results, async () => {
      await this.db.results.where('fetchedAt').belowOrEqual(cutoff).delete();
      return this.db.fetches.where('fetchedAt').belowOrEqual(cutoff).delete();
    });
  }

  async delete(patient: PatientIdentifier): Promise<void> {
    const key = await patientKey(patient);
    await this.db.transaction('rw', this.db.fetches, this.db.results, async () => {
      await this.db.results.where('patientKey').equals(key).delete();
      await this.db.fetches.delete(key);
    });
  }
}
