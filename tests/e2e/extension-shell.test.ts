import { expect, test } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { MSG } from '../../extension/messaging/protocol.ts';
import { maskIdentifier } from '../../shared/ui/panel/patient-key.ts';
import { screenshotPath, sidebarFrame, useExtensionDemo } from './support.ts';

/**
 * The extension shell in the real build: the content script reading the page (also through
 * nested frames), the sidebar host collapsing, the note insertion relayed through the background,
 * and the options page. The sidebar's own UI is not under test here: messages are sent from the
 * sidebar frame exactly as its code sends them.
 */
const demo = useExtensionDemo();

/** Sends a runtime message from inside the sidebar frame, as the sidebar page does. */
function fromSidebar(frame: Frame, message: object): Promise<unknown> {
  return frame.evaluate((m) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: object): Promise<unknown> } } }).chrome.runtime.sendMessage(m), message);
}

function hostWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelector('[data-huren-sidebar]')!.getBoundingClientRect().width);
}

/** What the background stored for the page's tab (the sidebar reads the same). */
async function storedContext(frame: Frame): Promise<{ patient: { name?: string; identifier: { value: string } }; orders: { name: string }[]; user: Record<string, string> } | null> {
  // The tab of the sidebar's page (whoami answers only once, to the sidebar itself).
  const pageUrl = frame.page().url();
  return demo.browser.serviceWorker.evaluate(async (url) => {
    const ext = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id: number; url?: string }[]> }; storage: { session: { get(k: string): Promise<Record<string, { context: unknown }>> } } } }).chrome;
    const tab = (await ext.tabs.query({})).find((t) => t.url === url)!;
    const key = `context:${tab.id}`;
    return ((await ext.storage.session.get(key))[key]?.context ?? null) as never;
  }, pageUrl);
}

test('the sidebar collapses to a narrow tab and opens again when the sidebar asks', async () => {
  const page = await demo.browser.context.newPage();
  await page.goto(`${demo.server.url}/emr/?open=0`);
  const frame = await sidebarFrame(page, demo.browser.extensionId);
  expect(await hostWidth(page)).toBe(380);

  await expect(fromSidebar(frame, { type: MSG.setCollapsed, collapsed: true })).resolves.toEqual({ ok: true });
  expect(await hostWidth(page)).toBe(28);
  await page.screenshot({ path: screenshotPath('shell-collapsed') });

  await expect(fromSidebar(frame, { type: MSG.setCollapsed, collapsed: false })).resolves.toEqual({ ok: true });
  expect(await hostWidth(page)).toBe(380);
  // The page cannot do it: it has no extension messaging, and the host's shadow root is closed.
  expect(await page.evaluate(() => document.querySelector('[data-huren-sidebar]')!.shadowRoot)).toBeNull();
  await page.close();
});

test('the content script’s world gets no storage area: settings and tokens there are out of its reach (issue 14)', async () => {
  const page = await demo.browser.context.newPage();
  // Every execution context of the page, Huren's content script world among them (an isolated world of the extension's origin).
  const cdp = await page.context().newCDPSession(page);
  const contexts: { id: number; origin: string; auxData?: { type?: string } }[] = [];
  cdp.on('Runtime.executionContextCreated', (e: { context: { id: number; origin: string; auxData?: { type?: string } } }) => void contexts.push(e.context));
  await cdp.send('Runtime.enable');
  await page.goto(`${demo.server.url}/emr/?open=0`);
  await sidebarFrame(page, demo.browser.extensionId);
  const world = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin === `chrome-extension://${demo.browser.extensionId}`);
  expect(world, JSON.stringify(contexts)).toBeDefined();
  const tryArea = async (area: string) => {
    const { result } = (await cdp.send('Runtime.evaluate', {
      contextId: world!.id,
      awaitPromise: true,
      returnByValue: true,
      expression: `(async () => { try { return 'read ' + JSON.stringify(await chrome.storage.${area}.get(null)); } catch (e) { return 'refused ' + e.message; } })()`,
    })) as { result: { value: string } };
    return result.value;
  };
  // The settings are in storage.local (the demo's platform address at least): the content script cannot read them, nor policy.
  expect(await tryArea('local')).toMatch(/^refused /);
  expect(await tryArea('managed')).toMatch(/^refused /);
  // The sidebar (an extension page) and the background still can.
  const settings = await demo.browser.serviceWorker.evaluate(() => (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }).chrome.storage.local.get('settings'));
  expect(settings.settings).toMatchObject({ fhirBaseUrl: demo.server.fhirBase });
  await cdp.detach();
  await page.close();
});

test('insert into note puts the text into the EMR’s #note as if typed', async () => {
  const page = await demo.browser.context.newPage();
  await page.goto(`${demo.server.url}/emr/?open=0`);
  const frame = await sidebarFrame(page, demo.browser.extensionId);
  await page.locator('#note').fill('主诉：胸闷3天');
  await page.evaluate(() => {
    (window as unknown as { inputs: number }).inputs = 0;
    document.getElementById('note')!.addEventListener('input', () => (window as unknown as { inputs: number }).inputs++);
  });

  await expect(fromSidebar(frame, { type: MSG.noteAvailable })).resolves.toEqual({ available: true });
  const cite = '外院检查结果互认：血常规（2026-11-01），结果可互认，未重复开立。';
  await expect(fromSidebar(frame, { type: MSG.insertNote, text: cite })).resolves.toEqual({ ok: true });
  expect(await page.inputValue('#note')).toBe(`主诉：胸闷3天\n${cite}`);
  expect(await page.evaluate(() => (window as unknown as { inputs: number }).inputs)).toBe(1);

  // Too long for a citation: refused by the background before it reaches the page.
  await expect(fromSidebar(frame, { type: MSG.insertNote, text: 'x'.repeat(4001) })).resolves.toEqual({ ok: false });
  expect(await page.inputValue('#note')).toBe(`主诉：胸闷3天\n${cite}`);
  await page.screenshot({ path: screenshotPath('shell-note-inserted') });
  await page.close();
});

