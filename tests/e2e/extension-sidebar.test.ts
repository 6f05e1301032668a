import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ExtensionBrowser } from '../../demo/browser.ts';
import type { DemoProcess } from '../../demo/server/spawn.ts';
import { maskIdentifier } from '../../shared/ui/panel/patient-key.ts';
import { screenshotPath, sidebarFrame, startBrowser, startDemo } from './support.ts';

let server: DemoProcess;
let browser: ExtensionBrowser;
let patients: { idCard: string; name: string }[];

beforeAll(async () => {
  ({ server, patients } = await startDemo());
  browser = await startBrowser(server);
});

afterAll(async () => {
  await browser?.context.close();
  await server?.close();
});

test('the sidebar appears beside the demo EMR with the patient read from the page and their prior results', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.url}/emr/?open=0`);
  const frame = await sidebarFrame(page, browser.extensionId);
  const patient = patients[0]!;

  await frame.getByText(patient.name, { exact: true }).waitFor();
  await frame.getByText(maskIdentifier(patient.idCard)).waitFor();
  const count = frame.getByText(/外院结果 \d+ 项/);
  await count.waitFor();
  expect(Number((await count.textContent())!.match(/\d+/)![0])).toBeGreaterThan(0);
  await frame.getByText(/最近一项/).waitFor();
  await page.screenshot({ path: screenshotPath('emr-sidebar') });
});

test('switching to another patient in the EMR updates the sidebar header and results', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.url}/emr/?open=0`);
  const frame = await sidebarFrame(page, browser.extensionId);
  await frame.getByText(patients[0]!.name, { exact: true }).waitFor();
  await page.getByRole('button', { name: new RegExp(`^${patients[1]!.name}`) }).click();
  await frame.getByText(patients[1]!.name, { exact: true }).waitFor();
  await frame.getByText(maskIdentifier(patients[1]!.idCard)).waitFor();
  expect(await frame.getByText(patients[0]!.name, { exact: true }).count()).toBe(0);
});
