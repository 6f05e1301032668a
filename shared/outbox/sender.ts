import { EXT } from '../domain/decision';
import { withSenderLock } from './lock';
import { classify, MAX_DELAY_MS, nextAttemptAt, REJECTED_HOLD_MS, retryAfterMs, type Outcome } from './policy';
import type { EventOutboxRow, OutboxFields, OutboxRow, OutboxStore } from './store';

/*
 * The outbox sender, storage-agnostic: the extension's background drains its Dexie database
 * through drain.ts (drainOutbox), the widget's page sender its own IndexedDB store through this.
 */

/** What a stream of rows is sent as: `POST {endpoint}/{path}` with `{ [key]: entries }`. */
export interface OutboxStream<R extends OutboxFields> {
  path: string;
  key: string;
  entry(row: R): unknown;
  /** The uuid of the row this one must follow (a revision follows the decision it revises). */
  after?(row: R): string | undefined;
}

/** Decisions: CDS Hooks 2.0 feedback; a revision is never sent before the decision it revises. */
export const FEEDBACK_STREAM: OutboxStream<OutboxRow> = {
  path: 'feedback',
  key: 'feedback',
  entry: (row) => row.decision,
  after: (row) => row.decision?.extension?.[EXT]?.revises,
};
/** The hub's other streams (prompted, viewed, opened, cited, pack refusals). */
export const EVENTS_STREAM: OutboxStream<EventOutboxRow> = { path: 'events', key: 'events', entry: (row) => row.entry };

export interface SendOptions<R extends OutboxFields = OutboxRow> {
  /** Where the outbox rows are (dexieOutboxStore for the extension, the widget's own IndexedDB store). */
  store: OutboxStore<R>;
  /** Base URL of the hospital's CDS service: batches go to `POST {endpoint}/{stream.path}`. */
  endpoint: string;
  /** Which rows these are; decisions (feedback) unless given. */
  stream?: OutboxStream<R>;
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  /** Entries per request. */
  batchSize?: number;
  /** Per request; well under the 30 s after which Chrome stops a service worker waiting on a fetch. */
  timeoutMs?: number;
  /** Extra request headers (the hub's bearer token). */
  headers?: Record<string, string>;
  /**
   * Send only the rows made for this endpoint (OutboxFields.target): the widget binds each row to
   * the endpoint its host named, so another host's endpoint never receives them. Unset: every row.
   */
  bindToEndpoint?: boolean;
}

