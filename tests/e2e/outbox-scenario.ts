import { build } from 'esbuild';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { configureExtension, EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from '../../demo/browser.ts';
import type { FeedbackFaults, FeedbackStats } from '../../demo/server/feedback.ts';
import { spawnDemo, type DemoProcess } from '../../demo/server/spawn.ts';
import type { Decision } from '../../shared/domain/decision.ts';
import { OUTBOX_KICK } from '../../extension/background/sync-messages.ts';
import { decision } from '../unit/outbox/fixtures.ts';
import { TODAY } from './support.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface OutboxScenarioResult {
  /** Decisions made, through the panel's decision store (DexieDecisionStore) in the extension's origin. */
  made: number;
  stored: number;
  /** Decisions the browser holds that the endpoint never stored. */
  lost: number;
  /** Entries the endpoint stored that the browser never made (must be 0). */
  unknown: number;
  /** Resends the endpoint's uuid dedup absorbed (lost answers, the stopped worker's batch). */
  duplicatesReceived: number;
  requests: number;
  /** From the endpoint's recovery to the last decision stored. */
  drainMs: number;
  /** Every decision the browser holds is marked sent afterwards. */
  pendingAfter: number;
}

/**
 * The outbox against the demo's feedback endpoint, in Chromium with the built extension:
 * decisions are made while the endpoint answers 500, 429, is offline and loses answers after
 * storing; the service worker is stopped mid-send; the browser is closed and reopened on the same
 * profile while the endpoint is still down; then the endpoint recovers and the background drains
 * on its own (alarms, no further clicks). Used by tests/e2e/outbox-fault.test.ts and the bench.
 */
