// @vitest-environment node
// Node's fetch against a real local endpoint; the extension APIs are WXT's fake browser.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handleSyncMessage, OUTBOX_ALARM, OUTBOX_RETRY_ALARM, registerSync } from '../../../extension/background/sync';
import { kickOutbox, OUTBOX_KICK } from '../../../extension/background/sync-messages';
import { SETTINGS_STORAGE_KEY } from '../../../extension/settings/settings';
import { readOutboxStatus } from '../../../shared/outbox/status';
import { HurenDb } from '../../../shared/storage/db';
import { DexieDecisionStore } from '../../../shared/storage/decision-store';
import { decision, startEndpoint, type TestEndpoint } from './fixtures';

const EXT = 'chrome-extension://test-extension-id/';
const fromOptions = { id: fakeBrowser.runtime.id, tab: { id: 9, url: `${EXT}options.html` } as never, url: `${EXT}options.html` };
const fromEmrPage = { id: fakeBrowser.runtime.id, tab: { id: 7, url: 'http://127.0.0.1:8787/emr/' } as never, url: 'http://127.0.0.1:8787/emr/' };

// The background's own database: the extension's default name.
const db = new HurenDb();
const store = new DexieDecisionStore(db);
let server: TestEndpoint;

beforeEach(async () => {
  fakeBrowser.reset();
  fakeBrowser.runtime.getURL = ((path: string) => EXT + path.replace(/^\//, '')) as never;
  server = await startEndpoint();
  await db.decisions.clear();
});
afterEach(async () => {
  await server.close();
});

const configure = (feedbackEndpoint?: string) => fakeBrowser.storage.local.set({ [SETTINGS_STORAGE_KEY]: feedbackEndpoint ? { feedbackEndpoint } : {} });

test('start-up registers the periodic alarm once', async () => {
  registerSync();
  registerSync();
  await new Promise((r) => setTimeout(r, 20));
  expect(await fakeBrowser.alarms.getAll()).toEqual([expect.objectContaining({ name: OUTBOX_ALARM, periodInMinutes: 1 })]);
});

test('a kick from an extension page drains to the configured endpoint and answers what was sent', async () => {
  await configure(server.base);
  await store.save(decision(0));
  await store.save(decision(1));
  expect(await handleSyncMessage({ type: OUTBOX_KICK }, fromOptions)).toEqual({ ok: true, sent: 2, failed: 0 });
  expect(server.endpoint.stats().stored).toBe(2);
  expect((await readOutboxStatus(db)).pending).toBe(0);
});

test('kicks from web pages and other messages are not claimed', () => {
  expect(handleSyncMessage({ type: OUTBOX_KICK }, fromEmrPage)).toBeUndefined();
  expect(handleSyncMessage({ type: 'huren/other' }, fromOptions)).toBeUndefined();
});

test('without a feedback endpoint decisions stay stored and nothing is sent', async () => {
  await configure(undefined);
  await store.save(decision(2));
  expect(await handleSyncMessage({ type: OUTBOX_KICK }, fromOptions)).toEqual({ ok: true, unconfigured: true });
  expect(server.endpoint.stats().requests).toBe(0);
  expect((await readOutboxStatus(db)).pending).toBe(1);
});

test('a failure schedules a one-shot wake-up at the next due time; the alarm then sends', async () => {
  await configure(server.base);
  await store.save(decision(3));
  server.faults.failNext = { count: 1, status: 503 };
  expect(await handleSyncMessage({ type: OUTBOX_KICK }, fromOptions)).toEqual({ ok: true, sent: 0, failed: 1 });
  const retry = await fakeBrowser.alarms.get(OUTBOX_RETRY_ALARM);
  const row = (await db.decisions.toArray())[0]!;
  // At the row's due time (never sooner than a second from now), well before the periodic alarm.
  expect(retry!.scheduledTime).toBeGreaterThanOrEqual(row.nextAttemptAt);
  expect(retry!.scheduledTime).toBeLessThanOrEqual(Math.max(row.nextAttemptAt, Date.now() + 1_000));

  await db.decisions.toCollection().modify({ nextAttemptAt: 0 });
  registerSync();
  await fakeBrowser.alarms.onAlarm.trigger({ name: OUTBOX_RETRY_ALARM, scheduledTime: Date.now() });
  await waitFor(async () => (await readOutboxStatus(db)).pending === 0);
  expect(server.endpoint.stats().stored).toBe(1);
});

test('inside the background, kickOutbox drains directly (a worker cannot message itself)', async () => {
  await configure(server.base);
  registerSync();
  await store.save(decision(4));
  kickOutbox();
  await waitFor(() => server.endpoint.stats().stored === 1);
});

async function waitFor(check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
