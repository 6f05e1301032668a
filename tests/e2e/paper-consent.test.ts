import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';
import { CHROMIUM, configureExtension, launchWithExtension, type ExtensionBrowser } from '../../demo/browser.ts';
import type { EmrPatient } from '../../demo/data/generate.ts';
import { spawnDemo, type DemoProcess } from '../../demo/server/spawn.ts';
import { callAdminSocket } from '../../hub/admin/socket.ts';
import { adminSocketPath } from '../../hub/start.ts';
import { screenshotPath, sidebarFrame, TODAY } from './support.ts';

/**
 * Issue 14 end to end, in both shells with the demo's hub: where the hospital requires 患者授权 the
 * panel asks before it makes any request to the platform, and the consent reaches the hub as an
 * event; a paper report (录入纸质结果) entered through the 拼音首字母 pickers becomes a 纸质 card whose
 * decision reaches the hub once, with result source 'paper', and whose citation says it was on paper.
 */
let dataDir: string;
let server: DemoProcess;
let ext: ExtensionBrowser;
let plain: Browser;
let patients: EmrPatient[];

interface HospitalCounts {
  decisions: number;
  recognized: number;
  paper: number;
  consents: number;
  cited: number;
}
const counts = async (): Promise<HospitalCounts> =>
  ((await callAdminSocket(adminSocketPath(dataDir), 'stats', {})) as (HospitalCounts & { hospital_id: string })[]).find((h) => h.hospital_id === 'zj-rmyy')!;

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A calendar day in China time, `days` from today (the panel dates paper reports by the packs' zone). */
const chinaDay = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
const isFhir = (url: string) => url.includes('/fhir/R4/');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'huren-paper-consent-'));
  server = await spawnDemo({ today: TODAY, hub: { dataDir } });
  patients = (await (await fetch(`${server.url}/emr/api/patients`)).json()) as EmrPatient[];
  ext = await launchWithExtension();
  await configureExtension(ext.serviceWorker, { fhirBaseUrl: server.fhirBase, hubUrl: server.hubUrl, hubToken: server.hubToken, hubSigningKeys: server.hubSigningKeys });
  plain = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});

