import { expect, test } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { BUNDLED_ADAPTERS } from '../../extension/settings/bundled-adapters.ts';
import { maskIdentifier } from '../../shared/ui/panel/patient-key.ts';
import { screenshotPath, sidebarFrame, useExtensionDemo } from './support.ts';

/**
 * The EMR of docs/site-adapter.md's third example, in the real build: a single-page shell on
 * 127.0.0.1 whose patient banner comes from xemr-banner.localhost and whose order grid and note
 * come from xemr-orders.localhost; every field is found by its label, columns move between
 * patients, ids are generated. The content script runs in each frame, the background merges
 * them per tab, the sidebar lives only in the top page.
 */
const demo = useExtensionDemo();

const card = (frame: Frame, name: RegExp) => frame.getByRole('article', { name });

async function openShell(index: number): Promise<{ page: Page; frame: Frame }> {
  const page = await demo.browser.context.newPage();
  await page.goto(`${demo.server.url}/xemr/`);
  await page.waitForFunction(() => document.querySelectorAll('#queue li').length > 0);
  await waitForFrames(page);
  await page.evaluate((i) => (window as unknown as { xemr: { open(i: number): void } }).xemr.open(i), index);
  return { page, frame: await sidebarFrame(page, demo.browser.extensionId) };
}

async function waitForFrames(page: Page): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const origins = page.frames().map((f) => new URL(f.url() || 'about:blank').host);
    if (origins.some((h) => h.startsWith('xemr-banner.localhost')) && origins.some((h) => h.startsWith('xemr-orders.localhost'))) return;
    await page.waitForTimeout(50);
  }
  throw new Error('the EMR frames did not load');
}

const ordersFrame = (page: Page) => page.frames().find((f) => f.url().includes('xemr-orders.localhost'))!;

test('patient, orders and note from two other origins: one sidebar in the top page, duplicate order flagged, citation inserted in the orders frame', async () => {
  const { page, frame } = await openShell(0);
  const patient = demo.patients[0]!;
  await frame.getByText(patient.name, { exact: true }).waitFor();
  await frame.getByText(maskIdentifier(patient.idCard)).waitFor();
  // Patient 0 has 血常规 pending in the order-entry frame: read through the grid's column header.
  await frame.getByRole('article').first().getByText('重复开单：血常规').waitFor();
  // Only the top page hosts the sidebar; the frames from other origins only read.
  expect(page.frames().filter((f) => f.url().includes('/sidebar.html'))).toHaveLength(1);
  expect(await ordersFrame(page).evaluate(() => document.querySelector('[data-huren-sidebar]'))).toBeNull();
  await page.screenshot({ path: screenshotPath('xemr-sidebar') });

  // An order placed in the cross-origin grid turns the 胸部CT card into a duplicate-order prompt.
  const orders = ordersFrame(page);
  await orders.locator('select').selectOption('CT-CHEST');
  await orders.getByRole('button', { name: '开立' }).click();
  await card(frame, /胸部CT/).getByText('重复开单：胸部CT').waitFor();

  // Recognize → 插入病历: the citation lands in the note textarea of the orders frame.
  const cbc = card(frame, /血细胞分析/).first();
  await cbc.getByRole('button', { name: '互认' }).click();
  await cbc.getByRole('button', { name: '插入病历' }).click();
  await cbc.getByText('已插入病历').waitFor();
  expect(await orders.locator('textarea.x-form-textarea').inputValue()).toContain('机构名称：湛江中心人民医院');
  await page.screenshot({ path: screenshotPath('xemr-note-inserted') });
  await page.close();
});

