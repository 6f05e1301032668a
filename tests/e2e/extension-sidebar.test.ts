import { expect, test } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { maskIdentifier } from '../../shared/ui/panel/patient-key.ts';
import { screenshotPath, sidebarFrame, useExtensionDemo } from './support.ts';

const demo = useExtensionDemo();

async function openEmr(index: number): Promise<{ page: Page; frame: Frame }> {
  const page = await demo.browser.context.newPage();
  await page.goto(`${demo.server.url}/emr/?open=${index}`);
  return { page, frame: await sidebarFrame(page, demo.browser.extensionId) };
}

const card = (frame: Frame, name: RegExp) => frame.getByRole('article', { name });

test('patient opens → the sidebar shows the patient read from the page and the 可互认 cards; the 血常规 order is a duplicate', async () => {
  const { page, frame } = await openEmr(0);
  const patient = demo.patients[0]!;
  await frame.getByText(patient.name, { exact: true }).waitFor();
  await frame.getByText(maskIdentifier(patient.idCard)).waitFor();
  await frame.getByText(/可互认（\d+）/).waitFor();
  // Patient 0 is ordering 血常规 with a 3-day-old 血常规 from 湛江中心人民医院: the top card says so.
  const top = frame.getByRole('article').first();
  await top.getByText('重复开单：血常规').waitFor();
  expect(await top.textContent()).toContain('湛江中心人民医院');
  await card(frame, /胸部CT/).waitFor();
  await page.screenshot({ path: screenshotPath('emr-sidebar-cards') });
  await frame.getByText(/其他外院结果/).click();
  await frame.getByText('出具机构未通过该项目质控').first().waitFor();
  await frame.getByText('不在互认项目清单').first().waitFor();
  await page.screenshot({ path: screenshotPath('emr-sidebar-others') });

  // The physician orders 胸部CT in the EMR: the sidebar follows the page and flags the duplicate.
  expect(await frame.getByText('重复开单：胸部CT').count()).toBe(0);
  await page.locator('#order-item').selectOption('CT-CHEST');
  await page.getByRole('button', { name: '开立' }).click();
  const ct = card(frame, /胸部CT/);
  await ct.getByText('重复开单：胸部CT').waitFor();
  await page.screenshot({ path: screenshotPath('emr-duplicate-order-added') });
  await page.close();
});

test('recognize → the citation goes into the EMR note on 插入病历; re-test with a reason → stored; no second prompt after reload', async () => {
  const { page, frame } = await openEmr(0);
  const cbc = card(frame, /血细胞分析/).first();
  await cbc.getByRole('button', { name: '互认' }).click();
  await cbc.getByText('已互认').waitFor();
  await cbc.getByRole('button', { name: '插入病历' }).click();
  await cbc.getByText('已插入病历').waitFor();
  const note = await page.locator('#note').inputValue();
  expect(note).toContain('【外院结果互认】');
  expect(note).toContain('机构名称：湛江中心人民医院');
  await page.screenshot({ path: screenshotPath('emr-recognized-citation') });

  const ct = card(frame, /胸部CT/);
  await ct.getByRole('button', { name: '复查' }).click();
  await ct.getByRole('radio', { name: /因疾病转归需连续对比观察的/ }).check();
  await page.screenshot({ path: screenshotPath('emr-retest-reasons') });
  await ct.getByRole('button', { name: '保存' }).click();
  await ct.getByText(/已决定复查：因疾病转归需连续对比观察的/).waitFor();
  await page.screenshot({ path: screenshotPath('emr-retest-decided') });

  await page.reload();
  const again = await sidebarFrame(page, demo.browser.extensionId);
  await card(again, /血细胞分析/).first().getByText('已互认').waitFor();
  await card(again, /胸部CT/).getByText(/已决定复查/).waitFor();
  expect(await again.getByRole('button', { name: '互认' }).count()).toBeGreaterThan(0); // other cards still prompt
  expect(await card(again, /血细胞分析/).first().getByRole('button', { name: '互认' }).count()).toBe(0);
  await page.close();
});

/** Ids of every result resource the platform holds for each patient, straight from FHIR. */
async function resultIdsByPatient(): Promise<Map<string, Set<string>>> {
  const map = new Map<string, Set<string>>();
  for (const p of demo.patients) {
    const found = await (await fetch(`${demo.server.fhirBase}/Patient?identifier=${encodeURIComponent(`urn:oid:2.16.156.10011.1.3|${p.idCard}`)}`)).json();
    const id = found.entry[0].resource.id as string;
    const ids = new Set<string>();
    for (const type of ['Observation', 'DiagnosticReport', 'ImagingStudy']) {
      const bundle = await (await fetch(`${demo.server.fhirBase}/${type}?subject=Patient/${id}&_count=1000`)).json();
      for (const e of bundle.entry ?? []) ids.add(`${type}/${e.resource.id}`);
    }
    map.set(p.name, ids);
  }
  return map;
}

test('50 rapid patient switches: never a card of another patient under the header', async () => {
  const owned = await resultIdsByPatient();
  const { page, frame } = await openEmr(0);
  await frame.getByText(/可互认（\d+）/).waitFor();
  const sequence = Array.from({ length: 50 }, (_, i) => (i * 7 + 3) % demo.patients.length);
  const checkConsistent = async () => {
    const snapshot = await frame.evaluate(() => ({
      header: document.querySelector('.hr-patient-name')?.textContent ?? null,
      id: document.querySelector('.hr-patient-id')?.textContent ?? null,
      cards: [...document.querySelectorAll('article')].map((a) => a.getAttribute('data-result')!),
    }));
    if (snapshot.header === null) return;
    const shown = demo.patients.find((p) => p.name === snapshot.header)!;
    expect(snapshot.id).toContain(maskIdentifier(shown.idCard));
    for (const resultId of snapshot.cards) expect(owned.get(shown.name)!.has(resultId), `${resultId} under ${shown.name}`).toBe(true);
  };
  for (const [k, index] of sequence.entries()) {
    await page.evaluate((i) => (window as unknown as { demoEmr: { open(i: number): void } }).demoEmr.open(i), index);
    // Faster than the platform answers: sample at once and shortly after; every tenth switch,
    // let it settle. Whatever the sidebar shows, header and cards must be the same patient's.
    await checkConsistent();
    await page.waitForTimeout(k % 3 === 0 ? 0 : 40);
    await checkConsistent();
    if (k % 10 === 9 || k === sequence.length - 1) {
      await frame.waitForFunction((name) => document.querySelector('.hr-patient-name')?.textContent === name, demo.patients[index]!.name);
      await frame.waitForFunction(() => !!document.querySelector('.hr-results'));
      await checkConsistent();
    }
  }
  await page.screenshot({ path: screenshotPath('emr-after-50-switches') });
  await page.close();
});
