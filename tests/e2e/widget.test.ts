import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM } from '../../demo/browser.ts';
import type { EmrPatient } from '../../demo/data/generate.ts';
import type { DemoProcess } from '../../demo/server/spawn.ts';
import { screenshotPath, startDemo } from './support.ts';
import { readPanel, recordedPanelStates, recordPanelStates, type PanelSnapshot } from './widget-support.ts';
import { mulberry32 } from '../../demo/data/random.ts';

let server: DemoProcess;
let browser: Browser;
let patients: EmrPatient[];

beforeAll(async () => {
  ({ server, patients } = await startDemo());
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh browser context (its own IndexedDB) with the in-house EMR page. */
async function inhousePage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

const card = (page: Page, item: string) => page.locator('huren-panel .hr-card').filter({ has: page.locator('.hr-card-title', { hasText: item }) });

test('the in-house EMR mounts the widget and it shows the selected patient’s prior results', async () => {
  const { page, errors } = await inhousePage();
  await page.goto(`${server.url}/inhouse/`);
  const panel = page.locator('huren-panel');
  await panel.getByText('未打开患者').waitFor();
  expect(await panel.getAttribute('data-mounted')).toBe('true');

  await page.getByRole('button', { name: new RegExp(`^${patients[0]!.name}`) }).click();
  await panel.getByText(patients[0]!.name, { exact: true }).waitFor();
  await panel.getByText(/外院结果 \d+ 项/).waitFor();
  await page.screenshot({ path: screenshotPath('widget-patient-open') });
  expect(await panel.locator('.hr-card').count()).toBeGreaterThan(0);
  // 插入病历 is offered because the host passed onInsertNote.
  expect(errors).toEqual([]);
  await page.close();
});

test('duplicate order → recognize (host gets the decision and the citation) → re-test with a reason → no second prompt after reload', async () => {
  const { page, errors } = await inhousePage();
  await page.goto(`${server.url}/inhouse/?open=0`);
  const zhang = patients[0]!;
  await page.locator('huren-panel .hr-patient-name', { hasText: zhang.name }).waitFor();
  await card(page, '肝功能').waitFor();
  expect(await card(page, '肝功能').locator('.hr-badge').count()).toBe(0);

  // The physician orders 肝功能, which 麻章区人民医院 did 5 days ago: the card turns into a duplicate-order prompt.
  await page.locator('#order-item').selectOption({ label: '肝功能' });
  await page.getByRole('button', { name: '开立' }).click();
  const lft = card(page, '肝功能');
  await lft.locator('.hr-badge', { hasText: '重复开单：肝功能' }).waitFor();
  await page.screenshot({ path: screenshotPath('widget-duplicate-order') });

  await lft.getByRole('button', { name: '互认', exact: true }).click();
  await lft.getByText('已互认').waitFor();
  // The host received the decision (a CDS Hooks feedback entry) and filed it.
  const filed = page.locator('#decisions li[data-outcome="accepted"]');
  await filed.waitFor();
  expect(await filed.textContent()).toContain(`${zhang.name}　肝功能　互认`);
  // The citation goes into the host's note only on the physician's click.
  expect(await page.locator('#note').inputValue()).toBe('');
  await lft.getByRole('button', { name: '插入病历' }).click();
  await lft.getByText('已插入病历').waitFor();
  const citation = (await lft.locator('.hr-citation-text').textContent())!;
  expect(citation).toContain('肝功能');
  expect(await page.locator('#note').inputValue()).toBe(citation);
  await page.screenshot({ path: screenshotPath('widget-recognized-inserted') });

  // Re-test 胸部CT with a reason from the pack.
  const ct = card(page, '胸部CT');
  await ct.getByRole('button', { name: '复查' }).click();
  await ct.getByText('检查检验结果在疾病发展演变过程中变化较快的').click();
  await page.screenshot({ path: screenshotPath('widget-retest-reason') });
  await ct.getByRole('button', { name: '保存' }).click();
  await ct.getByText('已决定复查：检查检验结果在疾病发展演变过程中变化较快的').waitFor();
  await page.locator('#decisions li[data-outcome="overridden"]').waitFor();
  expect(await page.locator('#decisions li[data-outcome="overridden"]').textContent()).toContain('胸部CT　复查（检查检验结果在疾病发展演变过程中变化较快的）');
  await page.screenshot({ path: screenshotPath('widget-retest-saved') });

  // After a reload (decisions are in this origin's IndexedDB 'huren-widget'), ordering 肝功能 again prompts nothing.
  await page.reload();
  await page.locator('huren-panel .hr-patient-name', { hasText: zhang.name }).waitFor();
  await page.locator('#order-item').selectOption({ label: '肝功能' });
  await page.getByRole('button', { name: '开立' }).click();
  await card(page, '肝功能').locator('.hr-badge', { hasText: '重复开单：肝功能' }).waitFor();
  await card(page, '肝功能').getByText('已互认').waitFor();
  await card(page, '胸部CT').getByText('已决定复查').waitFor();
  for (const item of ['肝功能', '胸部CT']) {
    expect(await card(page, item).getByRole('button', { name: '互认', exact: true }).count(), item).toBe(0);
    expect(await card(page, item).getByRole('button', { name: '复查', exact: true }).count(), item).toBe(0);
  }
  expect(await page.locator('#decisions li').count()).toBe(0);
  await page.screenshot({ path: screenshotPath('widget-after-reload') });
  expect(errors).toEqual([]);
  await page.close();
});

test('the copy-paste example of docs/widget.md works against the demo', async () => {
  const doc = await readFile(new URL('../../docs/widget.md', import.meta.url), 'utf8');
  const example = [...doc.matchAll(/```html\n([\s\S]*?)```/g)].map((m) => m[1]!).find((html) => html.includes('panel.options'))!;
  expect(example).toBeDefined();
  const { page, errors } = await inhousePage();
  await page.route(`${server.url}/assets/example.html`, (route) => route.fulfill({ contentType: 'text/html', body: example }));
  await page.goto(`${server.url}/assets/example.html`);
  const lft = card(page, '肝功能');
  await lft.locator('.hr-badge', { hasText: '重复开单：肝功能' }).waitFor();
  await lft.getByRole('button', { name: '互认', exact: true }).click();
  await lft.getByRole('button', { name: '插入病历' }).click();
  await lft.getByText('已插入病历').waitFor();
  expect(await page.locator('#note').inputValue()).toBe(await lft.locator('.hr-citation-text').textContent());
  // The example's own `decisions` list got the decision.
  expect(await page.evaluate('decisions.map((d) => d.outcome + " " + d.extension["cn.huren.decision"].item.name)')).toEqual(['accepted 肝功能']);
  expect(errors).toEqual([]);
  await page.close();
});

describe('50 rapid patient switches', () => {
  /** Each patient's panel, as shown on a page where no other patient was ever opened. */
  const expected = new Map<string, PanelSnapshot>();

  beforeAll(async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    for (const [i, p] of patients.entries()) {
      await page.goto(`${server.url}/inhouse/?open=${i}`);
      await page.locator('huren-panel .hr-freshness').waitFor({ timeout: 30_000 });
      const shown = await readPanel(page);
      expect(shown.name).toBe(p.name);
      expected.set(p.name, shown);
    }
    await page.close();
  }, 240_000);

  test('never show a card of another patient', async () => {
    const { page, errors } = await inhousePage();
    await page.goto(`${server.url}/inhouse/`);
    await page.locator('huren-panel').getByText('未打开患者').waitFor();
    await recordPanelStates(page);

    let withCards = 0;
    const belongs = (s: PanelSnapshot, where: string) => {
      if (s.name === null) return;
      if (s.cards.length > 0) withCards++;
      const mine = expected.get(s.name);
      expect(mine, `${where}: unknown patient ${s.name}`).toBeDefined();
      for (const c of s.cards) expect(mine!.cards, `${where}: a card under ${s.name}`).toContain(c);
      for (const o of s.others) expect(mine!.others, `${where}: another result under ${s.name}`).toContain(o);
    };

    // The oracle itself tells patients apart: another patient's cards under a name fail it.
    const [a, b] = [expected.get(patients[0]!.name)!, expected.get(patients[1]!.name)!];
    expect(() => belongs({ name: a.name, cards: b.cards, others: [] }, 'self-check')).toThrow();
    withCards = 0;

    // A deterministic order that visits every patient at least twice (mulberry32 shuffles), and
    // pauses mostly shorter than the platform's answer, sometimes long enough to render cards.
    const random = mulberry32(20261122);
    const next = (n: number) => Math.floor(random() * n);
    const shuffled = () => patients.map((p) => [random(), p] as const).sort((a, b) => a[0] - b[0]).map(([, p]) => p);
    const order = [...shuffled(), ...shuffled(), ...shuffled()].slice(0, 50);
    expect(new Set(order.map((p) => p.name)).size).toBe(patients.length);
    const buttons = page.locator('#queue button');
    for (const [k, p] of order.entries()) {
      await buttons.filter({ hasText: new RegExp(`^${p.name}　`) }).click();
      await page.waitForFunction((name) => document.querySelector('#huren')!.shadowRoot!.querySelector('.hr-patient-name')?.textContent === name, p.name);
      const now = await readPanel(page);
      expect(now.name).toBe(p.name);
      belongs(now, `switch ${k + 1}`);
      for (const state of await recordedPanelStates(page)) belongs(state, `switch ${k + 1}, a rendered state`);
      await page.waitForTimeout([0, 0, 20, 60, 150, 400][next(6)]!);
    }
    await page.locator('huren-panel .hr-freshness').waitFor();
    const last = await readPanel(page);
    const want = expected.get(last.name!)!;
    expect(last.cards.toSorted()).toEqual(want.cards.toSorted());
    expect(last.others.toSorted()).toEqual(want.others.toSorted());
    for (const state of await recordedPanelStates(page)) belongs(state, 'after the last switch');
    // The switches did render cards, so the checks above checked something.
    expect(withCards).toBeGreaterThan(10);
    await page.screenshot({ path: screenshotPath('widget-after-50-switches') });
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});

test('huren-widget.js carries no rule pack JSON, no statistics view, no iframe host and no Dexie (source map)', async () => {
  for (const file of ['huren-widget.js', 'huren-widget.mjs']) {
    const map = JSON.parse(await readFile(new URL(`../../dist/widget/${file}.map`, import.meta.url), 'utf8')) as { sources: string[] };
    expect(map.sources.length, file).toBeGreaterThan(50);
    expect(map.sources.filter((s) => /rules\/packs\/|rules\/bundled|\.json$|shared\/(ui\/)?stats\/|widget\/stats|frame\/frame-host|node_modules\/dexie\//.test(s)), file).toEqual([]);
  }
  // The demo serves the packs the widget fetches.
  const pack = await fetch(`${server.url}/packs/demo.json`);
  expect(pack.status).toBe(200);
  expect(((await pack.json()) as { meta: { id: string } }).meta.id).toBe('demo');
  expect((await fetch(`${server.url}/packs/..%2Fpacks%2Fdemo.json`)).status).toBe(404);
});
