import { expect, test } from 'vitest';
import type { Frame, Locator, Page, Worker } from 'playwright-core';
import { MSG } from '../../extension/messaging/protocol.ts';
import { STORE } from '../../extension/storage-bridge/protocol.ts';
import { EXT } from '../../shared/domain/decision.ts';
import { screenshotPath, sidebarFrame, useExtensionDemo } from './support.ts';

/**
 * The security review's sidebar attacks (issue 14), replayed in the real build: a hostile EMR
 * page that makes the sidebar transparent or covers it to steal a click, frames its own copy of
 * the sidebar page, navigates the tab elsewhere, or squats the host's old custom-element name.
 * A decision may only come from the sidebar Huren injected, while the physician sees it.
 */
const demo = useExtensionDemo({ backForwardCache: true });

const OBSCURED = '互认助手被遮挡或不可见';
const card = (frame: Frame, name: RegExp) => frame.getByRole('article', { name });

/** The extension's service worker now (it may have been restarted since launch). */
function worker(): Worker {
  const prefix = `chrome-extension://${demo.browser.extensionId}/`;
  return demo.browser.context.serviceWorkers().find((w) => w.url().startsWith(prefix)) ?? demo.browser.serviceWorker;
}

/** Decisions in the extension's own database (what the outbox sends and the statistics count). */
function storedDecisions(): Promise<{ uuid: string; decision: Record<string, unknown> }[]> {
  return worker().evaluate(async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'huren')) return [];
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const req = indexedDB.open('huren');
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    try {
      if (!db.objectStoreNames.contains('decisions')) return [];
      return await new Promise<{ uuid: string; decision: Record<string, unknown> }[]>((ok, fail) => {
        const req = db.transaction('decisions').objectStore('decisions').getAll();
        req.onsuccess = () => ok(req.result);
        req.onerror = () => fail(req.error);
      });
    } finally {
      db.close();
    }
  });
}

/** Everything the background keeps in storage.session for one tab (context, frames, sidebar key and binding). */
function sessionOfTab(tabId: number): Promise<Record<string, unknown>> {
  return worker().evaluate(async (id) => {
    const ext = (globalThis as unknown as { chrome: { storage: { session: { get(k: null): Promise<Record<string, unknown>> } } } }).chrome;
    return Object.fromEntries(Object.entries(await ext.storage.session.get(null)).filter(([k]) => k.endsWith(`:${id}`)));
  }, tabId);
}

function tabIdOf(url: string): Promise<number> {
  return worker().evaluate(async (u) => {
    const ext = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id: number; url?: string }[]> } } }).chrome;
    return (await ext.tabs.query({})).find((t) => t.url === u)!.id;
  }, url);
}

/** Sends a runtime message from inside an extension frame, exactly as the sidebar's code would. */
function sendFrom(frame: Frame, message: object): Promise<unknown> {
  return frame.evaluate((m) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: object): Promise<unknown> } } }).chrome.runtime.sendMessage(m), message);
}

/**
 * Counts the refusals a card shows from now on: each refused click puts a new alert in the card
 * (an earlier refusal's alert stays until the next click, so waiting for the text alone would not do).
 */
async function countRefusals(frame: Frame, target: Locator): Promise<() => Promise<void>> {
  await target.evaluate((el) => {
    const w = window as unknown as { refusals: number };
    w.refusals = 0;
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n instanceof HTMLElement && n.getAttribute('role') === 'alert' && n.textContent!.includes('遮挡')) w.refusals++;
    }).observe(el, { childList: true, subtree: true });
  });
  let seen = 0;
  return async () => {
    seen++;
    await frame.waitForFunction((n) => (window as unknown as { refusals: number }).refusals >= n, seen, { timeout: 5_000 });
  };
}

let opened = 0;
async function openEmr(index: number, init?: string): Promise<{ page: Page; frame: Frame }> {
  const page = await demo.browser.context.newPage();
  if (init) await page.addInitScript(init);
  // A URL of its own (the EMR reads only `open`): the tab is found by it.
  await page.goto(`${demo.server.url}/emr/?open=${index}&tab=${++opened}`);
  const frame = await sidebarFrame(page, demo.browser.extensionId);
  await frame.getByText(/可互认（\d+）/).waitFor();
  return { page, frame };
}

