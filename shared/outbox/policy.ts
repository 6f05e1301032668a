/**
 * How the outbox reacts to each answer of the hospital's feedback endpoint. Pure: the drain
 * passes in the clock and the random source, so tests pin both.
 */

/** First retry waits up to this long; each further attempt doubles the ceiling. */
export const BASE_DELAY_MS = 2_000;
/** Ceiling of the exponential backoff: an endpoint that is down for hours is tried every ≤ 10 min. */
export const MAX_DELAY_MS = 10 * 60_000;
/** A Retry-After beyond this is not believed (a misconfigured proxy must not park decisions for days). */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;
/**
 * An entry the endpoint rejects on its own (400/422 after the batch was split down to it) is
 * kept, never dropped: it waits this long, with the endpoint's message as its last error, until
 * hospital IT fixes the endpoint or the entry is looked at.
 */
export const REJECTED_HOLD_MS = 6 * 60 * 60_000;

/**
 * - `sent`: 2xx, the batch is stored (marked sent only now).
 * - `retry`: 408, 429, 5xx, timeout, network error, response lost: the same batch later.
 * - `split`: the endpoint refused the batch's content (400, 413, 422 …): send halves, so one bad
 *   entry does not hold back the others.
 * - `endpoint`: 401/403/404/405 …: the endpoint or its credentials are wrong, not the entries.
 */
export type Outcome = 'sent' | 'retry' | 'split' | 'endpoint';

export function classify(status: number): Outcome {
  if (status >= 200 && status < 300) return 'sent';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  if (status === 401 || status === 403 || status === 404 || status === 405) return 'endpoint';
  if (status >= 400) return 'split';
  // 1xx/3xx reaching here means a redirect fetch did not follow: not stored, try again later.
  return 'retry';
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base·2^(attempts-1))). */
export function backoffMs(attempts: number, random: () => number): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  return Math.floor(random() * ceiling);
}

/** Retry-After as delta-seconds or an HTTP date, in ms from `now`; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  const value = header.trim();
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  if (!Number.isFinite(ms)) return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

/** When a failed attempt may be retried: the jittered backoff, but never before the server asked. */
export function nextAttemptAt(now: number, attempts: number, random: () => number, retryAfter: number | null): number {
  return now + Math.max(backoffMs(attempts, random), retryAfter ?? 0);
}