/** Ids of every result resource the platform holds for each patient, straight from FHIR. */
async function resultIdsByPatient(): Promise<Map<string, Set<string>>> {
  const map = new Map<string, Set<string>>();
  for (const p of demo.patients) {
    const found = await (await fetch(`${demo.server.fhirBase}/Patient?identifier=${encodeURIComponent(p.idCard)}`)).json();
    const ids = new Set<string>();
    map.set(p.name, ids);
    // Some demo patients have no record on the platform: they must show no card at all.
    const id = found.entry?.[0]?.resource.id as string | undefined;
    if (!id) continue;
    for (const type of ['Observation', 'DiagnosticReport', 'ImagingStudy']) {
      const bundle = await (await fetch(`${demo.server.fhirBase}/${type}?subject=Patient/${id}&_count=1000`)).json();
      for (const e of bundle.entry ?? []) ids.add(`${type}/${e.resource.id}`);
    }
  }
  return map;
}

test('SPA patient switches across the frames (pushState and back): never a card of the previous patient', async () => {
  const owned = await resultIdsByPatient();
  const { page, frame } = await openShell(0);
  await frame.getByText(/可互认（\d+）/).waitFor();
  const snapshot = () =>
    frame.evaluate(() => ({
      header: document.querySelector('.hr-patient-name')?.textContent ?? null,
      id: document.querySelector('.hr-patient-id')?.textContent ?? null,
      cards: [...document.querySelectorAll('article')].map((a) => a.getAttribute('data-result')!),
    }));
  let checks = 0;
  /** Whatever the sidebar shows, header and cards are one patient's; once the new patient shows, never the previous one's. */
  const check = async (previous: string, next: string, seenNext: { value: boolean }) => {
    const s = await snapshot();
    checks++;
    if (s.header === null) return;
    const shown = demo.patients.find((p) => p.name === s.header)!;
    expect(s.id).toContain(maskIdentifier(shown.idCard));
    for (const resultId of s.cards) expect(owned.get(shown.name)!.has(resultId), `${resultId} under ${shown.name}`).toBe(true);
    if (s.header === next) seenNext.value = true;
    else if (seenNext.value) expect(s.header, `${previous} came back after ${next} was shown`).not.toBe(previous);
  };
  const sequence = Array.from({ length: 24 }, (_, i) => (i * 5 + 1) % demo.patients.length).filter((v, i, a) => i === 0 || v !== a[i - 1]);
  let previous = demo.patients[0]!.name;
  for (const [k, index] of sequence.entries()) {
    const next = demo.patients[index]!.name;
    const seenNext = { value: false };
    await page.evaluate((i) => (window as unknown as { xemr: { open(i: number): void } }).xemr.open(i), index);
    expect(new URL(page.url()).pathname).toBe(`/xemr/visit/${demo.patients[index]!.visitNo}`);
    await check(previous, next, seenNext);
    await page.waitForTimeout(k % 3 === 0 ? 10 : 45);
    await check(previous, next, seenNext);
    if (k % 6 === 5 || k === sequence.length - 1) {
      await frame.waitForFunction((name) => document.querySelector('.hr-patient-name')?.textContent === name, next);
      await check(previous, next, seenNext);
    }
    previous = next;
  }
  // Back through the browser's history: the shell reopens the previous visit without a page load.
  const before = demo.patients[sequence.at(-2)!]!.name;
  await page.goBack();
  await frame.waitForFunction((name) => document.querySelector('.hr-patient-name')?.textContent === name, before);
  await check(previous, before, { value: false });
  expect(checks).toBeGreaterThan(40);
  await page.screenshot({ path: screenshotPath('xemr-after-switches') });
  await page.close();
});