/**
 * The sidebar page's URL as the content script frames it: `use_dynamic_url`, a per-session origin
 * (chrome-extension://<guid>/) a page cannot guess; the static chrome-extension://<id>/ URL is
 * refused to pages. The test reads it from the injected iframe (a page cannot: closed shadow root)
 * to play an attacker that learned it anyway.
 */
async function sidebarUrl(frame: Frame): Promise<string> {
  const src = await (await frame.frameElement()).evaluate((f) => (f as HTMLIFrameElement).src);
  expect(src).toMatch(/^chrome-extension:\/\/[0-9a-f-]{36}\/sidebar\.html#[0-9a-f]{32}$/);
  return src.replace(/#.*$/, '');
}

/** A copy of the sidebar page that a page frames itself. */
async function frameCopy(page: Page, id: string, src: string): Promise<Frame> {
  await page.evaluate(
    ([frameId, url]) => {
      const iframe = document.createElement('iframe');
      iframe.id = frameId!;
      iframe.src = url!;
      Object.assign(iframe.style, { position: 'fixed', left: '10px', bottom: '10px', width: '360px', height: '300px', border: '2px dashed red', zIndex: '5', background: '#fff' });
      document.body.append(iframe);
    },
    [id, src],
  );
  const handle = await page.waitForSelector(`#${id}`);
  const frame = (await handle.contentFrame())!;
  await frame.waitForLoadState('load');
  // Whatever the copy does on start (ask who it is, read the tab's encounter) has had time to happen.
  await page.waitForTimeout(800);
  return frame;
}

/** A copy of the sidebar that Huren did not inject: it shows nothing, reads nothing and stores nothing. */
async function expectInert(copy: Frame, patientName: string, forged: Record<string, unknown>): Promise<void> {
  const text = await copy.evaluate(() => document.body.innerText);
  expect(text).not.toContain(patientName);
  expect(await copy.locator('article').count()).toBe(0);
  expect(await copy.getByRole('button', { name: '互认' }).count()).toBe(0);
  // Even if its code reached the background: who it is is not answered, and storage refuses it.
  expect(await sendFrom(copy, { type: MSG.whoami, key: '' })).toBeNull();
  expect(await sendFrom(copy, { type: STORE.saveDecision, decision: { ...forged, uuid: crypto.randomUUID() } })).toEqual({ ok: false, error: 'forbidden' });
  const patient = (forged.extension as Record<string, { patient: unknown }>)[EXT]!.patient;
  expect(await sendFrom(copy, { type: STORE.decisionsFor, patient })).toEqual({ ok: false, error: 'forbidden' });
}

test('clickjacking: page CSS cannot make the sidebar transparent; a click through a transparent or covered sidebar records no decision; once seen, the same click does', async () => {
  const { page, frame } = await openEmr(0);
  const before = (await storedDecisions()).length;
  const ct = card(frame, /胸部CT/);
  await ct.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const recognize = ct.getByRole('button', { name: '互认', exact: true });
  const box = (await recognize.boundingBox())!;
  const refused = await countRefusals(frame, ct);

  // 1. The review's attack: the page's stylesheet on the host, with a decoy under the button.
  //    The host's inline !important styles win: the sidebar stays opaque and covers the decoy.
  await page.evaluate((b) => {
    const style = document.createElement('style');
    style.id = 'attack';
    style.textContent = `[data-huren-sidebar] { opacity: 0 !important; filter: opacity(0) !important; visibility: hidden !important; transform: scale(0.01) !important; clip-path: inset(50%) !important; z-index: 0 !important; }`;
    document.head.append(style);
    const decoy = document.createElement('button');
    decoy.id = 'decoy';
    decoy.textContent = '点击领取红包';
    Object.assign(decoy.style, { position: 'fixed', left: `${b.x - 20}px`, top: `${b.y - 10}px`, width: `${b.width + 40}px`, height: `${b.height + 20}px`, zIndex: '1000', background: '#e33', color: '#fff', pointerEvents: 'none' });
    document.body.append(decoy);
  }, box);
  const hostStyle = await page.evaluate(() => {
    const cs = getComputedStyle(document.querySelector('[data-huren-sidebar]')!);
    return { opacity: cs.opacity, filter: cs.filter, visibility: cs.visibility, transform: cs.transform, clipPath: cs.clipPath, zIndex: cs.zIndex };
  });
  expect(hostStyle).toEqual({ opacity: '1', filter: 'none', visibility: 'visible', transform: 'none', clipPath: 'none', zIndex: '2147483647' });
  await page.screenshot({ path: screenshotPath('sidebar-attack-css-ignored') });

  // 2. Page script can still rewrite the host's inline style: now it is transparent over the decoy.
  await page.evaluate(() => (document.querySelector('[data-huren-sidebar]') as HTMLElement).style.setProperty('opacity', '0', 'important'));
  await page.waitForTimeout(600);
  await page.screenshot({ path: screenshotPath('sidebar-attack-transparent') });
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await refused();
  await ct.getByRole('alert').filter({ hasText: OBSCURED }).waitFor();
  expect(await ct.getByText('已互认').count()).toBe(0);
  expect((await storedDecisions()).length).toBe(before);

  // 3. Opaque again, but a decoy laid over it that lets the click through.
  await page.evaluate((b) => {
    (document.querySelector('[data-huren-sidebar]') as HTMLElement).style.setProperty('opacity', '1', 'important');
    const cover = document.createElement('div');
    cover.id = 'cover';
    cover.textContent = '恭喜！点击领取';
    Object.assign(cover.style, { position: 'fixed', left: `${b.x - 60}px`, top: `${b.y - 40}px`, width: `${b.width + 120}px`, height: `${b.height + 80}px`, zIndex: '2147483647', background: 'rgba(255,230,0,0.95)', pointerEvents: 'none', font: '16px sans-serif' });
    document.documentElement.append(cover); // after the host: painted above it at the same z-index
  }, box);
  await page.waitForTimeout(600);
  await page.screenshot({ path: screenshotPath('sidebar-attack-covered') });
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await refused();
  await page.waitForTimeout(500);
  expect(await ct.getByText('已互认').count()).toBe(0);
  expect((await storedDecisions()).length).toBe(before);

  // The attack gone, the sidebar seen: the physician's click counts.
  await page.evaluate(() => ['attack', 'decoy', 'cover'].forEach((id) => document.getElementById(id)?.remove()));
  // Seen for longer than the settling time (a card just uncovered does not take a click).
  await page.waitForTimeout(1000);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await ct.getByText('已互认').waitFor();
  expect(await ct.getByRole('alert').count()).toBe(0);
  expect((await storedDecisions()).length).toBe(before + 1);
  await page.screenshot({ path: screenshotPath('sidebar-attack-gone-recognized') });
  await page.close();
});

/** Recognizes the first card still prompting, in the sidebar Huren injected; returns the stored decision. */
async function recognizeOne(frame: Frame): Promise<Record<string, unknown>> {
  const before = await storedDecisions();
  const first = frame.locator('article').filter({ has: frame.getByRole('button', { name: '互认', exact: true }) }).first();
  // Pinned by its result: once decided, the card no longer matches the filter above.
  const prompting = frame.locator(`article[data-result="${await first.getAttribute('data-result')}"]`);
  await prompting.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await frame.waitForTimeout(1000);
  await prompting.getByRole('button', { name: '互认', exact: true }).click();
  await prompting.getByText('已互认').waitFor();
  const after = await storedDecisions();
  expect(after.length).toBe(before.length + 1);
  const known = new Set(before.map((d) => d.uuid));
  return after.find((d) => !known.has(d.uuid))!.decision;
}

test('a copy of the sidebar page framed by the EMR page itself shows no patient and can neither read nor store; the injected sidebar beside it still works', async () => {
  const { page, frame } = await openEmr(1); // a patient of its own: each test decides cards, kept across tests
  const patient = demo.patients[1]!;
  const url = await sidebarUrl(frame);
  // By the extension's public id the page gets nothing at all: Chromium refuses it the page.
  const byId = await frameCopy(page, 'by-id', `chrome-extension://${demo.browser.extensionId}/sidebar.html`);
  expect(byId.url()).toMatch(/^chrome-error:/);
  // By the session's URL (leaked somehow), without a key or with a guessed one: a copy runs, but is Huren's in name only.
  const copy = await frameCopy(page, 'copy', url);
  const guessed = await frameCopy(page, 'guessed', `${url}#${'0'.repeat(32)}`);
  expect(copy.url()).toMatch(/sidebar\.html/);
  await page.screenshot({ path: screenshotPath('sidebar-attack-page-framed-copy') });

  // The sidebar Huren injected is not disturbed by the copies: it still records the physician's decision.
  const forged = await recognizeOne(frame);
  const count = (await storedDecisions()).length;
  await expectInert(copy, patient.name, forged);
  await expectInert(guessed, patient.name, forged);
  expect((await storedDecisions()).length).toBe(count);
  await page.close();
});

/**
 * A tab whose encounter was forgotten: no frames, no sidebar key or binding; at most the old
 * page's last report (sent as it went away: no patient) as its context.
 */
const FORGOTTEN = (tabId: number) => expect.toSatisfy((session: Record<string, unknown>) => {
  const { [`context:${tabId}`]: context, ...rest } = session;
  return Object.keys(rest).length === 0 && (context === undefined || (context as { context: unknown }).context === null);
});

test('the EMR tab navigates to an origin without host access: the encounter and the binding are forgotten, a sidebar framed there is inert; back on the EMR the patient shows again once read', async () => {
  const { page, frame } = await openEmr(2);
  const patient = demo.patients[2]!;
  const forged = await recognizeOne(frame);
  const tabId = await tabIdOf(page.url());
  const url = await sidebarUrl(frame);
  expect(Object.keys(await sessionOfTab(tabId))).toEqual(expect.arrayContaining([`context:${tabId}`, `frames:${tabId}`, `sidebar-doc:${tabId}`]));

  await page.route('http://other.test/**', (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: '<!doctype html><meta charset="utf-8"><title>其他网站</title><h1>其他网站（无主机权限）</h1>' }),
  );
  // The browser runs with the back/forward cache on, as a physician's Chrome does.
  await page.evaluate(() => ((window as unknown as { before?: boolean }).before = true));
  await page.goto('http://other.test/');
  await expect.poll(() => sessionOfTab(tabId), { timeout: 5_000 }).toEqual(FORGOTTEN(tabId));
  expect(page.frames().filter((f) => f.url().includes('/sidebar.html'))).toHaveLength(0);
  // The page there frames the sidebar page itself: same tab, previous patient's tab id, nothing shown or stored.
  const count = (await storedDecisions()).length;
  const copy = await frameCopy(page, 'reembed', url);
  await expectInert(copy, patient.name, forged);
  expect((await storedDecisions()).length).toBe(count);
  expect(await sessionOfTab(tabId)).toEqual(FORGOTTEN(tabId));
  await page.screenshot({ path: screenshotPath('sidebar-attack-navigated-away') });

  // Back on the EMR: a new sidebar, bound anew once the content script has read the patient again.
  await page.goBack();
  // Chromium keeps no page that embeds an extension frame in that cache (EmbedderExtensionFrame):
  // the EMR page loads anew, so no sidebar of the old page comes back with it.
  expect(await page.evaluate(() => (window as unknown as { before?: boolean }).before)).toBeUndefined();
  const again = await sidebarFrame(page, demo.browser.extensionId);
  await again.getByText(patient.name, { exact: true }).waitFor();
  await recognizeOne(again);
  await page.screenshot({ path: screenshotPath('sidebar-navigated-back') });
  await page.close();
});

/** The host's old name: a page that defined it first got the closed shadow root from ElementInternals. */
const SQUATTER = `
  window.__squat = { constructed: 0, internals: [], shadowRoots: [] };
  customElements.define('huren-sidebar', class extends HTMLElement {
    constructor() {
      super();
      window.__squat.constructed++;
      window.__squat.internals.push(this.attachInternals());
    }
  });
  // Page script cannot reach the content script's isolated world: these see only the page's own calls.
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    window.__squat.shadowRoots.push(root);
    return root;
  };
`;

test('a page that defines the old host element name first: the sidebar still works and the page reaches nothing inside it', async () => {
  const { page, frame } = await openEmr(3, SQUATTER);
  const patient = demo.patients[3]!;
  await frame.getByText(patient.name, { exact: true }).waitFor();
  const seen = await page.evaluate(() => {
    const squat = (window as unknown as { __squat: { constructed: number; internals: { shadowRoot: ShadowRoot | null }[]; shadowRoots: ShadowRoot[] } }).__squat;
    const host = document.querySelector('[data-huren-sidebar]') as HTMLElement;
    let internals: string;
    try {
      internals = String(HTMLElement.prototype.attachInternals.call(host).shadowRoot);
    } catch (e) {
      internals = (e as Error).name;
    }
    return {
      squatDefined: !!customElements.get('huren-sidebar'),
      constructed: squat.constructed,
      internalRoots: squat.internals.filter((i) => i.shadowRoot).length,
      pageShadowRoots: squat.shadowRoots.length,
      tag: host.tagName,
      shadowRoot: host.shadowRoot,
      internals,
      oldHosts: document.querySelectorAll('huren-sidebar').length,
      iframes: [...document.querySelectorAll('iframe')].map((f) => f.src),
      extensionEntries: performance.getEntries().map((e) => e.name).filter((n) => n.startsWith('chrome-extension:')),
    };
  });
  expect(seen).toMatchObject({ squatDefined: true, constructed: 0, internalRoots: 0, pageShadowRoots: 0, tag: 'DIV', shadowRoot: null, internals: 'NotSupportedError', oldHosts: 0, iframes: [], extensionEntries: [] });
  await page.screenshot({ path: screenshotPath('sidebar-attack-squatted-name') });
  await recognizeOne(frame);
  await page.close();
});

/**
 * A double-click attack on the first undecided card of patient `index`: `arm` sets the page's trap,
 * then a double click lands on 互认 — refused, nothing stored — and a later click of the physician's
 * own, with the card seen for a while, stores one decision.
 */
async function doubleClickAttack(index: number, shot: string, arm: (page: Page) => Promise<void>): Promise<void> {
  const { page, frame } = await openEmr(index);
  const before = (await storedDecisions()).length;
  const first = frame.locator('article').filter({ has: frame.getByRole('button', { name: '互认', exact: true }) }).first();
  const target = frame.locator(`article[data-result="${await first.getAttribute('data-result')}"]`);
  await target.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const box = (await target.getByRole('button', { name: '互认', exact: true }).boundingBox())!;
  const refused = await countRefusals(frame, target);
  await arm(page);
  await page.waitForTimeout(600);
  await page.screenshot({ path: screenshotPath(shot) });
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.click(x, y);
  await page.waitForTimeout(150); // a double click's second press
  await page.mouse.click(x, y);
  await refused();
  await page.waitForTimeout(1000);
  expect(await target.getByText('已互认').count()).toBe(0);
  expect((await storedDecisions()).length).toBe(before);

  // The card seen for a while now: the physician's own click counts.
  await page.mouse.click(x, y);
  await target.getByText('已互认').waitFor();
  expect((await storedDecisions()).length).toBe(before + 1);
  await page.close();
}

test('double-click-jacking: a cover that vanishes on the first click of a double click leaves the second on a card seen for a moment only: no decision', async () => {
  // "双击领取": an opaque cover over the sidebar takes the first click and removes itself at once.
  await doubleClickAttack(4, 'sidebar-attack-double-click', (page) =>
    page.evaluate(() => {
      const cover = document.createElement('div');
      cover.id = 'cover';
      cover.textContent = '双击领取红包';
      Object.assign(cover.style, { position: 'fixed', top: '0', right: '0', width: '400px', height: '100vh', zIndex: '2147483647', background: '#e33', color: '#fff', font: '28px sans-serif', display: 'grid', placeItems: 'center' });
      cover.addEventListener('mousedown', () => cover.remove());
      document.documentElement.append(cover);
    }),
  );
});

test('double-click-jacking with the sidebar moved off screen: put back by the first click, the second on 互认 stores nothing', async () => {
  // The page moves the host off screen (its inline style is the page's to rewrite) and shows a bait in its place.
  await doubleClickAttack(5, 'sidebar-attack-double-click-offscreen', (page) =>
    page.evaluate(() => {
      const host = document.querySelector('[data-huren-sidebar]') as HTMLElement;
      host.style.setProperty('right', '-200vw', 'important');
      const bait = document.createElement('div');
      bait.id = 'bait';
      bait.textContent = '双击领取红包';
      Object.assign(bait.style, { position: 'fixed', top: '0', right: '0', width: '400px', height: '100vh', zIndex: '10', background: '#e33', color: '#fff', font: '28px sans-serif', display: 'grid', placeItems: 'center' });
      bait.addEventListener('mousedown', () => {
        host.style.setProperty('right', '0', 'important');
        bait.remove();
      });
      document.body.append(bait);
    }),
  );
});
