import type { PatientIdentifier } from '../domain/encounter';
/**
 * What loadResults needs of a cache: the Dexie ResultsCache, or a bridge to one in another
 * context (the extension sidebar keeps no storage of its own; the background does).
 */
export interface ResultsCachePort {
  put(patient: PatientIdentifier, fetch: ResultsFetch, sourceId?: string): Promise<void>;
  get(patient: PatientIdentifier, now?: Date, sourceId?: string): Promise<ResultsFetch | undefined>;
  purgeExpired(now?: Date): Promise<number>;
}
import { SourceError, type ResultsFetch, type ResultsQuery, type ResultsSource, type SourceErrorKind } from './source';

/** Failures where yesterday's results are better than none: the platform is down or slow, not refusing. */
const FALL_BACK_ON: ReadonlySet<SourceErrorKind> = new Set(['unreachable', 'timeout', 'server']);

export interface LoadedResults extends ResultsFetch {
  /** True when the platform could not be reached and these are cached results ("上次更新于 …"). */
  stale: boolean;
  /** Why the platform could not be reached, when stale. */
  staleReason?: SourceErrorKind;
}

/**
 * Fetches a patient's results and caches them; when the platform is unreachable, times out or
 * fails, answers from the cache (within its TTL) marked stale. Other errors (unauthorized, bad
 * response, aborted) and a cache miss rethrow the SourceError.
 */
export async function loadResults(source: ResultsSource, cache: ResultsCachePort, query: ResultsQuery, now = new Date()): Promise<LoadedResults> {
  try {
    const fetched = await source.fetchResults(query);
    // A cache that cannot be written (quota, private mode) must not hide fresh results.
    await cache.put(query.patient, fetched, source.id).then(() => cache.purgeExpired(now)).catch(() => undefined);
    return { ...fetched, stale: false };
  } catch (err) {
    if (!(err instanceof SourceError) || !FALL_BACK_ON.has(err.kind)) throw err;
    const cached = await cache.get(query.patient, now, source.id).catch(() => undefined);
    if (!cached) throw err;
    return { ...cached, stale: true, staleReason: err.kind };
  }
}

/** A ResultsSource that does `loadResults`: drop-in for the UI, whose fetches gain `stale`. */
export class CachedResultsSource implements ResultsSource {
  readonly id: string;
  constructor(
    private readonly inner: ResultsSource,
    private readonly cache: ResultsCachePort,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.id = `cached:${inner.id}`;
  }

  fetchResults(query: ResultsQuery): Promise<LoadedResults> {
    return loadResults(this.inner, this.cache, query, this.clock());
  }

  /** The patient's cached results within the TTL, for showing at once while the platform answers. */
  cachedResults(patient: PatientIdentifier): Promise<ResultsFetch | undefined> {
    return this.cache.get(patient, this.clock(), this.inner.id).catch(() => undefined);
  }
}