test('an adapter saved while the EMR is open applies to the open tab at once', async () => {
  const { page, frame } = await openShell(1);
  const patient = demo.patients[1]!;
  await frame.getByText(patient.name, { exact: true }).waitFor();
  const bundled = BUNDLED_ADAPTERS.find((a) => a.id === 'demo-xemr')!;
  // The hospital's own copy, which shows the 门诊号 where the name was: saved as the options page does.
  const edited = { ...bundled, id: 'ours-xemr', patient: { ...bundled.patient, name: { ...bundled.patient.name!, label: '门诊号' } } };
  const setAdapters = (adapters: unknown[]) =>
    demo.browser.serviceWorker.evaluate(async (list) => {
      const ext = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, Record<string, unknown>>>; set(v: object): Promise<void> } } } }).chrome;
      const { settings } = await ext.storage.local.get('settings');
      await ext.storage.local.set({ settings: { ...settings, adapters: list } });
    }, adapters);
  await setAdapters([edited]);
  await frame.locator('.hr-patient-name', { hasText: patient.visitNo }).waitFor({ timeout: 5_000 });
  expect(new URL(page.url()).pathname).toBe(`/xemr/visit/${patient.visitNo}`); // no navigation happened
  await setAdapters([]);
  await frame.locator('.hr-patient-name', { hasText: patient.name }).waitFor({ timeout: 5_000 });
  await page.close();
});

function hostWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelector('[data-huren-sidebar]')?.getBoundingClientRect().width ?? 0);
}

test('sidebar layout: push narrows the EMR, narrow mode for 1366×768, collapsed remembered per EMR origin', async () => {
  const setSettings = (values: Record<string, unknown>) =>
    demo.browser.serviceWorker.evaluate(async (v) => {
      const ext = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, Record<string, unknown>>>; set(v: object): Promise<void> } } } }).chrome;
      const { settings } = await ext.storage.local.get('settings');
      await ext.storage.local.set({ settings: { ...settings, ...v } });
    }, values);
  const { page, frame } = await openShell(2);
  await page.setViewportSize({ width: 1366, height: 768 });
  await frame.getByText(demo.patients[2]!.name, { exact: true }).waitFor();
  const mainRight = () => page.evaluate(() => document.querySelector('.x-main')!.getBoundingClientRect().right);
  expect(await hostWidth(page)).toBe(380);
  expect(await mainRight()).toBe(1366); // overlay: the EMR keeps its width under the sidebar

  // Push, narrow: set while the tab is open, applied at once; the EMR lays out beside the sidebar.
  await setSettings({ sidebarMode: 'push', sidebarSize: 'narrow' });
  await page.waitForFunction(() => document.querySelector('[data-huren-sidebar]')?.getBoundingClientRect().width === 300);
  await page.waitForFunction(() => document.querySelector('.x-main')!.getBoundingClientRect().right <= 1366 - 300);
  await frame.waitForFunction(() => !document.body.textContent!.includes('正在查询'));
  await page.screenshot({ path: screenshotPath('xemr-push-narrow-1366') });

  // Folded on this origin: remembered after a reload, while another EMR origin keeps it open.
  await frame.getByRole('button', { name: '收起侧栏' }).click();
  await page.waitForFunction(() => document.querySelector('[data-huren-sidebar]')?.getBoundingClientRect().width === 28);
  expect(await mainRight()).toBe(1366 - 28);
  await page.reload();
  await waitForFrames(page);
  await page.evaluate(() => (window as unknown as { xemr: { open(i: number): void } }).xemr.open(2));
  const again = await sidebarFrame(page, demo.browser.extensionId);
  await page.waitForFunction(() => document.querySelector('[data-huren-sidebar]')?.getBoundingClientRect().width === 28);
  await again.getByRole('button', { name: '展开侧栏' }).waitFor();
  await page.screenshot({ path: screenshotPath('xemr-collapsed-remembered') });

  const other = await demo.browser.context.newPage();
  await other.goto(`${demo.server.url.replace('127.0.0.1', 'localhost')}/emr/?open=0`);
  await sidebarFrame(other, demo.browser.extensionId);
  await other.waitForFunction(() => document.querySelector('[data-huren-sidebar]')?.getBoundingClientRect().width === 300);

  // Opened again by keyboard: Enter on the focused toggle.
  await again.getByRole('button', { name: '展开侧栏' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-huren-sidebar]')?.getBoundingClientRect().width === 300);
  await setSettings({ sidebarMode: 'overlay', sidebarSize: 'normal' });
  await page.waitForFunction(() => document.documentElement.style.marginRight === '');
  await Promise.all([page.close(), other.close()]);
});
