import { expect, test } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import type { EmrPatient } from '../../demo/data/generate.ts';
import { cardId } from '../../shared/decisions/card-id.ts';
import { makeDecision } from '../../shared/decisions/make-decision.ts';
import type { DecisionContext } from '../../shared/domain/decision.ts';
import { maskIdentifier } from '../../shared/ui/panel/patient-key.ts';
import { screenshotPath, sidebarFrame, useExtensionDemo } from './support.ts';

/**
 * Security review, issue 14 (spoofed identity): a page showing patient A with a hidden
 * first-matching element carrying B's 身份证号 made the sidebar show A's name over B's number and
 * results, and a recognition was stored for B. Now the adapter reads what the physician sees, and
 * a page whose patient contradicts its 身份证号 or the platform shows only a wrong-patient warning.
 */
const demo = useExtensionDemo();
const ID_CARD = 'urn:oid:2.16.156.10011.1.3';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const masked = (id: string) => `${id.slice(0, 6)}********${id.slice(-4)}`;
const idSpan = (p: EmrPatient, style = '') => `<span data-field="id-card" data-value="${esc(p.idCard)}"${style ? ` style="${style}"` : ''}>${masked(p.idCard)}</span>`;

/** The demo EMR's banner as one static page on its own origin and path (the demo adapter applies). */
function emrPage(shown: EmrPatient, before: string, idOf: EmrPatient = shown): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>门诊医生工作站</title><link rel="stylesheet" href="/assets/emr.css"></head>
<body>
  <header class="topbar"><div class="brand">湛江市人民医院 · 门诊医生工作站</div><div id="doctor-info" class="doctor">科室：心血管内科　医师：李明　诊室：3诊室</div></header>
  <div class="layout"><main class="workspace">
    <section id="patient-banner" class="banner" aria-label="当前患者">
      ${before}
      <span class="label">姓名</span><span data-field="name">${esc(shown.name)}</span>
      <span class="label">性别</span><span data-field="gender">${shown.gender}</span>
      <span class="label">年龄</span><span data-field="age">${shown.age}</span>
      <span class="label">身份证号</span>${idSpan(idOf)}
    </section>
    <section class="card"><table id="order-list"><tbody></tbody></table></section>
    <section class="card"><textarea id="note" rows="6"></textarea></section>
  </main></div>