test('the framed EMR: patient read through two nested frames, note inserted in the inner frame', async () => {
  const page = await demo.browser.context.newPage();
  await page.goto(`${demo.server.url}/assets/emr-frames.html?open=1`);
  const frame = await sidebarFrame(page, demo.browser.extensionId);
  const patient = demo.patients[1]!;

  let context = await storedContext(frame);
  for (let i = 0; i < 50 && context?.patient.name !== patient.name; i++) {
    await page.waitForTimeout(100);
    context = await storedContext(frame);
  }
  expect(context?.patient.name).toBe(patient.name);
  expect(context?.patient.identifier.value).toBe(patient.idCard);
  expect(context?.orders.map((o) => o.name)).toEqual(patient.orders.map((o) => o.name));
  expect(context?.user).toEqual({ physician: '王芳', department: '呼吸内科' });

  // Switching demo.patients inside the frame is followed (the frame's DOM is observed too).
  await page.frameLocator('#workspace').getByRole('button', { name: new RegExp(`^${demo.patients[2]!.name}`) }).click();
  for (let i = 0; i < 50 && context?.patient.name !== demo.patients[2]!.name; i++) {
    await page.waitForTimeout(100);
    context = await storedContext(frame);
  }
  expect(context?.patient.name).toBe(demo.patients[2]!.name);

  await expect(fromSidebar(frame, { type: MSG.insertNote, text: '血常规：外院结果可互认。' })).resolves.toEqual({ ok: true });
  const note = page.frameLocator('#workspace').frameLocator('#orders-frame').locator('#note');
  await expect(note.textContent()).resolves.toBe('血常规：外院结果可互认。');
  await page.screenshot({ path: screenshotPath('shell-framed-emr') });
  await page.close();
});

test('options page: validation errors with JSON paths, saving, and the adapter test on the last EMR tab', async () => {
  const emr = await demo.browser.context.newPage();
  await emr.goto(`${demo.server.url}/emr/?open=0`);
  await sidebarFrame(emr, demo.browser.extensionId);
  const page = await demo.browser.context.newPage();
  await page.goto(`chrome-extension://${demo.browser.extensionId}/options.html`);
  await page.getByRole('heading', { name: '互认助手 · 设置' }).waitFor();

  // A bad adapter is flagged as typed, with the path to fix.
  const editor = page.getByLabel('适配器 JSON');
  await editor.fill(JSON.stringify([{ id: 'his-a', urlPatterns: ['(unclosed'], patient: { identifier: {} } }], null, 2));
  const problems = page.getByTestId('adapter-problems');
  await problems.getByText('[0].urlPatterns[0]').waitFor();
  await problems.getByText('[0].patient.identifier', { exact: true }).waitFor();
  await page.getByLabel('接诊医师（页面未显示时使用）').fill('王芳');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByTestId('save-problems').getByText('adapters[0].urlPatterns[0]').waitFor();
  await page.screenshot({ path: screenshotPath('options-invalid'), fullPage: true });
  const before = await demo.browser.serviceWorker.evaluate(() => (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }).chrome.storage.local.get('settings'));
  expect((before.settings as { physician?: string }).physician).toBeUndefined();

  // A valid adapter for the demo EMR, tested on the EMR tab opened before.
  const adapter = {
    id: 'demo-custom',
    name: '本院门诊（测试）',
    urlPatterns: ['^http://127\\.0\\.0\\.1:\\d+/emr/'],
    patient: { identifier: { selector: '[data-field="id-card"]', attribute: 'data-value' }, name: { selector: '[data-field="name"]' } },
    orders: { item: '#order-list tbody tr', name: { selector: 'td' } },
    note: { selector: '#note' },
  };
  await editor.fill(JSON.stringify([adapter], null, 2));
  await page.getByText('格式正确').waitFor();
  await page.getByRole('button', { name: '刷新标签页列表' }).click();
  await page.getByLabel('测试的适配器').selectOption('demo-custom');
  await page.getByRole('button', { name: '在当前标签页测试' }).click();
  const result = page.getByTestId('adapter-test-result');
  await result.getByText('网址匹配').waitFor();
  await result.getByText(maskIdentifier(demo.patients[0]!.idCard)).waitFor();
  await result.getByText(demo.patients[0]!.name, { exact: true }).waitFor();
  expect(await result.textContent()).not.toContain(demo.patients[0]!.idCard);

  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存').waitFor();
  await page.screenshot({ path: screenshotPath('options-saved'), fullPage: true });
  const after = await demo.browser.serviceWorker.evaluate(() => (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>> } } } }).chrome.storage.local.get('settings'));
  expect(after.settings).toMatchObject({ physician: '王芳', adapters: [{ id: 'demo-custom' }], fhirBaseUrl: demo.server.fhirBase });

  // The saved adapter now wins over the bundled one on the next EMR page.
  const next = await demo.browser.context.newPage();
  await next.goto(`${demo.server.url}/emr/?open=0`);
  const frame = await sidebarFrame(next, demo.browser.extensionId);
  let stored = await storedContext(frame);
  for (let i = 0; i < 50 && !stored; i++) {
    await next.waitForTimeout(100);
    stored = await storedContext(frame);
  }
  // The custom adapter reads no physician from the page: the options page's one fills in.
  expect(stored?.user.physician).toBe('王芳');
  await Promise.all([emr.close(), page.close(), next.close()]);
});
