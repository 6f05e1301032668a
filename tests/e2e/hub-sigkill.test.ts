import { build } from 'esbuild';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { configureExtension, EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from '../../demo/browser.ts';
import { callAdminSocket } from '../../hub/admin/socket.ts';
import { openDatabase } from '../../hub/db/database.ts';
import { spawnHub, type HubProcess } from '../../hub/ops/spawn.ts';
import { adminSocketPath, pgliteDir } from '../../hub/start.ts';
import { OUTBOX_KICK } from '../../extension/background/sync-messages.ts';
import { decision } from '../unit/outbox/fixtures.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DECISIONS = 300;
const EVENTS = 300;

/**
 * Exactly once through a crash: the extension in Chromium sends decisions and events to the hub
 * (PGlite, the default) through a pass-through proxy that SIGKILLs the hub while a batch is in
 * the hub's hands — once during a feedback batch, once during an events batch — and starts it
 * again on the same data folder. Afterwards every entry the browser holds is in the database
 * once, nothing else is, and the browser holds nothing pending.
 */
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
});

test('SIGKILL mid-batch and restart: 0 acknowledged entries lost, 0 stored twice', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'huren-sigkill-'));
  cleanup.push(() => rm(tmp, { recursive: true, force: true }));
  const dataDir = join(tmp, 'hub');
  let hub: HubProcess = await spawnHub({ dataDir });
  cleanup.push(() => hub.close());
  const admin = (command: string, args: object) => callAdminSocket(adminSocketPath(dataDir), command, args);
  await admin('org.import', { actor: 'test', org: { hospitals: [{ id: 'zj-rmyy', name: '湛江市人民医院' }] } });
  const { token } = (await admin('token.issue', { actor: 'test', hospitalId: 'zj-rmyy', scope: 'hospital', label: 'sigkill' })) as { token: string };

  // The proxy the browser talks to: it forwards to whichever hub runs, and kills it on cue.
  const kills: { stream: string; batch: number; delayMs: number }[] = [];
  const plan = [
    { stream: 'feedback', batch: 3, delayMs: 3 },
    { stream: 'events', batch: 2, delayMs: 0 },
  ];
  const seen = { feedback: 0, events: 0 } as Record<string, number>;
  let restarting: Promise<void> | undefined;
  const proxy: Server = createServer((req, res) => void forward(req, res));
  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // While the hub restarts, requests wait for it (as behind a load balancer); the killed batch itself fails.
    await restarting;
    const stream = /\/(feedback|events)$/.exec(req.url ?? '')?.[1];
    const target = new URL(hub.url);
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end('{"error":"hub unavailable"}');
    });
    if (stream && req.method === 'POST') {
      const n = ++seen[stream]!;
      const cue = plan.find((p) => p.stream === stream && n >= p.batch && !kills.some((k) => k.stream === stream));
      if (cue) {
        // Once the whole batch is in the hub's hands, the hub dies without finishing anything.
        upstream.on('finish', () =>
          setTimeout(() => {
            if (kills.some((k) => k.stream === stream)) return;
            kills.push({ ...cue, batch: n });
            const dying = hub;
            restarting = dying.kill().then(async () => {
              hub = await spawnHub({ dataDir });
            });
          }, cue.delayMs),
        );
      }
    }
    req.pipe(upstream);
  }
  await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', () => ok()));
  cleanup.push(() => new Promise((ok) => (proxy.closeAllConnections(), proxy.close(ok))));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  // The extension (a private copy with a page that saves through the extension's own stores).
  const extensionDir = join(tmp, 'extension');
  await cp(EXTENSION_DIR, extensionDir, { recursive: true });
  await addTestPage(extensionDir);
  const browser: ExtensionBrowser = await launchWithExtension({ userDataDir: join(tmp, 'profile'), extensionDir });
  cleanup.push(() => browser.context.close());
  await configureExtension(browser.serviceWorker, { hubUrl: proxyUrl, hubToken: token });
  // A token written into storage.local (as older versions kept it) moves at once to the extension's IndexedDB, where content scripts cannot read it; the sends below still carry it.
  const localText = () => browser.serviceWorker.evaluate(async () => JSON.stringify(await (globalThis as unknown as { chrome: { storage: { local: { get(k: null): Promise<unknown> } } } }).chrome.storage.local.get(null)));
  await until(async () => !(await localText()).includes(token), 5_000, 'the hub token to leave storage.local');
  expect(await localText()).toContain(proxyUrl);
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/hub-test.html`);
  await page.waitForFunction(() => '__hurenHubTest' in globalThis);

  const decisions = Array.from({ length: DECISIONS }, (_, i) => decision(i));
  for (const chunk of [decisions.slice(0, 150), decisions.slice(150)]) {
    await helper(page, 'save', chunk);
    await helper(page, 'events', EVENTS / 2);
    await kick(page);
  }
  await until(async () => kills.length === plan.length, 90_000, `both kills (so far ${JSON.stringify(seen)})`);
  await restarting;
  await until(async () => {
    await kick(page);
    const pending = (await helper(page, 'pending')) as { decisions: number; events: number };
    return pending.decisions === 0 && pending.events === 0;
  }, 120_000, 'the browser to have nothing pending');

  const held = (await helper(page, 'uuids')) as { decisions: string[]; events: string[] };
  await hub.close();
  const db = await openDatabase({ dataDir: pgliteDir(dataDir) });
  cleanup.push(() => db.close());
  for (const [table, mine] of [['decision', held.decisions], ['event', held.events]] as const) {
    const { rows } = await db.query<{ uuid: string }>(`select uuid::text as uuid from ${table}`);
    const stored = rows.map((r) => r.uuid);
    const set = new Set(stored);
    const lost = mine.filter((u) => !set.has(u)).length;
    const unknown = stored.filter((u) => !mine.includes(u)).length;
    console.log(`sigkill: ${table}: ${mine.length} made, ${stored.length} stored, lost ${lost}, stored twice ${stored.length - set.size}, unknown ${unknown}`);
    expect([mine.length, lost, stored.length - set.size, unknown]).toEqual([table === 'decision' ? DECISIONS : EVENTS, 0, 0, 0]);
  }
  console.log(`sigkill: kills ${JSON.stringify(kills)}; requests seen ${JSON.stringify(seen)}`);
}, 240_000);

type Call = 'save' | 'events' | 'pending' | 'uuids';
const helper = (page: Page, call: Call, arg?: unknown) =>
  page.evaluate(([c, a]) => (globalThis as unknown as { __hurenHubTest: Record<string, (x: unknown) => Promise<unknown>> }).__hurenHubTest[c as string]!(a), [call, arg] as const);

const kick = (page: Page) =>
  page.evaluate((type) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: object): Promise<unknown> } } }).chrome.runtime.sendMessage({ type }).catch(() => undefined), OUTBOX_KICK);

/** A page in the private copy that saves decisions and audit events through the extension's own stores (as the background does). */
async function addTestPage(extensionDir: string): Promise<void> {
  const contents = `
    import { DexieDecisionStore } from './shared/storage/decision-store';
    import { DexieAuditLog } from './shared/audit/dexie-audit-log';
    import { HurenDb } from './shared/storage/db';
    const db = new HurenDb();
    const store = new DexieDecisionStore(db);
    const audit = new DexieAuditLog(db, { hub: { hospital: () => 'zj-rmyy' } });
    let n = 0;
    (globalThis as any).__hurenHubTest = {
      save: async (list: any[]) => { for (const d of list) await store.save(d); },
      events: async (count: number) => {
        for (let i = 0; i < count; i++, n++) {
          await audit.record(n % 2
            ? { kind: 'viewed', actor: { physician: '李明', department: '呼吸内科' }, patient: { system: 'urn:oid:2.16.156.10011.1.3', value: '4408' + n }, resultCount: n }
            : { kind: 'prompted', actor: { physician: '李明', department: '呼吸内科' }, patient: { system: 'urn:oid:2.16.156.10011.1.3', value: '4408' + n },
                card: crypto.randomUUID(), item: { id: 'cbc', name: '血细胞分析', category: 'lab' }, trigger: 'patient-view' });
        }
      },
      pending: async () => ({
        decisions: await db.decisions.where('state').equals('pending').count(),
        events: await db.events.where('[state+nextAttemptAt]').between(['pending', -Infinity], ['pending', Infinity]).count(),
      }),
      uuids: async () => ({ decisions: (await db.decisions.toCollection().primaryKeys()) as string[], events: (await db.events.toCollection().primaryKeys()) as string[] }),
    };`;
  const out = await build({ stdin: { contents, resolveDir: ROOT, loader: 'ts' }, bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'silent' });
  await writeFile(join(extensionDir, 'hub-test.js'), out.outputFiles[0]!.text);
  await writeFile(join(extensionDir, 'hub-test.html'), '<!doctype html><meta charset="utf-8"><script src="hub-test.js"></script>');
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
