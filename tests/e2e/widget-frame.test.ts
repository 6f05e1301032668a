import { afterAll, beforeAll, expect, test } from 'vitest';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { CHROMIUM } from '../../demo/browser.ts';
import type { EmrPatient } from '../../demo/data/generate.ts';
import type { DemoProcess } from '../../demo/server/spawn.ts';
import { Decision } from '../../shared/domain/decision.ts';
import { screenshotPath, startDemo } from './support.ts';
import { readPanel } from './widget-support.ts';

/**
 * The iframe mode: the in-house EMR on http://emr.demo.localhost:<port>/inhouse-frame/, the Huren
 * frame on http://huren.demo.localhost:<port>/huren-frame/ (two origins of one site, one demo
 * server), talking postMessage.
 */
let server: DemoProcess;
let browser: Browser;
let patients: EmrPatient[];
let frameOrigin: string;
let emrOrigin: string;

beforeAll(async () => {
  ({ server, patients } = await startDemo());
  const port = new URL(server.url).port;
  emrOrigin = `http://emr.demo.localhost:${port}`;
  frameOrigin = `http://huren.demo.localhost:${port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function hostPage(): Promise<{ page: Page; errors: string[]; urls: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const errors: string[] = [];
  const urls: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => urls.push(r.url()));
  return { page, errors, urls };
}

async function hurenFrame(page: Page): Promise<Frame> {
  for (let i = 0; i < 200; i++) {
    const frame = page.frames().find((f) => f.url() === `${frameOrigin}/huren-frame/`);
    if (frame) return frame;
    await page.waitForTimeout(50);
  }
  throw new Error('the Huren frame did not load');
}

const card = (frame: Frame, item: string) => frame.locator('.hr-card').filter({ has: frame.locator('.hr-card-title', { hasText: item }) });

test('the EMR drives the Huren frame: patient → cards, duplicate order → recognize → the host files the decision and inserts the citation', async () => {
  const { page, errors, urls } = await hostPage();
  const zhang = patients[0]!;
  await page.goto(`${emrOrigin}/inhouse-frame/?open=0`);
  const frame = await hurenFrame(page);
  await frame.locator('.hr-patient-name', { hasText: zhang.name }).waitFor();
  await card(frame, '肝功能').waitFor();
  await page.screenshot({ path: screenshotPath('widget-frame-patient-open') });

  await page.locator('#order-item').selectOption({ label: '肝功能' });
  await page.getByRole('button', { name: '开立' }).click();
  const lft = card(frame, '肝功能');
  await lft.locator('.hr-badge', { hasText: '重复开单：肝功能' }).waitFor();
  // Into the middle of the screen: a button on the last pixels of the viewport shares them with the EMR column's scrollbar.
  await lft.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  // As a physician would: the card has stood still on screen a moment before the click. A click
  // within 400 ms of a card turning visible again is refused as possible clickjacking (visibility.ts).
  await page.waitForTimeout(1000);
  await lft.getByRole('button', { name: '互认', exact: true }).click();
  await lft.getByText('已互认').waitFor();
  await page.locator('#decisions li[data-outcome="accepted"]', { hasText: `${zhang.name}　肝功能　互认` }).waitFor();
  await lft.getByRole('button', { name: '插入病历' }).click();
  await lft.getByText('已插入病历').waitFor();
  expect(await page.locator('#note').inputValue()).toBe(await lft.locator('.hr-citation-text').textContent());
  await page.screenshot({ path: screenshotPath('widget-frame-recognized') });

  // No identifier in any URL the host page loaded or framed; the panel's storage is Huren's origin, not the EMR's.
  const hostOrFrame = urls.filter((u) => !u.includes('/fhir/R4/'));
  expect(hostOrFrame.some((u) => u.includes(zhang.idCard))).toBe(false);
  expect(await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).not.toContain('huren-widget');
  expect(await frame.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toContain('huren-widget');
  expect(errors).toEqual([]);
  await page.close();
});

/** A protocol-valid decision, so that only the sender can be why it is refused. */
function forgedDecision() {
  const d = {
    uuid: crypto.randomUUID(),
    card: crypto.randomUUID(),
    outcome: 'accepted',
    acceptedSuggestions: [{ id: 'recognize' }],
    outcomeTimestamp: new Date().toISOString(),
    extension: {
      'cn.huren.decision': {
        patient: { value: 'FORGED-PATIENT' },
        item: { id: null, name: '伪造项目', category: 'lab' },
        result: { id: 'Observation/forged', date: null },
        issuer: { id: null, name: null },
        practitioner: {},
        pack: { id: 'demo', version: '1' },
        trigger: 'patient-view',
      },
    },
  };
  expect(Decision.safeParse(d).success).toBe(true);
  return d;
}

test('messages from a wrong origin or a wrong window are ignored on both sides', async () => {
  const { page, errors, urls } = await hostPage();
  const zhang = patients[0]!;
  const config = { fhirBaseUrl: `${frameOrigin}/fhir/R4`, receivingInstitution: 'zj-rmyy', packs: [`${frameOrigin}/packs/demo.json`] };
  const evilContext = { huren: 1, type: 'context', context: { patient: { identifier: { value: 'EVIL-ID-0001' }, name: '恶意患者' } }, config, canInsertNote: true };
  const decision = forgedDecision();
  const toHost = [
    { huren: 1, type: 'decision', decision },
    { huren: 1, type: 'insertNote', id: 1, text: '伪造的病历内容' },
    { huren: 1, type: 'resize', height: 5 },
  ];
  // An attacker's page on another origin, framed into the EMR (say, by an ad or a compromised widget):
  // it posts a patient to the Huren frame and forged messages to the EMR.
  const attack = (messages: unknown[]) => `<!doctype html><script>
    const huren = parent.frames[0];
    huren.postMessage(${JSON.stringify(evilContext)}, '*');
    for (const m of ${JSON.stringify(messages)}) parent.postMessage(m, '*');
    document.title = 'sent';
  </script>`;
  await page.route('http://evil.test/**', (route) => route.fulfill({ contentType: 'text/html', body: attack(toHost) }));
  // A page on the frame's own origin that is not the Huren frame: right origin, wrong window.
  await page.route(`${frameOrigin}/not-the-huren-frame.html`, (route) => route.fulfill({ contentType: 'text/html', body: attack(toHost) }));

  await page.goto(`${emrOrigin}/inhouse-frame/?open=0`);
  const frame = await hurenFrame(page);
  await frame.locator('.hr-patient-name', { hasText: zhang.name }).waitFor();
  await frame.locator('.hr-freshness').waitFor();
  const before = await readPanel(frame);
  const note = '本院病程记录';
  await page.locator('#note').fill(note);
  const height = await page.locator('#huren iframe').evaluate((f) => (f as HTMLIFrameElement).style.height);

  await page.evaluate(
    ([evil, sameOriginAsFrame, context]) => {
      for (const src of [evil, sameOriginAsFrame]) {
        const f = document.createElement('iframe');
        f.src = src!;
        document.body.append(f);
      }
      // Same origin as the EMR (an allowed origin) but not the Huren frame's parent window.
      const sibling = document.createElement('iframe');
      sibling.srcdoc = `<script>parent.frames[0].postMessage(${JSON.stringify(context)}, '*'); document.title = 'sent';</script>`;
      document.body.append(sibling);
    },
    ['http://evil.test/attack.html', `${frameOrigin}/not-the-huren-frame.html`, evilContext] as const,
  );
  await page.waitForTimeout(1500);
  // All three attackers did post (their script ran to the end).
  const attackers = page.frames().filter((f) => f !== frame && f !== page.mainFrame());
  expect(attackers).toHaveLength(3);
  for (const f of attackers) expect(await f.title(), f.url()).toBe('sent');

  // The frame still shows the EMR's patient and asked the platform about no one else.
  expect(await readPanel(frame)).toEqual(before);
  expect(urls.some((u) => u.includes('EVIL-ID'))).toBe(false);
  // The EMR filed no forged decision, inserted nothing, did not resize.
  expect(await page.locator('#decisions li').count()).toBe(0);
  expect(await page.locator('#note').inputValue()).toBe(note);
  expect(await page.locator('#huren iframe').evaluate((f) => (f as HTMLIFrameElement).style.height)).toBe(height);
  await page.screenshot({ path: screenshotPath('widget-frame-wrong-origin-ignored') });
  expect(errors).toEqual([]);
  await page.close();
});

test('a page on another origin cannot frame Huren: no message reaches it, nothing renders', async () => {
  const page = await browser.newPage();
  const frameUrl = `${frameOrigin}/huren-frame/`;
  await page.route('http://evil.test/**', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><iframe src="${frameUrl}"></iframe><script>
        window.got = [];
        addEventListener('message', (e) => got.push(e.data));
        document.querySelector('iframe').addEventListener('load', () => frames[0].postMessage({ huren: 1, type: 'context', context: null, config: { fhirBaseUrl: '${frameOrigin}/fhir/R4', receivingInstitution: 'zj-rmyy' } }, '*'));
      </script>`,
    }),
  );
  await page.goto('http://evil.test/');
  await page.waitForTimeout(1500);
  expect(await page.evaluate(() => (window as unknown as { got: unknown[] }).got)).toEqual([]);
  // frame-ancestors keeps the frame page from loading at all under this origin.
  const huren = page.frames().find((f) => f.url() === frameUrl);
  if (huren) expect(await huren.evaluate(() => document.querySelector('#huren')?.shadowRoot?.textContent ?? '')).toBe('');
  await page.close();
});