afterAll(async () => {
  await ext?.context.close();
  await plain?.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

type Root = Frame | Page;

/** Asks for consent: no method → told to choose one; then 扫码授权 and confirm. */
async function giveConsent(root: Root): Promise<void> {
  const gate = root.locator('.hr-consent');
  await gate.getByRole('button', { name: '患者已同意调阅外院结果' }).click();
  await gate.getByRole('alert').filter({ hasText: '请选择授权方式' }).waitFor();
  await gate.getByRole('radio', { name: '扫码授权' }).check();
  await gate.getByRole('button', { name: '患者已同意调阅外院结果' }).click();
  await root.locator('.hr-consent-given', { hasText: '患者已授权（扫码授权）' }).waitFor();
}

/**
 * 录入纸质结果: 湛江中心人民医院 by "zjzx", 血细胞分析 by "xcg", a future date refused with nothing saved,
 * then a valid report saved. Returns the 纸质 card.
 */
async function enterPaperReport(root: Root, page: Page, shot: string): Promise<Locator> {
  await root.getByRole('button', { name: '录入纸质结果' }).click();
  const form = root.locator('form.hr-paper');
  const institution = form.getByRole('combobox', { name: '出具机构' });
  await institution.pressSequentially('zjzx');
  await form.getByRole('option', { name: /湛江中心人民医院/ }).click();
  expect(await institution.inputValue()).toBe('湛江中心人民医院');
  const item = form.getByRole('combobox', { name: '检查检验项目' });
  await item.pressSequentially('xcg');
  const cbc = form.getByRole('option', { name: /血细胞分析/ });
  await cbc.waitFor();
  await page.screenshot({ path: screenshotPath(`${shot}-picker`) });
  await cbc.click();
  expect(await item.inputValue()).toBe('血细胞分析');

  // Boundary: a collection date after today is refused as a whole, nothing stored.
  await form.getByLabel('采样/检查日期').fill(chinaDay(1));
  await form.getByLabel('档案号/报告编号').fill('ZX-2026-0815');
  await form.getByLabel('报告上的互认标识').selectOption('湛江市 HR');
  await form.getByRole('button', { name: '保存纸质结果' }).click();
  await form.getByRole('alert').filter({ hasText: '日期不能晚于今天' }).waitFor();
  expect(await root.locator('[data-source="paper"]').count()).toBe(0);
  await page.screenshot({ path: screenshotPath(`${shot}-future-date`) });

  await form.getByLabel('采样/检查日期').fill(chinaDay(-2));
  await form.getByLabel('报告日期').fill(chinaDay(-1));
  await form.getByRole('combobox', { name: '项目 1' }).selectOption('白细胞计数');
  await form.getByRole('textbox', { name: '结果 1' }).fill('6.2');
  await form.getByRole('textbox', { name: '单位 1' }).fill('10^9/L');
  await form.getByRole('textbox', { name: '参考范围 1' }).fill('3.5-9.5');
  await form.getByRole('button', { name: '保存纸质结果' }).click();
  await root.getByRole('status').filter({ hasText: '已录入纸质结果' }).waitFor();
  const card = root.locator('.hr-card').filter({ has: root.locator('[data-source="paper"]') });
  await card.waitFor();
  expect(await card.count()).toBe(1);
  expect(await card.locator('.hr-card-title').textContent()).toContain('血细胞分析');
  return card;
}

/** Recognize a card the physician can see (in mid-screen for ≥400 ms), then insert its citation. */
async function recognizeAndCite(card: Locator): Promise<string> {
  await card.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await card.page().waitForTimeout(1000); // still on screen a moment, as a physician's card is
  await card.getByRole('button', { name: '互认', exact: true }).click();
  await card.getByText('已互认').waitFor();
  await card.getByRole('button', { name: '插入病历' }).click();
  await card.getByText('已插入病历').waitFor();
  const citation = (await card.locator('.hr-citation-text').textContent())!;
  expect(citation).toContain('【外院结果互认（纸质报告）】血细胞分析');
  expect(citation).toContain('结果来源：患者提供的纸质检查检验报告（医师录入）');
  expect(citation).toContain('机构名称：湛江中心人民医院');
  expect(citation).toContain('档案号：ZX-2026-0815');
  return citation;
}

describe.sequential('extension sidebar on the demo EMR', () => {
  let page: Page;
  let frame: Frame;

  test('consent required: the prompt first, no platform request before it; consent → results; the consent reaches the hub', async () => {
    // Hospital IT requires 患者授权 on the options page (or by the policy key consentRequired).
    const options = await ext.context.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    await options.getByLabel('调阅外院结果前需患者授权').selectOption('要求');
    await options.getByRole('button', { name: '保存', exact: true }).click();
    await options.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    await options.locator('section[aria-labelledby="consent-h"]').screenshot({ path: screenshotPath('consent-options') });
    await options.close();

    const before = await counts();
    const fhir: string[] = [];
    ext.context.on('request', (r) => {
      if (isFhir(r.url())) fhir.push(r.url());
    });
    page = await ext.context.newPage();
    await page.goto(`${server.url}/emr/?open=0`);
    frame = await sidebarFrame(page, ext.extensionId);
    await frame.getByRole('heading', { name: '调阅外院结果需患者授权' }).waitFor();
    await page.waitForTimeout(1_500);
    expect(fhir).toEqual([]);
    expect(await frame.getByRole('article').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('consent-extension-prompt') });

    await giveConsent(frame);
    await frame.getByRole('article').first().waitFor();
    expect(fhir.length).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('consent-extension-given') });
    const after = await until(counts, (c) => c.consents >= before.consents + 1, 'the consent event at the hub');
    expect(after.consents).toBe(before.consents + 1);
  });

  test('paper entry: pickers by 拼音首字母, a future date refused, 纸质 card recognized and cited; the decision reaches the hub once with source paper', async () => {
    // The consent is remembered for the encounter: a reload asks nothing again.
    await page.reload();
    frame = await sidebarFrame(page, ext.extensionId);
    await frame.locator('.hr-consent-given').waitFor();
    expect(await frame.locator('.hr-consent').count()).toBe(0);

    const before = await counts();
    const card = await enterPaperReport(frame, page, 'paper-extension');
    await recognizeAndCite(card);
    expect(await page.locator('#note').inputValue()).toContain('（纸质报告）');
    await page.screenshot({ path: screenshotPath('paper-extension-recognized') });

    const after = await until(counts, (c) => c.paper >= before.paper + 1 && c.cited >= before.cited + 1, 'the paper decision at the hub');
    expect(after.paper - before.paper).toBe(1);
    expect(after.decisions - before.decisions).toBe(1);
    await page.waitForTimeout(2_000);
    expect((await counts()).paper).toBe(after.paper);
    await page.close();
  });
});

