import { readFile } from 'node:fs/promises';
import type { Frame, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { cardId } from '../../shared/decisions/card-id.ts';
import { makeDecision } from '../../shared/decisions/make-decision.ts';
import type { AuditEvent } from '../../shared/audit/event.ts';
import type { Decision } from '../../shared/domain/decision.ts';
import { loadBundledPacks } from '../../shared/rules/index.ts';
import { screenshotPath, sidebarFrame, useExtensionDemo } from './support.ts';

const demo = useExtensionDemo();

const card = (frame: Frame, item: string) => frame.locator('.hr-card').filter({ has: frame.locator('.hr-card-title', { hasText: item }) });

async function openPatient(i: number): Promise<{ page: Page; frame: Frame }> {
  const page = await demo.browser.context.newPage();
  await page.goto(`${demo.server.url}/emr/?open=${i}`);
  const frame = await sidebarFrame(page, demo.browser.extensionId);
  await frame.getByText(demo.patients[i]!.name, { exact: true }).waitFor();
  await frame.getByText(/^可互认（\d+）$/).waitFor({ timeout: 20_000 });
  return { page, frame };
}

/** What the sidebar's audit log records when a physician views, is prompted and opens (shared/audit). */
function auditEvents(now: number): AuditEvent[] {
  const actor = { physician: '李明', department: '心血管内科' };
  const at = (i: number) => new Date(now - (i + 1) * 3_000).toISOString();
  const patient = (i: number) => ({ system: 'urn:oid:2.16.156.10011.1.4', value: demo.patients[i]!.idCard });
  const item = { id: 'cbc', name: '血细胞分析', category: 'lab' as const };
  return [
    ...[0, 1, 7].map((p, i): AuditEvent => ({ kind: 'viewed', at: at(i), actor, patient: patient(p), resultCount: 20 })),
    ...[0, 1, 2, 3, 4].map((i): AuditEvent => ({ kind: 'prompted', at: at(3 + i), actor, patient: patient(0), card: cardId('demo', `item-${i}`, 'r'), item, trigger: i === 0 ? 'order-select' : 'patient-view' })),
    { kind: 'opened', at: at(9), actor, patient: patient(7), target: 'trend', item },
    { kind: 'opened', at: at(10), actor, patient: patient(0), target: 'images' },
  ];
}

/**
 * Decisions of four departments, as physicians' sidebars store them (the sidebar frame cannot
 * open IndexedDB in this headless Chromium: see the report), so the page has something to compare: written into the extension's IndexedDB from the stats page
 * (extension origin) in the DecisionRow shape of shared/storage/db.ts.
 */
function otherDepartments(now: number): Decision[] {
  const demo = loadBundledPacks().demo;
  const reasons = demo.retestReasons;
  const plan: [string, string, number, number][] = [
    // department, physician, recognized, re-tested
    ['心血管内科', '李明', 1, 1],
    ['呼吸内科', '王芳', 6, 1],
    ['消化内科', '陈刚', 2, 6],
    ['内分泌科', '刘洋', 5, 2],
  ];
  const items = [
    { id: 'cbc', name: '血细胞分析', price: 20 },
    { id: 'lft', name: '肝功能', price: 60 },
  ];
  const out: Decision[] = [];
  let k = 0;
  for (const [department, physician, rec, ret] of plan) {
    for (let j = 0; j < rec + ret; j++, k++) {
      const item = items[k % items.length]!;
      const recognize = j < rec;
      const result = `Observation/seeded-${k}`;
      out.push(
        makeDecision(
          recognize ? { kind: 'recognize' } : { kind: 'retest', reason: reasons[k % 3 === 0 ? 0 : k % 3 === 1 ? 1 : 4]! },
          cardId('demo', item.id, result),
          {
            patient: { system: 'urn:oid:2.16.156.10011.1.4', value: `44080219900101${String(k).padStart(4, '0')}` },
            item: { id: item.id, name: item.name, category: 'lab' },
            result: { id: result, date: '2026-11-18' },
            issuer: { id: 'zj-zxyy', name: '湛江中心人民医院' },
            practitioner: { physician, department },
            pack: { id: 'demo', version: demo.meta.version },
            trigger: 'patient-view',
            ...(recognize ? { savedPrice: item.price } : {}),
          },
          { uuid: crypto.randomUUID(), now: new Date(now - (k + 1) * 5_000) },
        ),
      );
    }
  }
  return out;
}

test('the trend from a lab card in the sidebar, and the statistics page over stored decisions and audit, with CSV export', async () => {
  // Patient 7 has 血常规 every other day from several institutions: the trend of 白细胞计数.
  const seven = await openPatient(7);
  const lab = card(seven.frame, '血细胞分析');
  await lab.getByRole('button', { name: '趋势' }).click();
  const dialog = seven.frame.getByRole('dialog');
  await dialog.waitFor();
  const chart = dialog.getByRole('img').first();
  const label = (await chart.getAttribute('aria-label'))!;
  expect(label).toMatch(/趋势图：\d+ 个结果，来自 [2-9] 家机构/);
  expect(Number(label.match(/(\d+) 个结果/)![1])).toBeGreaterThanOrEqual(10);
  expect(await dialog.locator('[data-testid="trend-range"]').count()).toBeGreaterThanOrEqual(10);
  expect(await dialog.getByRole('row').count()).toBeGreaterThan(10);
  await seven.page.screenshot({ path: screenshotPath('trend-sidebar') });
  await seven.page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await seven.page.close();

  // The statistics page reads the extension's database.
  const stats = await demo.browser.context.newPage();
  await stats.setViewportSize({ width: 1280, height: 900 });
  await stats.goto(`chrome-extension://${demo.browser.extensionId}/stats.html`);
  await stats.getByRole('heading', { name: '互认统计' }).waitFor();
  const kpi = (label: string) => stats.locator(`[data-kpi="${label}"] .hr-kpi-value`);
  const seeded = otherDepartments(Date.now());
  await stats.evaluate(async ({ decisions, events }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('huren');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = db.transaction('decisions', 'readwrite');
    for (const d of decisions) {
      tx.objectStore('decisions').add({ uuid: d.uuid, card: d.card, patientKey: `seeded-${d.uuid}`, decidedAt: Date.parse(d.outcomeTimestamp), decision: d, state: 'sent', attempts: 1, nextAttemptAt: 0, sentAt: Date.now() });
    }
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    const audit = db.transaction('audit', 'readwrite');
    for (const e of events) audit.objectStore('audit').add({ id: crypto.randomUUID(), at: Date.parse(e.at), kind: e.kind, event: e });
    await new Promise((resolve, reject) => {
      audit.oncomplete = resolve;
      audit.onerror = () => reject(audit.error);
    });
    db.close();
  }, { decisions: seeded, events: auditEvents(Date.now()) });
  await stats.reload();
  await expect.poll(() => kpi('互认').textContent()).toBe('14');
  expect(await kpi('复查').textContent()).toBe('10');
  // 互认率 counts per report shown (shared/stats/definitions.ts): the 24 decided reports, and the
  // ones the sidebar offered for patient 7 above, undecided (its prompted events name their results).
  const offered = await stats.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('huren');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const rows = await new Promise<{ event: { kind: string; patient: { value: string }; result?: { id: string } } }[]>((resolve) => {
      const r = db.transaction('audit').objectStore('audit').getAll();
      r.onsuccess = () => resolve(r.result);
    });
    db.close();
    return new Set(rows.filter((r) => r.event.kind === 'prompted' && r.event.result).map((r) => `${r.event.patient.value}|${r.event.result!.id}`)).size;
  });
  expect(offered).toBeGreaterThan(0);
  const overall = 14 / (24 + offered);
  // Shown to one decimal, trailing zero dropped (56% for 14/25, 53.8% for 14/26), as charts.tsx `percent` writes it.
  expect(await kpi('互认率').textContent()).toBe(`${Math.round(overall * 1000) / 10}%`);
  expect(Number(await kpi('可互认提示').textContent())).toBeGreaterThanOrEqual(5);
  expect(Number(await kpi('调阅外院结果').textContent())).toBeGreaterThanOrEqual(3);
  expect(await kpi('节省费用').textContent()).toBe(`¥${seeded.reduce((a, d) => a + (d.extension['cn.huren.decision'].savedPrice ?? 0), 0)}`);
  // 消化内科: 2 of 8 = 25 %, against the overall rate.
  const gi = stats.getByRole('region', { name: '按科室' }).getByRole('row', { name: /消化内科/ });
  expect(await gi.textContent()).toContain(`偏离：低于平均 ${Math.round((overall - 0.25) * 1000) / 10} 个百分点`);
  await stats.getByText(/偏离标记规则/).waitFor();
  await stats.screenshot({ path: screenshotPath('stats-page'), fullPage: true });

  const [download] = await Promise.all([stats.waitForEvent('download'), stats.getByRole('button', { name: '决定记录 CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^huren-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}-decisions\.csv$/);
  const bytes = await readFile((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8');
  expect(text).toContain('决定时间,决定,项目');
  expect(text).toContain('肝功能');
  expect(text.split('\r\n').length).toBe(1 + seeded.length + 1);

  const [audit] = await Promise.all([stats.waitForEvent('download'), stats.getByRole('button', { name: '审计记录 CSV' }).click()]);
  const auditText = (await readFile((await audit.path())!)).toString('utf8');
  expect(auditText.charCodeAt(0)).toBe(0xfeff);
  expect(auditText).toContain(demo.patients[0]!.idCard);
  expect(auditText).toContain('打开,心血管内科,李明');
});
