// @vitest-environment node
// Security review findings on the outbox: causal order of revisions, http(s)-only endpoints,
// rows bound to the endpoint they were made for, a removed endpoint that keeps receiving.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { EXT, type Decision } from '../../../shared/domain/decision';
import { sendOutbox } from '../../../shared/outbox/sender';
import { idbOutboxStore } from '../../../shared/outbox/idb-store';
import { pageSender, runningPageSenders } from '../../../shared/outbox/page-sender';
import { IdbDecisionStore } from '../../../shared/storage/idb-stores';
import { WidgetDb } from '../../../shared/storage/widget-db';
import { WidgetConfig } from '../../../widget/options';
import { widgetServices } from '../../../widget/services';
import { decision, OUTBOXES } from './fixtures';

let server: Server | undefined;
const posted: string[][] = [];
let status = 200;

async function endpoint(): Promise<string> {
  posted.length = 0;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { feedback?: { uuid: string }[] };
      const uuids = (body.feedback ?? []).map((e) => e.uuid);
      posted.push(uuids);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? JSON.stringify({ results: uuids.map((uuid, index) => ({ index, uuid, status: 'stored' })) }) : '');
    });
  });
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', () => ok()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/cds-services/huren`;
}

afterEach(async () => {
  status = 200;
  await new Promise<void>((ok) => (server ? (server.closeAllConnections(), server.close(() => ok())) : ok()));
  server = undefined;
});

const revising = (original: Decision, i: number): Decision => {
  const d = decision(i);
  return { ...d, card: original.card, extension: { [EXT]: { ...d.extension[EXT], revises: original.uuid } } } as Decision;
};

describe.each(OUTBOXES)('causal order in $name', ({ fresh }) => {
  test('a revision is never sent before the decision it revises, even when the original is backing off', async () => {
    const base = await endpoint();
    const { outbox, store, row } = fresh();
    const original = decision(0);
    await store.save(original);
    let t = 1_000_000;
    status = 503;
    expect(await sendOutbox({ store: outbox, endpoint: base, now: () => t, random: () => 0.99 })).toMatchObject({ sent: 0, failed: 1 });
    // The physician changes their mind while the original waits for its retry.
    const revision = revising(original, 1);
    await store.save(revision);
    status = 200;
    const early = await sendOutbox({ store: outbox, endpoint: base, now: () => t });
    expect(early.sent).toBe(0);
    expect(posted.slice(1).flat()).not.toContain(revision.uuid);
    expect(await row(revision.uuid)).toMatchObject({ state: 'pending', attempts: 0, lastError: 'waiting for the decision it revises' });
    t += 3_600_000;
    expect(await sendOutbox({ store: outbox, endpoint: base, now: () => t })).toMatchObject({ sent: 2 });
    const order = posted.slice(1).flat();
    expect(order.indexOf(original.uuid)).toBeLessThan(order.indexOf(revision.uuid));
  });

  test('in one batch the revision follows its original whatever their uuids', async () => {
    const base = await endpoint();
    for (let round = 0; round < 6; round++) {
      const { outbox, store } = fresh();
      const original = decision(round);
      const revision = revising(original, round + 1);
      // Saved in reverse (a clock stepping back): the due order alone would put the revision first half the time.
      await store.save({ ...revision, outcomeTimestamp: '2026-11-22T01:00:00.000Z' });
      await store.save({ ...original, outcomeTimestamp: '2026-11-22T01:00:01.000Z' });
      posted.length = 0;
      expect(await sendOutbox({ store: outbox, endpoint: base })).toMatchObject({ sent: 2 });
      const order = posted.flat();
      expect(order.indexOf(original.uuid)).toBeLessThan(order.indexOf(revision.uuid));
    }
  });
});

describe('endpoints', () => {
  test.each(['data:application/json,{}', 'javascript:alert(1)', 'file:///tmp/feedback', 'ftp://x.example/', 'http://user:pw@x.example/'])(
    '%s receives nothing and nothing is marked sent',
    async (bad) => {
      const { outbox, store, row } = OUTBOXES[1]!.fresh();
      const d = decision(0);
      await store.save(d);
      let calls = 0;
      const anything200: typeof fetch = async () => (calls++, new Response('{}', { status: 200 }));
      const result = await sendOutbox({ store: outbox, endpoint: bad, fetch: anything200 });
      expect(result.sent).toBe(0);
      expect(calls).toBe(0);
      expect((await row(d.uuid))!.state).toBe('pending');
    },
  );

  test('the widget refuses a non-http(s) feedbackEndpoint in its options', () => {
    for (const bad of ['data:application/json,{}', 'javascript:alert(1)', 'file:///x']) {
      expect(WidgetConfig.safeParse({ fhirBaseUrl: 'http://x/fhir', receivingInstitution: 'a', packs: ['p'], feedbackEndpoint: bad }).success).toBe(false);
    }
  });

  test('rows made for one endpoint go only there: a sender for another endpoint leaves them', async () => {
    const base = await endpoint();
    const db = new WidgetDb(`bound-${crypto.randomUUID()}`);
    const forA = new IdbDecisionStore(db, 'https://a.hospital.example/cds-services/huren');
    const forBase = new IdbDecisionStore(db, base);
    const none = new IdbDecisionStore(db, '');
    const a = decision(0);
    const b = decision(1);
    const c = decision(2);
    await forA.save(a);
    await forBase.save(b);
    await none.save(c);
    const result = await sendOutbox({ store: idbOutboxStore(db), endpoint: base, bindToEndpoint: true });
    expect(result.sent).toBe(1);
    expect(posted.flat()).toEqual([b.uuid]);
  });

  test('widget: after the host removes feedbackEndpoint, the next decision is not posted to the old endpoint and its sender stops', async () => {
    const base = await endpoint();
    const withEndpoint = widgetServices(WidgetConfig.parse({ fhirBaseUrl: 'http://127.0.0.1:9/fhir/R4', receivingInstitution: 'zj-rmyy', packs: ['p'], feedbackEndpoint: base }));
    const first = decision(0);
    await withEndpoint.decisions.save(first);
    await until(() => posted.flat().includes(first.uuid));
    expect(runningPageSenders().some((k) => k.endsWith(`|${base}`))).toBe(true);
    // The host's update without the endpoint: mount disposes the old services.
    withEndpoint.dispose();
    const without = widgetServices(WidgetConfig.parse({ fhirBaseUrl: 'http://127.0.0.1:9/fhir/R4', receivingInstitution: 'zj-rmyy', packs: ['p'] }));
    expect(runningPageSenders().some((k) => k.endsWith(`|${base}`))).toBe(false);
    const second = decision(1);
    await without.decisions.save(second);
    // Even a sender for the old endpoint that something still ran would not take it: it was made for none.
    const straggler = pageSender({ store: idbOutboxStore(new WidgetDb('huren-widget')), endpoint: base, bindToEndpoint: true });
    await new Promise((r) => setTimeout(r, 300));
    straggler.release();
    expect(posted.flat()).not.toContain(second.uuid);
    without.dispose();
  });
});

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
