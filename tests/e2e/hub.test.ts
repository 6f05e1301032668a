import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { chromium, type Browser, type Frame } from 'playwright-core';
import { CHROMIUM, configureExtension, EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from '../../demo/browser.ts';
import { spawnDemo, type DemoProcess } from '../../demo/server/spawn.ts';
import { callAdminSocket } from '../../hub/admin/socket.ts';
import { adminSocketPath } from '../../hub/start.ts';
import { screenshotPath, sidebarFrame, TODAY } from './support.ts';

/**
 * The demo with its hub: decisions and events made in the demo EMR (extension sidebar) and in the
 * in-house EMR (widget) arrive in the hub's database exactly once, and the extension takes the
 * hospital's configuration from the hub, signature checked.
 */
let dataDir: string;
let server: DemoProcess;
let ext: ExtensionBrowser;
let plain: Browser;

interface HospitalCounts {
  hospital_id: string;
  decisions: number;
  recognized: number;
  retested: number;
  prompted: number;
  viewed: number;
  cited: number;
}

const counts = async (): Promise<HospitalCounts> =>
  ((await callAdminSocket(adminSocketPath(dataDir), 'stats', {})) as HospitalCounts[]).find((h) => h.hospital_id === 'zj-rmyy')!;

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'huren-demo-hub-'));
  server = await spawnDemo({ today: TODAY, hub: { dataDir } });
  ext = await launchWithExtension();
  // The token is pasted on the options page by the first test, as hospital IT would.
  await configureExtension(ext.serviceWorker, { fhirBaseUrl: server.fhirBase, hubUrl: server.hubUrl, hubSigningKeys: server.hubSigningKeys });
  plain = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});

afterAll(async () => {
  await ext?.context.close();
  await plain?.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

test('the hub token saved on the options page is kept out of storage.local; the options page shows the hospital configuration from the hub, signature checked', async () => {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/options.html`);
  const token = server.hubToken!;
  await page.getByLabel('接入令牌（hrt_…）').fill(token);
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存').waitFor();
  // storage.local is readable by the content script in every EMR page: the token is not there (issue 14).
  const local = await ext.serviceWorker.evaluate(() => (globalThis as unknown as { chrome: { storage: { local: { get(k: null): Promise<Record<string, unknown>> } } } }).chrome.storage.local.get(null));
  expect(JSON.stringify(local)).not.toContain(token);
  expect(JSON.stringify(local)).toContain(server.hubUrl);
  // Nor does the content script ever need one: its bundle does not read the settings or ask for a token.
  const contentScript = await readFile(join(EXTENSION_DIR, 'content-scripts/emr.js'), 'utf8');
  for (const word of ['hubToken', 'huren/store/platform-token', 'secrets']) expect(contentScript).not.toContain(word);
  // Yet the hub accepts this browser: the configuration below needs the token, as do the decisions the next tests send.
  await page.getByRole('button', { name: '立即同步' }).click();
  const status = page.getByTestId('hub-status');
  await status.getByText('湛江市人民医院（zj-rmyy）').waitFor();
  expect(await status.textContent()).not.toContain('尚未同步');
  // The hub set the packs: they show as the hub's, read-only.
  await page.getByRole('heading', { name: /规则包/ }).getByText('由医院中心配置').waitFor();
  await page.screenshot({ path: screenshotPath('options-hub'), fullPage: true });
  await page.close();
});

test('decisions and events from the demo EMR land in the hub once each', async () => {
  const before = await counts();
  const page = await ext.context.newPage();
  await page.goto(`${server.url}/emr/?open=0`);
  const frame: Frame = await sidebarFrame(page, ext.extensionId);
  const card = (name: RegExp) => frame.getByRole('article', { name });
  const cbc = card(/血细胞分析/).first();
  await cbc.getByRole('button', { name: '互认' }).click();
  await cbc.getByText('已互认').waitFor();
  await cbc.getByRole('button', { name: '插入病历' }).click();
  await cbc.getByText('已插入病历').waitFor();
  const ct = card(/胸部CT/);
  await ct.getByRole('button', { name: '复查' }).click();
  await ct.getByRole('radio', { name: /因疾病转归需连续对比观察的/ }).check();
  await ct.getByRole('button', { name: '保存' }).click();
  await ct.getByText(/已决定复查/).waitFor();
  const shownCards = await frame.getByRole('article').count();

  const after = await until(counts, (c) => c.decisions >= before.decisions + 2 && c.cited >= before.cited + 1 && c.prompted >= before.prompted + shownCards, 'the hub to hold the decisions and events');
  expect(after.recognized - before.recognized).toBe(1);
  expect(after.retested - before.retested).toBe(1);
  expect(after.viewed - before.viewed).toBeGreaterThanOrEqual(1);
  // Once each: a prompted event per card shown, however often the sender tried.
  expect(after.prompted - before.prompted).toBe(shownCards);
  await page.waitForTimeout(2_000);
  expect(await counts()).toEqual(after);
  await page.screenshot({ path: screenshotPath('hub-emr-decided') });
  await page.close();
});

test('the in-house EMR’s widget sends its decisions and events to the hub too', async () => {
  const before = await counts();
  const page = await plain.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  await page.goto(`${server.url}/inhouse/?open=0`);
  const lft = page.locator('huren-panel .hr-card').filter({ has: page.locator('.hr-card-title', { hasText: '肝功能' }) });
  await lft.getByRole('button', { name: '互认', exact: true }).click();
  await lft.getByText('已互认').waitFor();
  const after = await until(counts, (c) => c.decisions === before.decisions + 1 && c.prompted > before.prompted, 'the widget decision at the hub');
  expect(after.recognized).toBe(before.recognized + 1);
  await page.close();
});

test('the hospital dashboard counts the decisions just made in the demo EMR and the widget', async () => {
  const login = await fetch(`${server.hubUrl}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'yiwuke', password: 'Huren-demo-2026' }) });
  expect(login.status).toBe(200);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  // Today in China time: the demo's live decisions (its history ends yesterday).
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const tomorrow = new Date(Date.parse(today) + 86_400_000).toISOString().slice(0, 10);
  type Answer = { total: { measures: { reportsRecognized: number; reportsRetested: number; reportsCited: number } } };
  // The report facts follow ingestion within the refresher's 5 s.
  const measures = await until(
    async () => (await (await fetch(`${server.hubUrl}/api/v1/measures?groupBy=department&from=${today}&to=${tomorrow}`, { headers: { cookie } })).json()) as Answer,
    (m) => m.total.measures.reportsRecognized >= 2 && m.total.measures.reportsCited >= 1,
    'the dashboard to count the live decisions',
  );
  expect(measures.total.measures.reportsRecognized).toBeGreaterThanOrEqual(2);
  expect(measures.total.measures.reportsRetested).toBeGreaterThanOrEqual(1);
  expect(measures.total.measures.reportsCited).toBeGreaterThanOrEqual(1);
});