</body></html>`;
}

async function openPage(path: string, html: string): Promise<{ page: Page; frame: Frame }> {
  const page = await demo.browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.route(`${demo.server.url}/emr/${path}`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await page.goto(`${demo.server.url}/emr/${path}`);
  return { page, frame: await sidebarFrame(page, demo.browser.extensionId) };
}

/** Ids of every result resource the platform holds for a patient, straight from FHIR. */
async function resultIds(p: EmrPatient): Promise<Set<string>> {
  const found = await (await fetch(`${demo.server.fhirBase}/Patient?identifier=${encodeURIComponent(`${ID_CARD}|${p.idCard}`)}`)).json();
  const id = found.entry[0].resource.id as string;
  const ids = new Set<string>();
  for (const type of ['Observation', 'DiagnosticReport', 'ImagingStudy']) {
    const bundle = await (await fetch(`${demo.server.fhirBase}/${type}?subject=Patient/${id}&_count=1000`)).json();
    for (const e of bundle.entry ?? []) ids.add(`${type}/${e.resource.id}`);
  }
  return ids;
}

/** A and B: patient 0 (with 可互认 cards) and the first patient of the other sex. */
function patients(): { a: EmrPatient; b: EmrPatient } {
  const a = demo.patients[0]!;
  return { a, b: demo.patients.find((p) => p.gender !== a.gender)! };
}

/** Asks the background to store a decision for `patient`, as the sidebar does, from the sidebar itself. */
async function storeFromSidebar(frame: Frame, patient: EmrPatient): Promise<unknown> {
  const about: DecisionContext = {
    hospital: 'zj-rmyy',
    patient: { system: ID_CARD, value: patient.idCard },
    item: { id: 'cbc', name: '血常规', category: 'lab' },
    result: { id: 'DiagnosticReport/forged', date: '2026-11-19' },
    issuer: { id: 'zj-zxyy', name: '湛江中心人民医院' },
    practitioner: { physician: '李明', department: '心血管内科' },
    pack: { id: 'demo', version: '1' },
    trigger: 'patient-view',
  };
  const decision = makeDecision({ kind: 'recognize' }, cardId('demo', 'cbc', 'DiagnosticReport/forged'), about, { uuid: crypto.randomUUID(), now: new Date() });
  return frame.evaluate(
    (d) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ type: 'huren/store/save-decision', decision: d }),
    decision,
  );
}

async function decisionsFromSidebar(frame: Frame, patient: EmrPatient): Promise<unknown> {
  return frame.evaluate(
    (value) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ type: 'huren/store/decisions-for', patient: { system: 'urn:oid:2.16.156.10011.1.3', value } }),
    patient.idCard,
  );
}

test('A’s banner with hidden first elements carrying B’s 身份证号: the sidebar reads A’s visible number and shows only A’s results', async () => {
  const { a, b } = patients();
  const [ownA, ownB] = await Promise.all([resultIds(a), resultIds(b)]);
  // Three ways a page hides an element; each is the first match of the adapter's selector.
  const hidden = [idSpan(b, 'display:none'), idSpan(b, 'position:absolute;left:-9999px'), idSpan(b, 'opacity:0')].join('');
  const { page, frame } = await openPage('spoof-hidden', emrPage(a, hidden));
  await frame.getByText(/可互认（\d+）/).waitFor();
  await frame.getByText(a.name, { exact: true }).waitFor();
  await frame.getByText(maskIdentifier(a.idCard)).waitFor();
  expect(await frame.getByText(maskIdentifier(b.idCard)).count()).toBe(0);
  const cards = await frame.evaluate(() => [...document.querySelectorAll('article')].map((el) => el.getAttribute('data-result')!));
  expect(cards.length).toBeGreaterThan(0);
  for (const id of cards) {
    expect(ownA.has(id), `${id} is A’s`).toBe(true);
    expect(ownB.has(id), `${id} is not B’s`).toBe(false);
  }
  await page.screenshot({ path: screenshotPath('spoof-hidden-first-match') });
  // Nothing can be stored for B from this tab: the page shows A.
  expect(await storeFromSidebar(frame, b)).toEqual({ ok: false, error: 'wrong-patient' });
  expect(await decisionsFromSidebar(frame, b)).toEqual({ ok: true, value: [] });
  await page.close();
});

test('A’s name, sex and age over B’s 身份证号: only the wrong-patient warning, no card of B’s, and no decision for B can be stored', async () => {
  const { a, b } = patients();
  const { page, frame } = await openPage('spoof-visible', emrPage(a, '', b));
  const alert = frame.getByRole('alert').filter({ hasText: '患者身份不一致' });
  await alert.waitFor();
  expect(await alert.textContent()).toMatch(/不一致：.*性别/);
  await frame.getByText(a.name, { exact: true }).waitFor();
  // Give the platform time to answer: still nothing of B's shows.
  await page.waitForTimeout(1_500);
  expect(await frame.getByRole('article').count()).toBe(0);
  expect(await frame.getByText(/可互认（\d+）/).count()).toBe(0);
  expect(await frame.getByText(/外院结果 \d+ 项/).count()).toBe(0);
  expect(await frame.getByRole('button', { name: '互认' }).count()).toBe(0);
  await page.screenshot({ path: screenshotPath('spoof-wrong-patient-warning') });
  // The decision boundary in the background refuses B's decision even from Huren's own sidebar.
  expect(await storeFromSidebar(frame, b)).toEqual({ ok: false, error: 'wrong-patient' });
  expect(await decisionsFromSidebar(frame, b)).toEqual({ ok: true, value: [] });
  await page.close();
});
