import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM } from '../../demo/browser.ts';
import { DEMO_PASSWORD } from '../../demo/hub.ts';
import { spawnDemo, type DemoProcess } from '../../demo/server/spawn.ts';
import { callAdminSocket } from '../../hub/admin/socket.ts';
import { adminSocketPath } from '../../hub/start.ts';
import { screenshotPath, TODAY } from './support.ts';

/**
 * The hub's monitoring dashboard in Chromium, over the demo hub (its hospitals' past weeks): the
 * hospital view for 医务科, the department view for a 科主任, the region view, the monthly report,
 * the audited drill-down and the exports. Screenshots of each view are saved and looked at.
 */
let dataDir: string;
let server: DemoProcess;
let browser: Browser;
const ID_CARD = /\b\d{17}[\dX]\b/;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'huren-dashboard-'));
  server = await spawnDemo({ today: TODAY, hub: { dataDir } });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function signIn(username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true, timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await page.clock.setFixedTime(new Date(`${TODAY}T12:00:00+08:00`));
  await page.goto(`${server.hubUrl}/dashboard/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  return page;
}

const lastMonth = () => {
  const [y, m] = TODAY.split('-').map(Number) as [number, number];
  return `${new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7)}`;
};

test('医务科: key figures with their definitions, trend, 院区 → 科室 → 医师, items, issuers, reasons; the drill-down is masked and audited', async () => {
  const page = await signIn('yiwuke');
  await page.getByRole('button', { name: '上月' }).click();
  const recognition = page.locator('[data-rate="recognitionRate"]');
  await expect.poll(async () => recognition.textContent()).toMatch(/\d+\.\d%/);
  await page.getByRole('heading', { name: '指标定义' }).waitFor();
  expect(await page.getByTestId('rule-text').textContent()).toContain('偏离标记');
  await page.getByRole('table', { name: /按科室/ }).getByRole('button', { name: '呼吸内科', exact: true }).waitFor();
  expect(await page.locator('.chart svg').count()).toBeGreaterThan(1);
  await page.screenshot({ path: screenshotPath('dashboard-hospital'), fullPage: true });

  // 科室 → 医师
  await page.getByRole('table', { name: /按科室/ }).getByRole('button', { name: '呼吸内科', exact: true }).click();
  await page.getByRole('heading', { name: /按医师 · 呼吸内科/ }).waitFor();
  await page.screenshot({ path: screenshotPath('dashboard-physicians') });

  // The reports behind a number: masked identifiers, an audit row.
  const before = (await callAdminSocket(adminSocketPath(dataDir), 'audit.recent', { limit: 200 })) as { action: string }[];
  await page.getByRole('table', { name: /按医师/ }).locator('tbody tr').first().locator('td button').nth(2).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('查看明细会记录审计日志').waitFor();
  await expect.poll(async () => dialog.locator('tbody tr').count()).toBeGreaterThan(0);
  const text = (await dialog.textContent())!;
  expect(text).toMatch(/\d{4}\*{10}[\dX]{4}/);
  expect(text).not.toMatch(ID_CARD);
  await page.screenshot({ path: screenshotPath('dashboard-drilldown') });
  const after = (await callAdminSocket(adminSocketPath(dataDir), 'audit.recent', { limit: 200 })) as { action: string; actor: string }[];
  expect(after.filter((a) => a.action === 'view.drilldown').length).toBe(before.filter((a) => a.action === 'view.drilldown').length + 1);
  expect(after.find((a) => a.action === 'view.drilldown')!.actor).toBe('account:yiwuke');

  // Exports of the reports behind the number: CSV with BOM, XLSX.
  const csv = await Promise.all([page.waitForEvent('download'), dialog.getByRole('link', { name: '导出 CSV' }).click()]).then(([d]) => d.path());
  const bytes = await readFile(csv);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.toString('utf8')).toContain('患者证件号（脱敏）');
  expect(bytes.toString('utf8')).not.toMatch(ID_CARD);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });

  const xlsx = await Promise.all([page.waitForEvent('download'), page.getByRole('table', { name: /按项目/ }).getByRole('link', { name: '导出 XLSX' }).click()]).then(([d]) => d.path());
  expect((await readFile(xlsx)).subarray(0, 2).toString()).toBe('PK');

  // Source side and reasons.
  await page.getByRole('table', { name: /按出具机构/ }).getByText('湛江中心人民医院').waitFor();
  await page.getByRole('table', { name: /复查原因/ }).getByText(/^RT-\d/).first().waitFor();
  await page.context().close();
});

test('科主任: only the own department; English available', async () => {
  const page = await signIn('huxi');
  await page.getByRole('button', { name: '上月' }).click();
  await page.getByRole('heading', { name: /按医师 · 呼吸内科/ }).waitFor();
  expect(await page.getByRole('table', { name: /按科室/ }).count()).toBe(0);
  await page.getByRole('button', { name: '本科室' }).waitFor();
  await page.screenshot({ path: screenshotPath('dashboard-department'), fullPage: true });
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: /By physician · 呼吸内科/ }).waitFor();
  await page.getByRole('heading', { name: 'Definitions' }).waitFor();
  await page.context().close();
});

test('区域: hospitals side by side, ranked and flagged, per item; no identifier; no drill-down', async () => {
  const page = await signIn('quyu');
  await page.getByRole('button', { name: '上月' }).click();
  const table = page.getByRole('table', { name: /各医院对比/ });
  await table.getByText('遂溪县人民医院').waitFor();
  expect(await table.locator('tbody tr').count()).toBe(8);
  // 遂溪县人民医院 recognizes far less than its peers: flagged, ranked last.
  const last = table.locator('tbody tr').last();
  expect(await last.textContent()).toContain('遂溪县人民医院');
  expect(await last.locator('.badge').textContent()).toMatch(/低于/);
  expect(await page.textContent('body')).not.toMatch(ID_CARD);
  await page.screenshot({ path: screenshotPath('dashboard-region'), fullPage: true });
  await page.getByLabel('项目').selectOption({ label: '肝功能' });
  await expect.poll(async () => (await table.locator('tbody tr').count()) > 0).toBe(true);
  await page.screenshot({ path: screenshotPath('dashboard-region-item') });
  const res = await page.evaluate(async (q) => (await fetch(`/api/v1/drilldown?${q}`)).status, `from=2026-10-01&to=2026-11-01&hospital=zj-rmyy`);
  expect(res).toBe(403);
  await page.context().close();
});

test('月度报告 prints on A4 with its charts', async () => {
  const page = await signIn('yiwuke');
  await page.getByRole('button', { name: '月度报告' }).click();
  await page.locator('input[type=month]').fill(lastMonth());
  await page.getByRole('heading', { name: '检查检验结果互认月度报告' }).waitFor();
  await expect.poll(async () => page.locator('.chart svg').count()).toBeGreaterThan(1);
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: screenshotPath('dashboard-report-print'), fullPage: true });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
  await page.context().close();
});
