import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { configureExtension, launchWithExtension, type ExtensionBrowser } from '../../demo/browser.ts';
import { demoCdaSettings } from '../../demo/cda/settings.ts';
import type { EmrPatient } from '../../demo/data/generate.ts';
import type { DemoProcess } from '../../demo/server/spawn.ts';
import { screenshotPath, sidebarFrame, startDemo } from './support.ts';

/**
 * The demo end to end on the CDA source: the extension asks the demo platform's XDS.b registry and
 * repository (then its REST wrapper) for the patient's WS/T 500 documents, parses them, maps the
 * issuers' local codes through the pack's code maps, and the physician decides on the cards.
 */
let server: DemoProcess;
let browser: ExtensionBrowser;
let patients: EmrPatient[];

beforeAll(async () => {
  ({ server, patients } = await startDemo());
  browser = await launchWithExtension();
  await configureExtension(browser.serviceWorker, { fhirBaseUrl: server.fhirBase, feedbackEndpoint: `${server.url}/cds-services/huren`, ...demoCdaSettings(server.url, 'xds') });
});
afterAll(async () => {
  await browser?.context.close();
  await server?.close();
});

async function openEmr(index: number): Promise<{ page: Page; frame: Frame }> {
  const page = await browser.context.newPage();
  await page.goto(`${server.url}/emr/?open=${index}`);
  return { page, frame: await sidebarFrame(page, browser.extensionId) };
}

const card = (frame: Frame, name: RegExp) => frame.getByRole('article', { name });

test('XDS.b: patient opens → cards from WS/T 500 documents → a decision is made and kept', async () => {
  const { page, frame } = await openEmr(0);
  await frame.getByText(patients[0]!.name, { exact: true }).waitFor();
  await frame.getByText(/可互认（\d+）/).waitFor({ timeout: 20_000 });
  // The 血常规 order is a duplicate of a 3-day-old 血常规 whose document carries only local codes.
  const top = frame.getByRole('article').first();
  await top.getByText('重复开单：血常规').waitFor();
  expect(await top.textContent()).toContain('湛江中心人民医院');
  expect(await top.textContent()).toContain('报告单未标注，据规则包中该机构的互认资质');
  // Imaging: 所见 and 结论 from the 检查报告 as text.
  const ct = card(frame, /胸部CT/);
  await ct.getByText(/左肺上叶微小结节/).waitFor();
  expect(await ct.textContent()).toContain('所见：');
  await page.screenshot({ path: screenshotPath('cda-sidebar-cards') });

  const cbc = card(frame, /血细胞分析/).first();
  await cbc.getByRole('button', { name: '互认' }).click();
  await cbc.getByText('已互认').waitFor();
  await cbc.getByRole('button', { name: '插入病历' }).click();
  await cbc.getByText('已插入病历').waitFor();
  const note = await page.locator('#note').inputValue();
  expect(note).toContain('机构名称：湛江中心人民医院');
  expect(note).toMatch(/档案号：ZJZX-L\d+/);
  await page.screenshot({ path: screenshotPath('cda-recognized') });

  await page.reload();
  const again = await sidebarFrame(page, browser.extensionId);
  await card(again, /血细胞分析/).first().getByText('已互认').waitFor({ timeout: 20_000 });
  await frame.page().close();
});

test('options page: choose the REST/JSON wrapper → the same patient, the same cards', async () => {
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await options.getByLabel('结果来源').selectOption('cda');
  // Without the interface the page refuses to save, naming the field.
  await options.getByLabel('CDA 文档接口（JSON）').fill('');
  await options.getByRole('button', { name: '保存' }).click();
  await options.getByText('选择 CDA 来源时必须填写 CDA 文档接口').waitFor();
  await options.getByLabel('CDA 文档接口（JSON）').fill(JSON.stringify(demoCdaSettings(server.url, 'rest').cdaSource, null, 2));
  await options.getByRole('button', { name: '保存' }).click();
  await options.getByText('✓ 已保存').waitFor();
  await options.screenshot({ path: screenshotPath('cda-options'), fullPage: true });
  await options.close();

  const { page, frame } = await openEmr(0);
  await frame.getByText(/可互认（\d+）/).waitFor({ timeout: 20_000 });
  await card(frame, /胸部CT/).getByText(/左肺上叶微小结节/).waitFor();
  // This time the documents came from the REST wrapper, not the XDS.b endpoints.
  const asked = await frame.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  expect(asked).toContain('/cda-rest/documents');
  expect(asked.some((p) => p.startsWith('/xds/'))).toBe(false);
  // Decided on the XDS.b run: the card id is built from the same document, so no second prompt.
  await card(frame, /血细胞分析/).first().getByText('已互认').waitFor();
  await frame.getByText(/其他外院结果/).click();
  await frame.getByText('出具机构未通过该项目质控').first().waitFor();
  await page.screenshot({ path: screenshotPath('cda-rest-others') });
  await page.close();
});
