// @vitest-environment node
// What counts as delivered: only what the receiver acknowledges (a scripted local HTTP server).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { drainOutbox, EVENTS_STREAM, sendOutbox } from '../../../shared/outbox/drain';
import { dexieEventOutbox } from '../../../shared/outbox/dexie-store';
import { idbEventOutbox } from '../../../shared/outbox/idb-store';
import { REJECTED_HOLD_MS } from '../../../shared/outbox/policy';
import { HurenDb } from '../../../shared/storage/db';
import { WidgetDb } from '../../../shared/storage/widget-db';
import { OUTBOXES, saveMany } from './fixtures';

type Reply = (body: { feedback?: { uuid: string }[]; events?: { uuid: string }[] }, path: string) => { status: number; body?: unknown; headers?: Record<string, string> };

let server: Server | undefined;
const seen: { path: string; auth?: string; uuids: string[] }[] = [];

async function scripted(reply: Reply): Promise<string> {
  seen.length = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      seen.push({ path, auth: req.headers.authorization, uuids: (body.feedback ?? body.events ?? []).map((e: { uuid: string }) => e.uuid) });
      const r = reply(body, path);
      res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
      res.end(r.body === undefined ? '' : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', () => ok()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/cds-services/huren`;
}

afterEach(async () => {
  await new Promise<void>((ok) => (server ? (server.closeAllConnections(), server.close(() => ok())) : ok()));
  server = undefined;
});

describe.each(OUTBOXES)('acknowledgements in $name', ({ fresh }) => {
  test('a redirect is a failure, never a delivery, even when the page it leads to answers 200', async () => {
    let status = 302;
    const base = await scripted((_b, path) => (path.endsWith('/login') ? { status: 200, body: { ok: true } } : { status, headers: { location: '/login' } }));
    for (status of [301, 302, 303, 307, 308]) {
      const { target, store, rows } = fresh();
      await saveMany(store, 3);
      const result = await drainOutbox({ ...target, endpoint: base });
      expect(result, `HTTP ${status}`).toMatchObject({ sent: 0, failed: 3, lastError: expect.stringMatching(/^redirected/) });
      for (const row of await rows()) expect(row.state).toBe('pending');
    }
    expect(seen.every((s) => !s.path.endsWith('/login'))).toBe(true);
  });

  test('a partial answer without per-entry results marks nothing sent; the batch is split until each entry is known', async () => {
    let bad = '';
    const base = await scripted((body) => {
      const list = body.feedback!;
      if (list.length > 1) return { status: 200, body: { stored: list.length - 1, errors: [{ index: 1 }] } };
      return list[0]!.uuid === bad ? { status: 422, body: { error: 'bad entry' } } : { status: 200, body: { stored: 1 } };
    });
    const { target, store, row } = fresh();
    const saved = await saveMany(store, 3);
    bad = saved[1]!.uuid;
    const result = await drainOutbox({ ...target, endpoint: base });
    expect(result).toMatchObject({ sent: 2, failed: 1 });
    expect((await row(saved[0]!.uuid))!.state).toBe('sent');
    expect((await row(bad))!.state).toBe('pending');
    expect((await row(saved[2]!.uuid))!.state).toBe('sent');
  });

  test('per-entry answers: stored and duplicate are sent, a refused entry is held with its path, an unanswered one retried', async () => {
    const { target, store, row } = fresh();
    const saved = await saveMany(store, 4);
    // The batch comes in due order (then uuid), not save order: answers go by uuid.
    const which = (uuid: string) => saved.findIndex((d) => d.uuid === uuid);
    const base = await scripted((body) => ({
      status: 200,
      body: {
        results: body.feedback!.flatMap((e, index) => {
          const i = which(e.uuid);
          if (i === 3) return [];
          return [{ index, uuid: e.uuid, status: i === 2 ? 'rejected' : i === 1 ? 'duplicate' : 'stored', ...(i === 2 ? { path: `feedback[2].outcome`, message: 'Invalid option' } : {}) }];
        }),
      },
    }));
    const t0 = 5_000_000;
    const result = await drainOutbox({ ...target, endpoint: base, now: () => t0 });
    expect(result).toMatchObject({ sent: 2, failed: 2 });
    expect((await row(saved[0]!.uuid))!.state).toBe('sent');
    expect((await row(saved[1]!.uuid))!.state).toBe('sent');
    expect(await row(saved[2]!.uuid)).toMatchObject({ state: 'pending', lastError: 'refused: feedback[2].outcome Invalid option', nextAttemptAt: t0 + REJECTED_HOLD_MS });
    const unanswered = (await row(saved[3]!.uuid))!;
    expect(unanswered.state).toBe('pending');
    expect(unanswered.nextAttemptAt).toBeLessThan(t0 + REJECTED_HOLD_MS);
  });

  test('a 422 with per-entry answers is read as an answer, not split', async () => {
    const { target, store, row } = fresh();
    const saved = await saveMany(store, 2);
    const base = await scripted((body) => ({
      status: 422,
      body: { results: body.feedback!.map((e, index) => ({ index, uuid: e.uuid, status: 'rejected', path: `feedback[${index}].extension`, message: "not this token's hospital" })) },
    }));
    expect(await drainOutbox({ ...target, endpoint: base })).toMatchObject({ sent: 0, failed: 2 });
    expect(seen).toHaveLength(1);
    expect((await row(saved[0]!.uuid))!.lastError).toMatch(/not this token's hospital/);
  });
});

describe('the events outbox', () => {
  const event = (i: number) => ({
    uuid: crypto.randomUUID(),
    hospital: 'zj-rmyy',
    event: { kind: 'viewed' as const, at: new Date(Date.UTC(2026, 10, 22, 1, 0, i)).toISOString(), actor: {}, patient: { value: `p${i}` }, resultCount: i },
  });
  const stores = [
    { name: 'dexie', make: () => dexieEventOutbox(new HurenDb(`events-${crypto.randomUUID()}`)), put: async (db: unknown) => db },
    { name: 'idb (widget)', make: () => idbEventOutbox(new WidgetDb(`events-${crypto.randomUUID()}`)), put: async (db: unknown) => db },
  ];

  test.each(stores)('posts events to {endpoint}/events with the bearer token, each acknowledged once ($name)', async ({ name }) => {
    const base = await scripted((body) => ({ status: 200, body: { results: body.events!.map((e, index) => ({ index, uuid: e.uuid, status: 'stored' })) } }));
    const entries = Array.from({ length: 60 }, (_, i) => event(i));
    let store;
    if (name === 'dexie') {
      const db = new HurenDb(`events-${crypto.randomUUID()}`);
      await db.events.bulkAdd(entries.map((entry) => ({ uuid: entry.uuid, at: Date.parse(entry.event.at), entry, state: 'pending' as const, attempts: 0, nextAttemptAt: 0 })));
      store = dexieEventOutbox(db);
    } else {
      const db = new WidgetDb(`events-${crypto.randomUUID()}`);
      await db.tx('events', 'readwrite', (tx) => {
        for (const entry of entries) tx.objectStore('events').put({ uuid: entry.uuid, at: Date.parse(entry.event.at), entry, state: 'pending', attempts: 0, nextAttemptAt: 0 });
      });
      store = idbEventOutbox(db);
    }
    const result = await sendOutbox({ store, endpoint: base, stream: EVENTS_STREAM, headers: { authorization: 'Bearer hrt_x' } });
    expect(result).toMatchObject({ sent: 60, failed: 0 });
    expect(seen.map((s) => [s.path, s.auth, s.uuids.length])).toEqual([
      ['/cds-services/huren/events', 'Bearer hrt_x', 50],
      ['/cds-services/huren/events', 'Bearer hrt_x', 10],
    ]);
    expect((await store.status()).pending).toBe(0);
    expect((await sendOutbox({ store, endpoint: base, stream: EVENTS_STREAM })).sent).toBe(0);
  });
});