export async function runOutboxScenario(options: { count: number; log?: (line: string) => void }): Promise<OutboxScenarioResult> {
  const log = options.log ?? (() => {});
  const tmp = await mkdtemp(join(tmpdir(), 'huren-outbox-'));
  // A private copy: a build by another test run must not change the extension between the two launches.
  const extensionDir = join(tmp, 'extension');
  await cp(EXTENSION_DIR, extensionDir, { recursive: true });
  await addTestPage(extensionDir);
  const userDataDir = join(tmp, 'profile');
  const server = await spawnDemo({ today: TODAY });
  let browser: ExtensionBrowser | undefined;
  try {
    browser = await launchWithExtension({ userDataDir, extensionDir });
    await configureExtension(browser.serviceWorker, { fhirBaseUrl: server.fhirBase, feedbackEndpoint: `${server.url}/cds-services/huren` });
    let ext = await extensionPage(browser);

    const all: Decision[] = Array.from({ length: options.count }, (_, i) => decision(i));
    const chunks = split(all, 5);
    const phases: [string, FeedbackFaults][] = [
      ['500', { failNext: { count: 1_000_000, status: 500 } }],
      ['429', { failNext: { count: 1_000_000, status: 429, retryAfter: 1 } }],
      ['offline', { offline: true }],
      ['answer lost after storing', { dropAfterStore: 1_000_000 }],
    ];
    for (const [i, [name, faults]] of phases.entries()) {
      await server.setFaults({ feedback: faults });
      const before = (await stats(server)).requests;
      await save(ext.page, chunks[i]!);
      await kick(ext.page);
      await until(async () => (await stats(server)).requests > before, 15_000, `an attempt while ${name}`);
      log(`${name}: ${chunks[i]!.length} decisions saved, attempt failed`);
    }

    // Stopped mid-send: the endpoint stores after its delay, but the worker never hears back.
    await server.setFaults({ feedback: { delayMs: 2_000 } });
    await save(ext.page, chunks[4]!);
    void kick(ext.page);
    await until(async () => (await stats(server)).inFlight > 0, 15_000, 'a request in flight');
    await stopServiceWorker(ext.cdp);
    log(`service worker stopped mid-send (${chunks[4]!.length} more decisions)`);

    // The endpoint goes down for good; the browser is closed and reopened on the same profile.
    await server.setFaults({ feedback: { offline: true } });
    await browser.context.close();
    browser = await launchWithExtension({ userDataDir, extensionDir });
    ext = await extensionPage(browser);
    const pendingBefore = (await status(ext.page)).pending;
    log(`browser reopened: ${pendingBefore} decisions pending`);
    if (pendingBefore === 0) throw new Error('nothing pending after reopening: the scenario did not exercise recovery');

    // The reopened browser keeps trying on its own while the endpoint is still down.
    const beforeRetry = (await stats(server)).requests;
    await until(async () => (await stats(server)).requests > beforeRetry, 40_000, 'a retry from the reopened browser');
    log('reopened browser retried while the endpoint was down');

    // Recovery: no clicks, no kicks; the background's alarms find the endpoint back.
    await server.setFaults({});
    const t0 = Date.now();
    const made = all.length;
    await until(async () => (await stats(server)).stored >= made, 120_000, `all ${made} decisions stored`);
    const drainMs = Date.now() - t0;
    await until(async () => (await status(ext.page)).pending === 0, 15_000, 'every decision marked sent');

    const final = await stats(server);
    const held = new Set(await uuids(ext.page));
    const stored = new Set(final.uuids);
    return {
      made,
      stored: final.stored,
      lost: [...held].filter((u) => !stored.has(u)).length + Math.max(0, made - held.size),
      unknown: [...stored].filter((u) => !held.has(u)).length,
      duplicatesReceived: final.duplicatesReceived,
      requests: final.requests,
      drainMs,
      pendingAfter: (await status(ext.page)).pending,
    };
  } finally {
    await browser?.context.close().catch(() => undefined);
    await server.close();
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}

interface ExtensionPage {
  page: Page;
  cdp: CDPSession;
}

const TEST_PAGE = 'outbox-test.html';

/**
 * An extension page in the private copy of the build: it saves decisions through the panel's own
 * store (DexieDecisionStore over HurenDb, bundled from shared/) in the extension's origin, reads
 * the outbox, sends the sidebar's kick, and gives a CDP session to stop the worker with.
 */
async function extensionPage(browser: ExtensionBrowser): Promise<ExtensionPage> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/${TEST_PAGE}`);
  await page.waitForFunction(() => '__hurenOutboxTest' in globalThis);
  return { page, cdp: await browser.context.newCDPSession(page) };
}

async function addTestPage(extensionDir: string): Promise<void> {
  const contents = `
    import { DexieDecisionStore } from './shared/storage/decision-store';
    import { HurenDb } from './shared/storage/db';
    import { readOutboxStatus } from './shared/outbox/status';
    const db = new HurenDb();
    const store = new DexieDecisionStore(db);
    (globalThis as any).__hurenOutboxTest = {
      save: async (list: any[]) => { for (const d of list) await store.save(d); },
      status: () => readOutboxStatus(db),
      uuids: async () => (await db.decisions.toCollection().primaryKeys()) as string[],
    };`;
  const out = await build({ stdin: { contents, resolveDir: ROOT, loader: 'ts' }, bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'silent' });
  await writeFile(join(extensionDir, 'outbox-test.js'), out.outputFiles[0]!.text);
  await writeFile(join(extensionDir, TEST_PAGE), '<!doctype html><meta charset="utf-8"><script src="outbox-test.js"></script>');
}

/** What the sidebar sends after a save. Resolves when the background's drain is over. */
async function kick(page: Page): Promise<void> {
  await page.evaluate((type) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: object): Promise<unknown> } } }).chrome.runtime.sendMessage({ type }).catch(() => undefined), OUTBOX_KICK);
}

/** Stops the extension's service worker as Chrome does when it is idle (CDP ServiceWorker.stopWorker). */
async function stopServiceWorker(cdp: CDPSession): Promise<void> {
  const versions = new Map<string, string>();
  const listener = (e: { versions: { versionId: string; scriptURL: string; runningStatus: string }[] }) => {
    for (const v of e.versions) if (v.scriptURL.startsWith('chrome-extension://')) versions.set(v.versionId, v.runningStatus);
  };
  cdp.on('ServiceWorker.workerVersionUpdated', listener);
  await cdp.send('ServiceWorker.enable');
  await until(async () => [...versions.values()].includes('running'), 5_000, 'the running worker to be listed');
  for (const [versionId, state] of versions) if (state === 'running') await cdp.send('ServiceWorker.stopWorker', { versionId });
  await until(async () => ![...versions.values()].some((s) => s === 'running' || s === 'stopping'), 5_000, 'the worker to stop');
  cdp.off('ServiceWorker.workerVersionUpdated', listener);
  await cdp.send('ServiceWorker.disable');
}

interface Helper {
  save(list: Decision[]): Promise<void>;
  status(): Promise<{ pending: number }>;
  uuids(): Promise<string[]>;
}
type WithHelper = { __hurenOutboxTest: Helper };

const save = (page: Page, list: Decision[]) => page.evaluate((l) => (globalThis as unknown as WithHelper).__hurenOutboxTest.save(l), list);
const status = (page: Page) => page.evaluate(() => (globalThis as unknown as WithHelper).__hurenOutboxTest.status());
const uuids = (page: Page) => page.evaluate(() => (globalThis as unknown as WithHelper).__hurenOutboxTest.uuids());

async function stats(server: DemoProcess): Promise<FeedbackStats> {
  return (await (await fetch(`${server.url}/cds-services/huren/feedback/_stats`)).json()) as FeedbackStats;
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function split<T>(list: T[], parts: number): T[][] {
  const size = Math.ceil(list.length / parts);
  return Array.from({ length: parts }, (_, i) => list.slice(i * size, (i + 1) * size));
}
