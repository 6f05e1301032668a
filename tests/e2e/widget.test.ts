import { afterAll, beforeAll, expect, test } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM } from '../../demo/browser.ts';
import type { DemoProcess } from '../../demo/server/spawn.ts';
import { screenshotPath, startDemo } from './support.ts';

let server: DemoProcess;
let browser: Browser;
let patients: { idCard: string; name: string }[];

beforeAll(async () => {
  ({ server, patients } = await startDemo());
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test('the in-house EMR mounts the widget and it shows the selected patient’s prior results', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 800 }, locale: 'zh-CN' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/inhouse/`);
  const panel = page.locator('huren-panel');
  await panel.getByText('未打开患者').waitFor();
  expect(await panel.getAttribute('data-mounted')).toBe('true');

  await page.getByRole('button', { name: new RegExp(`^${patients[0]!.name}`) }).click();
  await panel.getByText(patients[0]!.name, { exact: true }).waitFor();
  await panel.getByText(/外院结果 \d+ 项/).waitFor();
  await page.screenshot({ path: screenshotPath('inhouse-widget') });
  expect(errors).toEqual([]);
});
