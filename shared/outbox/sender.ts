import { withSenderLock } from './lock';
import { classify, MAX_DELAY_MS, nextAttemptAt, REJECTED_HOLD_MS, retryAfterMs, type Outcome } from './policy';
import type { OutboxRow, OutboxStore } from './store';

/*
 * The outbox sender, storage-agnostic: the extension's background drains its Dexie database
 * through drain.ts (drainOutbox), the widget's page sender its own IndexedDB store through this.
 */

export interface SendOptions {
  /** Where the outbox rows are (dexieOutboxStore for the extension, the widget's own IndexedDB store). */
  store: OutboxStore;
  /** Base URL of the hospital's CDS service: batches go to `POST {endpoint}/feedback`. */
  endpoint: string;
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  /** Decisions per request. */
  batchSize?: number;
  /** Per request; well under the 30 s after which Chrome stops a service worker waiting on a fetch. */
  timeoutMs?: number;
  /** Extra request headers (a bearer token for the endpoint). */
  headers?: Record<string, string>;
}

export interface DrainResult {
  sent: number;
  failed: number;
  lastError?: string;
  /** Another sender held the lock: nothing was done here. */
  busy?: boolean;
  /** Earliest time a pending decision may be tried again (to schedule the next wake-up), if any. */
  nextDueAt?: number;
}

export const DEFAULT_BATCH_SIZE = 50;
export const DEFAULT_TIMEOUT_MS = 15_000;

interface Answer {
  outcome: Outcome;
  error?: string;
  retryAfter: number | null;
}

/**
 * Sends every due decision to `POST {endpoint}/feedback` as `{ feedback: [...] }`, in batches,
 * oldest first, and marks a decision `sent` only when the endpoint answered 2xx. The entry's uuid
 * is its idempotency key: a batch whose answer was lost is sent again and the endpoint keeps one
 * copy per uuid.
 *
 * Before a batch goes out it is claimed (attempts + 1, nextAttemptAt = the request's lease), so a
 * sender stopped mid-request leaves rows that become due again once the lease ends, and a second
 * sender cannot pick up a batch in flight. The first failure (5xx, 429, 408, timeout, network)
 * ends the drain and backs that batch off, and the rows due before its next attempt wait for it
 * (the next attempt is a probe of the endpoint); a success means the endpoint is up again, so rows
 * still in ordinary backoff go in the same drain. Nothing is ever deleted.
 */
export async function sendOutbox(options: SendOptions): Promise<DrainResult> {
  const { store } = options;
  const result = await withSenderLock(`huren-outbox:${store.name}`, () => drainLocked(options), { sent: 0, failed: 0, busy: true } as DrainResult);
  const nextDueAt = await store.nextDueAt();
  return nextDueAt === undefined ? result : { ...result, nextDueAt };
}

async function drainLocked(options: SendOptions): Promise<DrainResult> {
  const { store } = options;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const url = `${options.endpoint.replace(/\/+$/, '')}/feedback`;
  const result: DrainResult = { sent: 0, failed: 0 };
  let endpointUp = false;
  let failure: Answer | undefined;

  async function post(rows: OutboxRow[]): Promise<Answer> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
        body: JSON.stringify({ feedback: rows.map((r) => r.decision) }),
        signal: controller.signal,
        credentials: 'omit',
      });
      const outcome = classify(res.status);
      if (outcome === 'sent') {
        res.body?.cancel().catch(() => {});
        return { outcome, retryAfter: null };
      }
      const detail = (await res.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 160);
      return { outcome, error: `HTTP ${res.status}${detail ? `: ${detail}` : ''}`, retryAfter: retryAfterMs(res.headers.get('retry-after'), now()) };
    } catch (err) {
      const error = controller.signal.aborted ? `timeout after ${timeoutMs} ms` : `network error: ${(err as Error).message}`;
      return { outcome: 'retry', error, retryAfter: null };
    } finally {
      clearTimeout(timer);
    }
  }

  const markSent = (rows: OutboxRow[]) => store.markSent(rows.map((r) => r.uuid), now());

  const markFailed = (rows: OutboxRow[], error: string, until: (row: OutboxRow) => number) =>
    store.reschedule(rows.map((r) => ({ uuid: r.uuid, nextAttemptAt: until(r), lastError: error })));

  /** Sends rows, splitting on content refusals; false when the endpoint is failing (stop the drain). */
  async function deliver(rows: OutboxRow[], settled: Set<string>): Promise<boolean> {
    const answer = await post(rows);
    if (answer.outcome === 'sent') {
      await markSent(rows);
      rows.forEach((r) => settled.add(r.uuid));
      result.sent += rows.length;
      endpointUp = true;
      return true;
    }
    result.lastError = answer.error;
    failure = answer;
    if (answer.outcome === 'split' && rows.length > 1) {
      const half = Math.ceil(rows.length / 2);
      return (await deliver(rows.slice(0, half), settled)) && deliver(rows.slice(half), settled);
    }
    if (answer.outcome === 'split') {
      // One entry the endpoint will not take: kept with the reason, tried again much later.
      await markFailed(rows, answer.error!, () => now() + REJECTED_HOLD_MS);
      settled.add(rows[0]!.uuid);
      result.failed += 1;
      return true;
    }
    return false;
  }

  for (;;) {
    const claimed = await store.lease(endpointUp ? now() + MAX_DELAY_MS : now(), batchSize, now() + timeoutMs + 1_000, now());
    if (claimed.length === 0) break;
    const settled = new Set<string>();
    if (await deliver(claimed, settled)) continue;
    const rest = claimed.filter((r) => !settled.has(r.uuid));
    const at = now();
    const retryAfter = failure?.retryAfter ?? null;
    const times = new Map(rest.map((r) => [r.uuid, nextAttemptAt(at, r.attempts, random, retryAfter)]));
    await markFailed(rest, failure?.error ?? 'failed', (r) => times.get(r.uuid)!);
    // The endpoint is failing, not the rows: every other pending row due before the next probe waits
    // for it too (attempts unchanged), so an outage costs one request per backoff step, not one per batch.
    await store.defer(Math.min(...times.values()));
    result.failed += rest.length;
    break;
  }
  return result;
}