test('clickjacking: a click through a transparent or covered Huren frame records no decision; once seen, the same click does', async () => {
  const { page, errors } = await hostPage();
  const zhang = patients[0]!;
  await page.goto(`${emrOrigin}/inhouse-frame/?open=0`);
  const frame = await hurenFrame(page);
  await page.locator('#order-item').selectOption({ label: '肝功能' });
  await page.getByRole('button', { name: '开立' }).click();
  const lft = card(frame, '肝功能');
  await lft.locator('.hr-badge', { hasText: '重复开单：肝功能' }).waitFor();
  const recognize = lft.getByRole('button', { name: '互认', exact: true });
  await lft.evaluate((el) => el.scrollIntoView({ block: 'center' }));

  // The host page owns the iframe element: it can make it nearly transparent, or lay a decoy over it.
  const iframe = page.locator('#huren iframe');
  await iframe.evaluate((f) => ((f as HTMLElement).style.opacity = '0.05'));
  await page.waitForTimeout(600);
  await recognize.click();
  await lft.getByRole('alert').filter({ hasText: '互认助手被遮挡或不可见' }).waitFor();
  await iframe.evaluate((f) => ((f as HTMLElement).style.opacity = ''));
  await page.evaluate(() => {
    const frameBox = document.querySelector('#huren iframe')!.getBoundingClientRect();
    const decoy = document.createElement('div');
    decoy.id = 'decoy';
    decoy.textContent = '点击领取';
    Object.assign(decoy.style, { position: 'fixed', left: `${frameBox.left}px`, top: `${frameBox.top}px`, width: `${frameBox.width}px`, height: `${frameBox.height}px`, background: 'rgba(255,255,255,0.02)', pointerEvents: 'none', zIndex: '10' });
    document.body.append(decoy);
  });
  await page.waitForTimeout(600);
  await recognize.click({ force: true });
  await page.waitForTimeout(1000);
  expect(await lft.getByText('已互认').count()).toBe(0);
  expect(await page.locator('#decisions li').count()).toBe(0);
  await page.screenshot({ path: screenshotPath('widget-frame-clickjack-refused') });

  // The decoy gone, the frame seen: the physician's click counts.
  await page.evaluate(() => document.getElementById('decoy')!.remove());
  await page.waitForTimeout(1000); // longer than the settling time: a frame just uncovered takes no click
  await recognize.click();
  await lft.getByText('已互认').waitFor();
  await page.locator('#decisions li[data-outcome="accepted"]', { hasText: `${zhang.name}　肝功能　互认` }).waitFor();
  expect(await page.locator('#decisions li').count()).toBe(1);
  expect(errors).toEqual([]);
  await page.close();
});