describe.sequential('widget in the in-house EMR (direct mode)', () => {
  let page: Page;
  const errors: string[] = [];

  test('consent required by the widget config: the prompt first, no platform request before it; consent → results; the consent reaches the hub', async () => {
    const before = await counts();
    page = await plain.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    page.on('pageerror', (e) => errors.push(e.message));
    const fhir: string[] = [];
    page.on('request', (r) => {
      if (isFhir(r.url())) fhir.push(r.url());
    });
    await page.goto(`${server.url}/inhouse/?open=0&consent=1`);
    const panel = page.locator('huren-panel');
    await panel.locator('.hr-patient-name', { hasText: patients[0]!.name }).waitFor();
    await panel.getByRole('heading', { name: '调阅外院结果需患者授权' }).waitFor();
    await page.waitForTimeout(1_500);
    expect(fhir).toEqual([]);
    expect(await panel.locator('.hr-card').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('consent-widget-prompt') });

    await giveConsent(page);
    await panel.locator('.hr-card').first().waitFor();
    expect(fhir.length).toBeGreaterThan(0);
    const after = await until(counts, (c) => c.consents >= before.consents + 1, 'the widget consent at the hub');
    expect(after.consents).toBe(before.consents + 1);
  });

  test('paper entry → 纸质 card recognized → the host files it, the hub gets it once with source paper', async () => {
    const before = await counts();
    const card = await enterPaperReport(page, page, 'paper-widget');
    const citation = await recognizeAndCite(card);
    expect(await page.locator('#note').inputValue()).toBe(citation);
    await page.locator('#decisions li[data-outcome="accepted"]', { hasText: '血细胞分析' }).waitFor();
    await page.screenshot({ path: screenshotPath('paper-widget-recognized') });

    const after = await until(counts, (c) => c.paper >= before.paper + 1, 'the widget paper decision at the hub');
    expect(after.paper - before.paper).toBe(1);
    expect(after.decisions - before.decisions).toBe(1);
    await page.waitForTimeout(2_000);
    expect((await counts()).paper).toBe(after.paper);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe.sequential('widget in iframe mode (the EMR and Huren on two origins)', () => {
  // The frame page has no hub to report to (a hub token never crosses origins, FrameConfig has none): the host files the decision.
  test('consent prompt before any platform request, then a paper report recognized (the host files the decision and inserts the citation) and a 复查 reason saved', async () => {
    const port = new URL(server.url).port;
    const frameUrl = `http://huren.demo.localhost:${port}/huren-frame/`;
    const page = await plain.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const fhir: string[] = [];
    page.on('request', (r) => {
      if (isFhir(r.url())) fhir.push(r.url());
    });
    await page.goto(`http://emr.demo.localhost:${port}/inhouse-frame/?open=1&consent=1`);
    let frame: Frame | undefined;
    for (let i = 0; i < 200 && !frame; i++) {
      frame = page.frames().find((f) => f.url() === frameUrl);
      if (!frame) await page.waitForTimeout(50);
    }
    if (!frame) throw new Error('the Huren frame did not load');
    await frame.locator('.hr-patient-name', { hasText: patients[1]!.name }).waitFor();
    await frame.getByRole('heading', { name: '调阅外院结果需患者授权' }).waitFor();
    await page.waitForTimeout(1_500);
    expect(fhir).toEqual([]);
    await page.screenshot({ path: screenshotPath('consent-frame-prompt') });

    await giveConsent(frame);
    await frame.locator('.hr-card').first().waitFor();
    expect(fhir.length).toBeGreaterThan(0);
    // The host sizes the iframe to the panel as the results render: let the layout settle before clicking in it.
    await page.waitForTimeout(1_000);
    const card = await enterPaperReport(frame, page, 'paper-frame');
    const citation = await recognizeAndCite(card);
    expect(await page.locator('#note').inputValue()).toBe(citation);
    await page.locator('#decisions li[data-outcome="accepted"]', { hasText: `${patients[1]!.name}　血细胞分析　互认` }).waitFor();
    expect(await page.locator('#decisions li').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('paper-frame-recognized') });

    // The 复查 reason is a form too: saved in the sandboxed frame as well.
    const tumor = frame.locator('.hr-card').filter({ has: frame.locator('.hr-card-title', { hasText: '肿瘤标志物' }) });
    await tumor.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await tumor.page().waitForTimeout(1000);
    await tumor.getByRole('button', { name: '复查', exact: true }).click();
    await tumor.getByText('检查检验结果在疾病发展演变过程中变化较快的').click();
    await tumor.getByRole('button', { name: '保存' }).click();
    await tumor.getByText('已决定复查：检查检验结果在疾病发展演变过程中变化较快的').waitFor();
    await page.locator('#decisions li[data-outcome="overridden"]', { hasText: '肿瘤标志物' }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});
