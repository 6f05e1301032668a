// @vitest-environment node
// Node's own fetch against a real local HTTP server (happy-dom's fetch would apply page CORS rules).
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { drainOutbox, type OutboxRow } from '../../../shared/outbox/drain';
import { BASE_DELAY_MS, MAX_DELAY_MS, REJECTED_HOLD_MS } from '../../../shared/outbox/policy';
import { countingFetch, decision, OUTBOXES, saveMany, startEndpoint, type TestEndpoint } from './fixtures';

let server: TestEndpoint;
beforeEach(async () => {
  server = await startEndpoint();
});
afterEach(async () => {
  await server.close();
});

describe.each(OUTBOXES)('outbox in $name', ({ fresh }) => {
  describe('sending', () => {
    test('sends every pending decision in batches and marks each sent only after the 2xx', async () => {
      const { target: db, store, outbox, rows } = fresh();
      const saved = await saveMany(store, 120);
      const http = countingFetch();
      const result = await drainOutbox({ ...db, endpoint: server.base, fetch: http.fetch, batchSize: 50 });

      expect(result).toMatchObject({ sent: 120, failed: 0 });
      expect(result.nextDueAt).toBeUndefined();
      expect(http.requests).toEqual([50, 50, 20]);
      expect(server.endpoint.stats()).toMatchObject({ stored: 120, duplicatesReceived: 0 });
      expect(new Set(server.endpoint.stats().uuids)).toEqual(new Set(saved.map((d) => d.uuid)));
      for (const row of await rows()) expect(row).toMatchObject({ state: 'sent', attempts: 1, sentAt: expect.any(Number) });
      expect(await outbox.status()).toEqual({ pending: 0 });
    });

    test('the endpoint may be given with a trailing slash; nothing pending sends nothing', async () => {
      const { target: db } = fresh();
      const http = countingFetch();
      expect(await drainOutbox({ ...db, endpoint: `${server.base}/`, fetch: http.fetch })).toEqual({ sent: 0, failed: 0 });
      expect(http.requests).toEqual([]);
    });

    test('a sent decision is not sent again', async () => {
      const { target: db, store } = fresh();
      await saveMany(store, 3);
      await drainOutbox({ ...db, endpoint: server.base });
      const http = countingFetch();
      await drainOutbox({ ...db, endpoint: server.base, fetch: http.fetch });
      expect(http.requests).toEqual([]);
      expect(server.endpoint.stats()).toMatchObject({ stored: 3, requests: 1 });
    });
  });

  describe('failures keep decisions pending', () => {
    test('500: kept with the error, backed off with jitter under the first ceiling, and the drain stops', async () => {
      const { target: db, store, outbox, rows } = fresh();
      await saveMany(store, 80);
      server.faults.failNext = { count: 1, status: 500 };
      const http = countingFetch();
      const t0 = 1_000_000;
      const result = await drainOutbox({ ...db, endpoint: server.base, fetch: http.fetch, batchSize: 50, now: () => t0, random: () => 0.5 });

      expect(result).toMatchObject({ sent: 0, failed: 50, lastError: expect.stringMatching(/^HTTP 500/) });
      expect(http.requests).toEqual([50]);
      const failed = (await rows()).filter((r) => r.attempts === 1);
      expect(failed).toHaveLength(50);
      for (const r of failed) expect(r).toMatchObject({ state: 'pending', nextAttemptAt: t0 + BASE_DELAY_MS / 2, lastError: expect.stringMatching(/^HTTP 500/) });
      expect(await outbox.status()).toMatchObject({ pending: 80, lastError: expect.stringMatching(/^HTTP 500/), lastErrorAt: t0 });
      // The other 30 were not tried: they wait for the next probe of the endpoint, attempts unchanged.
      const waiting = (await rows()).filter((r) => r.attempts === 0);
      expect(waiting).toHaveLength(30);
      for (const r of waiting) expect(r.nextAttemptAt).toBe(t0 + BASE_DELAY_MS / 2);
      expect(result.nextDueAt).toBe(t0 + BASE_DELAY_MS / 2);
    });

    test('backoff doubles per attempt up to the cap and rows are not retried before they are due', async () => {
      const { target: db, store, rows } = fresh();
      await saveMany(store, 1);
      server.faults.failNext = { count: 20, status: 503 };
      let now = 0;
      const waits: number[] = [];
      for (let i = 0; i < 10; i++) {
        const result = await drainOutbox({ ...db, endpoint: server.base, now: () => now, random: () => 0.999 });
        const row = (await rows())[0]!;
        waits.push(row.nextAttemptAt - now);
        expect(result.nextDueAt).toBe(row.nextAttemptAt);
        // Not due yet: a drain in between sends nothing.
        expect(await drainOutbox({ ...db, endpoint: server.base, now: () => now + 1 })).toMatchObject({ sent: 0, failed: 0 });
        now = row.nextAttemptAt;
      }
      expect(waits.slice(0, 5).map((w) => Math.round(w / BASE_DELAY_MS))).toEqual([1, 2, 4, 8, 16]);
      expect(Math.max(...waits)).toBeLessThanOrEqual(MAX_DELAY_MS);
      expect(waits.at(-1)).toBeGreaterThan(MAX_DELAY_MS * 0.99);
      expect(server.endpoint.stats()).toMatchObject({ requests: 10, stored: 0 });
    });

    test('429 with Retry-After: not retried before the server asked', async () => {
      const { target: db, store, rows } = fresh();
      await saveMany(store, 5);
      server.faults.failNext = { count: 1, status: 429, retryAfter: 120 };
      await drainOutbox({ ...db, endpoint: server.base, now: () => 0, random: () => 0 });
      for (const r of await rows()) expect(r).toMatchObject({ state: 'pending', nextAttemptAt: 120_000, lastError: expect.stringMatching(/^HTTP 429/) });
    });

    test('timeout: kept pending; the server stored it anyway, so the resend is deduplicated by uuid', async () => {
      const { target: db, store, rows } = fresh();
      await saveMany(store, 10);
      server.faults.delayMs = 300;
      const first = await drainOutbox({ ...db, endpoint: server.base, timeoutMs: 50 });
      expect(first).toMatchObject({ sent: 0, failed: 10, lastError: 'timeout after 50 ms' });
      await new Promise((r) => setTimeout(r, 400));
      expect(server.endpoint.stats().stored).toBe(10);

      server.faults.delayMs = 0;
      const second = await drainOutbox({ ...db, endpoint: server.base, now: () => Date.now() + MAX_DELAY_MS });
      expect(second).toMatchObject({ sent: 10, failed: 0 });
      expect(server.endpoint.stats()).toMatchObject({ stored: 10, duplicatesReceived: 10 });
      for (const r of await rows()) expect(r).toMatchObject({ state: 'sent', attempts: 2 });
      expect((await rows())[0]!.lastError).toBeUndefined();
    });

    test('response lost after the server stored the batch: resent, stored once', async () => {
      const { target: db, store } = fresh();
      const saved = await saveMany(store, 7);
      server.faults.dropAfterStore = 1;
      expect(await drainOutbox({ ...db, endpoint: server.base })).toMatchObject({ sent: 0, failed: 7, lastError: expect.stringMatching(/^network error/) });
      expect(await drainOutbox({ ...db, endpoint: server.base, now: () => Date.now() + MAX_DELAY_MS })).toMatchObject({ sent: 7 });
      const stats = server.endpoint.stats();
      expect(stats).toMatchObject({ stored: 7, duplicatesReceived: 7, requests: 2 });
      expect(stats.uuids.sort()).toEqual(saved.map((d) => d.uuid).sort());
    });

    test('offline (connection refused or destroyed): kept pending with a network error', async () => {
      const { target: db, store, outbox } = fresh();
      await saveMany(store, 2);
      server.faults.offline = true;
      expect(await drainOutbox({ ...db, endpoint: server.base })).toMatchObject({ sent: 0, failed: 2, lastError: expect.stringMatching(/^network error/) });
      await server.close();
      const refused = await drainOutbox({ ...db, endpoint: server.base, now: () => Date.now() + MAX_DELAY_MS });
      expect(refused).toMatchObject({ sent: 0, failed: 2 });
      expect((await outbox.status()).pending).toBe(2);
      server = await startEndpoint();
    });

    test('401/404 (wrong endpoint or token) back the whole batch off without splitting it', async () => {
      const { target: db, store } = fresh();
      await saveMany(store, 6);
      server.faults.failNext = { count: 1, status: 401 };
      const http = countingFetch();
      expect(await drainOutbox({ ...db, endpoint: server.base, fetch: http.fetch })).toMatchObject({ sent: 0, failed: 6 });
      expect(http.requests).toEqual([6]);
    });
  });

  describe('recovery', () => {
    test('once a batch goes through, rows still in backoff go in the same drain', async () => {
      const { target: db, store, outbox } = fresh();
      await saveMany(store, 30);
      server.faults.failNext = { count: 1, status: 500 };
      await drainOutbox({ ...db, endpoint: server.base, batchSize: 10, random: () => 0.9 });
      expect((await outbox.status()).pending).toBe(30);

      // A new decision is due at once; its success shows the endpoint is back.
      await store.save(decision(99));
      const result = await drainOutbox({ ...db, endpoint: server.base, batchSize: 10 });
      expect(result).toMatchObject({ sent: 31, failed: 0 });
      expect(server.endpoint.stats()).toMatchObject({ stored: 31, duplicatesReceived: 0 });
    });

    test('an entry the endpoint refuses (400) is isolated by splitting; the others are sent and it is kept, never dropped', async () => {
      const { target: db, store, row, patch } = fresh();
      await saveMany(store, 9);
      // A row written by an older, buggy version: the endpoint's zod check refuses it.
      const bad = decision(4);
      await store.save(bad);
      await patch(bad.uuid, (row) => void ((row.decision as { outcome: string }).outcome = 'maybe'));
      const t0 = Date.now();
      const http = countingFetch();
      const result = await drainOutbox({ ...db, endpoint: server.base, fetch: http.fetch, now: () => t0 });

      expect(result).toMatchObject({ sent: 9, failed: 1, lastError: expect.stringContaining('feedback[0].outcome') });
      expect(http.requests[0]).toBe(10);
      const kept = (await row(bad.uuid)) as OutboxRow;
      expect(kept).toMatchObject({ state: 'pending', nextAttemptAt: t0 + REJECTED_HOLD_MS, lastError: expect.stringMatching(/^HTTP 400: .*feedback\[0\]\.outcome/) });
      expect(server.endpoint.stats()).toMatchObject({ stored: 9 });
      // A later drain after recovery does not hammer the refused entry.
      expect(await drainOutbox({ ...db, endpoint: server.base, now: () => t0 + MAX_DELAY_MS })).toMatchObject({ sent: 0, failed: 0 });
    });
  });

  describe('several senders', () => {
    test('concurrent drains on the same database (two sidebars, the background) never send a batch twice', async () => {
      const { target: db, store, other: otherConnection } = fresh();
      await saveMany(store, 100);
      server.faults.delayMs = 30;
      const other = otherConnection();
      const http = countingFetch();
      const results = await Promise.all([
        drainOutbox({ ...db, endpoint: server.base, fetch: http.fetch, batchSize: 25 }),
        drainOutbox({ ...other, endpoint: server.base, fetch: http.fetch, batchSize: 25 }),
        drainOutbox({ ...db, endpoint: server.base, fetch: http.fetch, batchSize: 25 }),
      ]);
      expect(results.reduce((n, r) => n + r.sent, 0)).toBe(100);
      expect(results.filter((r) => r.busy)).toHaveLength(2);
      expect(http.requests).toEqual([25, 25, 25, 25]);
      expect(server.endpoint.stats()).toMatchObject({ stored: 100, duplicatesReceived: 0 });
    });

    test('a batch in flight is leased until its request must have ended, so no sender takes it meanwhile', async () => {
      const { target: db, store, rows } = fresh();
      await saveMany(store, 4);
      server.faults.delayMs = 200;
      const inFlight = drainOutbox({ ...db, endpoint: server.base, timeoutMs: 5_000 });
      await new Promise((r) => setTimeout(r, 50));
      for (const r of await rows()) expect(r.nextAttemptAt).toBeGreaterThan(Date.now() + 4_000);
      expect((await inFlight).sent).toBe(4);
    });
  });
});