/** An outbox endpoint is an http(s) URL, nothing else (no data:, javascript:, file:). */
export function isHttpEndpoint(endpoint: string): boolean {
  try {
    const url = new URL(endpoint);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** The form of an endpoint that rows are bound to: its URL without trailing slashes. */
export function endpointKey(endpoint: string): string {
  return endpoint.replace(/\/+$/, '');
}

export interface DrainResult {
  sent: number;
  failed: number;
  lastError?: string;
  /** Another sender held the lock: nothing was done here. */
  busy?: boolean;
  /** Earliest time a pending entry may be tried again (to schedule the next wake-up), if any. */
  nextDueAt?: number;
}

export const DEFAULT_BATCH_SIZE = 50;
export const DEFAULT_TIMEOUT_MS = 15_000;

/** What the receiver said of one entry, when it answers per entry (the hub does). */
interface EntryVerdict {
  acknowledged: boolean;
  error?: string;
}

interface Answer {
  outcome: Outcome;
  error?: string;
  retryAfter: number | null;
  /** Per-entry answers by uuid; absent when the receiver acknowledged the whole batch. */
  entries?: Map<string, EntryVerdict>;
}

/**
 * Reads a 2xx answer. A receiver that answers per entry (`results: [{uuid, status, path,
 * message}]`, as the hub does) acknowledges exactly the entries it lists as stored or duplicate.
 * An empty body (a plain CDS Hooks feedback service) acknowledges the batch. A body that speaks of
 * errors or rejections without saying which entries were kept acknowledges nothing: the batch is
 * split until each entry's fate is known.
 */
function readAcknowledgement(text: string, count: number): Pick<Answer, 'outcome' | 'entries' | 'error'> {
  if (!text.trim()) return { outcome: 'sent' };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { outcome: 'sent' };
  }
  const b = (body ?? {}) as { results?: unknown; errors?: unknown; rejected?: unknown; stored?: unknown; duplicates?: unknown };
  if (Array.isArray(b.results)) {
    const entries = new Map<string, EntryVerdict>();
    for (const r of b.results as { uuid?: unknown; status?: unknown; path?: unknown; message?: unknown }[]) {
      if (typeof r?.uuid !== 'string') continue;
      const acknowledged = r.status === 'stored' || r.status === 'duplicate';
      entries.set(r.uuid, acknowledged ? { acknowledged } : { acknowledged, error: `refused: ${String(r.path ?? '')} ${String(r.message ?? r.status ?? '')}`.trim().slice(0, 200) });
    }
    return { outcome: 'sent', entries };
  }
  const errors = Array.isArray(b.errors) ? b.errors.length : 0;
  const rejected = typeof b.rejected === 'number' ? b.rejected : 0;
  const kept = typeof b.stored === 'number' ? b.stored + (typeof b.duplicates === 'number' ? b.duplicates : 0) : count;
  if (errors > 0 || rejected > 0 || kept < count) return { outcome: 'split', error: 'the endpoint stored only part of the batch and did not say which' };
  return { outcome: 'sent' };
}

/**
 * Sends every due row to `POST {endpoint}/{stream}` as `{ [key]: [...] }`, in batches, oldest
 * first, and marks a row `sent` only when the receiver acknowledged it (see readAcknowledgement);
 * a redirect is a failure, never a delivery. The entry's uuid is its idempotency key: a batch
 * whose answer was lost is sent again and the receiver keeps one copy per uuid.
 *
 * Before a batch goes out it is claimed (attempts + 1, nextAttemptAt = the request's lease), so a
 * sender stopped mid-request leaves rows that become due again once the lease ends, and a second
 * sender cannot pick up a batch in flight. The first failure (5xx, 429, 408, timeout, network,
 * redirect) ends the drain and backs that batch off, and the rows due before its next attempt wait
 * for it (the next attempt is a probe of the endpoint); a success means the endpoint is up again,
 * so rows still in ordinary backoff go in the same drain. Nothing is ever deleted.
 */
export async function sendOutbox<R extends OutboxFields = OutboxRow>(options: SendOptions<R>): Promise<DrainResult> {
  const { store } = options;
  if (!isHttpEndpoint(options.endpoint)) return { sent: 0, failed: 0, lastError: 'the endpoint is not an http(s) URL: nothing sent' };
  const target = options.bindToEndpoint ? endpointKey(options.endpoint) : undefined;
  const result = await withSenderLock(`huren-outbox:${store.name}`, () => drainLocked(options, target), { sent: 0, failed: 0, busy: true } as DrainResult);
  const nextDueAt = await store.nextDueAt(target);
  return nextDueAt === undefined ? result : { ...result, nextDueAt };
}

async function drainLocked<R extends OutboxFields>(options: SendOptions<R>, target: string | undefined): Promise<DrainResult> {
  const { store } = options;
  const stream = options.stream ?? (FEEDBACK_STREAM as unknown as OutboxStream<R>);
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const url = `${options.endpoint.replace(/\/+$/, '')}/${stream.path}`;
  const result: DrainResult = { sent: 0, failed: 0 };
  let endpointUp = false;
  let failure: Answer | undefined;

  async function post(rows: R[]): Promise<Answer> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
        body: JSON.stringify({ [stream.key]: rows.map((r) => stream.entry(r)) }),
        signal: controller.signal,
        credentials: 'omit',
        // A redirect (to a login page, say) is not the receiver's acknowledgement.
        redirect: 'manual',
      });
      if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) {
        res.body?.cancel().catch(() => {});
        return { outcome: 'retry', error: `redirected${res.status ? ` (HTTP ${res.status})` : ''}: the endpoint moved or asks for a login`, retryAfter: null };
      }
      const outcome = classify(res.status);
      const text = await res.text().catch(() => '');
      if (outcome === 'sent') return { ...readAcknowledgement(text, rows.length), retryAfter: null };
      const detail = text.replace(/\s+/g, ' ').trim().slice(0, 160);
      // A 422 that answers per entry says which entries were refused: treat it as an answer.
      if (outcome === 'split' && text.includes('"results"')) {
        const ack = readAcknowledgement(text, rows.length);
        if (ack.entries) return { outcome: 'sent', entries: ack.entries, retryAfter: null };
      }
      return { outcome, error: `HTTP ${res.status}${detail ? `: ${detail}` : ''}`, retryAfter: retryAfterMs(res.headers.get('retry-after'), now()) };
    } catch (err) {
      const error = controller.signal.aborted ? `timeout after ${timeoutMs} ms` : `network error: ${(err as Error).message}`;
      return { outcome: 'retry', error, retryAfter: null };
    } finally {
      clearTimeout(timer);
    }
  }

  const markSent = (rows: R[]) => store.markSent(rows.map((r) => r.uuid), now());

  const markFailed = (rows: R[], error: string, until: (row: R) => number) =>
    store.reschedule(rows.map((r) => ({ uuid: r.uuid, nextAttemptAt: until(r), lastError: error })));

  /** Sends rows, splitting on content refusals; false when the endpoint is failing (stop the drain). */
  async function deliver(rows: R[], settled: Set<string>): Promise<boolean> {
    const answer = await post(rows);
    if (answer.outcome === 'sent') {
      endpointUp = true;
      if (!answer.entries) {
        await markSent(rows);
        rows.forEach((r) => settled.add(r.uuid));
        result.sent += rows.length;
        return true;
      }
      const acknowledged = rows.filter((r) => answer.entries!.get(r.uuid)?.acknowledged);
      const refused = rows.filter((r) => answer.entries!.get(r.uuid)?.acknowledged === false);
      await markSent(acknowledged);
      result.sent += acknowledged.length;
      acknowledged.forEach((r) => settled.add(r.uuid));
      // An entry the receiver refused on its own is kept, never dropped: retried much later.
      for (const r of refused) {
        const error = answer.entries!.get(r.uuid)!.error!;
        await markFailed([r], error, () => now() + REJECTED_HOLD_MS);
        settled.add(r.uuid);
        result.failed += 1;
        result.lastError = error;
      }
      // Entries the answer does not mention stay pending (backed off below as unsettled).
      const unanswered = rows.length - acknowledged.length - refused.length;
      if (unanswered > 0) {
        failure = { outcome: 'retry', error: `the endpoint did not answer for ${unanswered} of ${rows.length} entries`, retryAfter: null };
        result.lastError = failure.error;
        return false;
      }
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

  /**
   * Causal order: in a batch a row goes after the row it follows; a row whose predecessor is still
   * pending outside the batch is put back (attempt not counted) until that one is acknowledged.
   */
  async function inCausalOrder(rows: R[]): Promise<R[]> {
    const after = stream.after;
    if (!after) return rows;
    const deps = rows.map((r) => after(r)).filter((u): u is string => !!u);
    if (deps.length === 0) return rows;
    const waiting = await store.pendingAmong(deps);
    const byUuid = new Map(rows.map((r) => [r.uuid, r]));
    const ordered: R[] = [];
    const placed = new Set<string>();
    const held = new Map<string, number>();
    const place = (row: R, depth: number): boolean => {
      if (placed.has(row.uuid)) return true;
      if (held.has(row.uuid)) return false;
      const dep = after(row);
      if (dep && waiting.has(dep)) {
        const mate = byUuid.get(dep);
        if (!mate || depth > rows.length || !place(mate, depth + 1)) {
          held.set(row.uuid, Math.max(waiting.get(dep) ?? 0, held.get(dep) ?? 0, now() + 1_000));
          return false;
        }
      }
      placed.add(row.uuid);
      ordered.push(row);
      return true;
    };
    for (const row of rows) place(row, 0);
    if (held.size > 0) {
      await store.reschedule(
        rows.filter((r) => held.has(r.uuid)).map((r) => ({ uuid: r.uuid, nextAttemptAt: held.get(r.uuid)!, lastError: 'waiting for the decision it revises', attempts: r.attempts - 1 })),
      );
    }
    return ordered;
  }

  for (;;) {
    const leased = await store.lease(endpointUp ? now() + MAX_DELAY_MS : now(), batchSize, now() + timeoutMs + 1_000, now(), target);
    if (leased.length === 0) break;
    const claimed = await inCausalOrder(leased);
    // Every leased row waits for another: they go in a later drain, after what they follow.
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
    await store.defer(Math.min(...times.values()), target);
    result.failed += rest.length;
    break;
  }
  return result;
}
