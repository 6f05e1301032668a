import { beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { framesKey, handleMessage, StoredContext } from '../../../extension/background/context-store';
import { contextKey, MSG } from '../../../extension/messaging/protocol';
import { SETTINGS_STORAGE_KEY } from '../../../extension/settings/settings';

const EXT = 'chrome-extension://test-extension-id/';
const EMR = 'http://127.0.0.1:8787/emr/';
const fromPage = { id: fakeBrowser.runtime.id, tab: { id: 7, url: EMR } as never, frameId: 0, documentId: 'top-1', url: EMR };
const fromSidebar = { id: fakeBrowser.runtime.id, tab: { id: 7, url: EMR } as never, url: `${EXT}sidebar.html` };
const ID = '440802197003150017';
const part = { fields: { identifier: ID, name: '张伟' }, orders: [{ name: '血常规', code: '58410-2' }], note: true };

/** An EMR whose banner and orders come from two other origins (docs/site-adapter.md, third example). */
const XEMR = 'http://127.0.0.1:8787/xemr/';
const xAdapter = {
  id: 'x-emr',
  urlPatterns: ['^http://127\\.0\\.0\\.1:8787/xemr/'],
  patient: {
    identifier: { label: '身份证号', frameUrl: '^http://banner\\.test:8787/' },
    name: { label: '患者姓名', frameUrl: '^http://banner\\.test:8787/' },
  },
  orders: { item: 'tr.order', name: { label: '项目名称', take: 'column' }, frameUrl: '^http://orders\\.test:8787/' },
  note: { selector: '#note', frameUrl: '^http://orders\\.test:8787/' },
};
const top = (tabId: number, documentId = 'top-1') => ({ id: fakeBrowser.runtime.id, tab: { id: tabId, url: XEMR } as never, frameId: 0, documentId, url: XEMR });
const banner = (tabId: number, frameId = 5) => ({ id: fakeBrowser.runtime.id, tab: { id: tabId, url: XEMR } as never, frameId, documentId: `banner-${frameId}`, url: 'http://banner.test:8787/banner.html' });
const orders = (tabId: number) => ({ id: fakeBrowser.runtime.id, tab: { id: tabId, url: XEMR } as never, frameId: 6, documentId: 'orders-6', url: 'http://orders.test:8787/orders.html?visit=1' });

async function stored(tabId: number) {
  const value = (await fakeBrowser.storage.session.get(contextKey(tabId)))[contextKey(tabId)];
  return value === undefined ? undefined : StoredContext.parse(value);
}

const report = (p: unknown, sender: object) => handleMessage({ type: MSG.context, part: p }, sender as never);
let sent: { tabId: number; message: { type: string; open?: boolean }; options: unknown }[];

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.runtime.getURL = ((path: string) => EXT + path.replace(/^\//, '')) as never;
  sent = [];
  fakeBrowser.tabs.sendMessage = vi.fn(async (tabId: number, message: never, options: unknown) => void sent.push({ tabId, message, options })) as never;
});

describe('background context store: one frame', () => {
  test('keeps a valid context per tab in session storage, and tells the top frame to show the sidebar', async () => {
    await expect(report(part, fromPage)).resolves.toMatchObject({ ok: true, open: true, layout: { mode: 'overlay', size: 'normal', collapsed: false } });
    const value = await stored(7);
    expect(value?.context?.patient).toMatchObject({ name: '张伟', identifier: { value: ID } });
    expect(value?.context?.orders).toEqual([{ name: '血常规', code: '58410-2' }]);
  });

  test('an unreadable report is stored as "no patient", never guessed', async () => {
    await report(part, fromPage);
    await expect(report({ fields: { identifier: 42 }, note: false }, fromPage)).resolves.toMatchObject({ ok: false, open: false });
    expect((await stored(7))?.context).toBeNull();
  });

  test('context messages from extension pages are refused', async () => {
    await expect(report(part, fromSidebar)).resolves.toEqual({ ok: false });
    expect(await stored(7)).toBeUndefined();
  });

  test('the sidebar learns its tab id with the key the top frame was given; a content script, or a sidebar without the key, does not', async () => {
    const reply = (await report(part, fromPage)) as { open: boolean; sidebarKey?: string };
    expect(reply.open).toBe(true);
    expect(reply.sidebarKey).toMatch(/^[0-9a-f]{32}$/);
    const sidebar = { ...fromSidebar, documentId: 'sidebar-doc-1' };
    await expect(handleMessage({ type: MSG.whoami, key: 'guessed' }, sidebar as never)).resolves.toBeNull();
    await expect(handleMessage({ type: MSG.whoami }, sidebar as never)).resolves.toBeNull();
    await expect(handleMessage({ type: MSG.whoami, key: reply.sidebarKey }, fromPage as never)).resolves.toBeNull();
    await expect(handleMessage({ type: MSG.whoami, key: reply.sidebarKey }, sidebar as never)).resolves.toEqual({ tabId: 7 });
    // One time only: a second copy of the sidebar page presenting the same key learns nothing.
    await expect(handleMessage({ type: MSG.whoami, key: reply.sidebarKey }, { ...sidebar, documentId: 'copy' } as never)).resolves.toBeNull();
  });

  test('physician and department from the options page fill in what the page does not show', async () => {
    await fakeBrowser.storage.local.set({ settings: { physician: '王芳', department: '呼吸内科' } });
    await report({ ...part, fields: { ...part.fields, department: '心血管内科' } }, fromPage);
    expect((await stored(7))?.context?.user).toEqual({ physician: '王芳', department: '心血管内科' });
  });

  test('a page no adapter applies to has no patient', async () => {
    const elsewhere = { ...fromPage, tab: { id: 7, url: 'http://127.0.0.1:8787/inhouse/' }, url: 'http://127.0.0.1:8787/inhouse/' };
    await expect(report(part, elsewhere)).resolves.toMatchObject({ open: false });
    expect((await stored(7))?.context).toBeNull();
  });

  test('unknown messages are left for other listeners', () => {
    expect(handleMessage({ type: 'something-else' }, fromPage as never)).toBeUndefined();
    expect(handleMessage(null, fromPage as never)).toBeUndefined();
  });
});

describe('background context store: frames on other origins, merged per tab', () => {
  beforeEach(async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_STORAGE_KEY]: { adapters: [xAdapter] } });
  });

  test('the banner frame’s patient and the orders frame’s orders make one encounter; the top frame is told', async () => {
    await report({ fields: {}, note: false }, top(7));
    await report({ fields: {}, orders: [{ name: '胸部CT' }], note: true }, orders(7));
    await report({ fields: { identifier: ID, name: '张伟' }, note: false }, banner(7));
    // The switch (no patient → 张伟) dropped the orders frame's earlier report and asked every frame to read again.
    expect(sent.some((s) => s.message.type === MSG.refresh && s.tabId === 7 && s.options === undefined)).toBe(true);
    expect((await stored(7))?.context?.orders).toEqual([]);
    await report({ fields: {}, orders: [{ name: '胸部CT' }], note: true }, orders(7));
    const ctx = (await stored(7))?.context;
    expect(ctx?.patient).toMatchObject({ name: '张伟', identifier: { value: ID } });
    expect(ctx?.orders).toEqual([{ name: '胸部CT' }]);
    expect(sent.filter((s) => s.message.type === MSG.showSidebar).at(-1)).toMatchObject({ tabId: 7, message: { open: true }, options: { frameId: 0 } });
  });

  test('a patient switch in the banner never keeps the previous patient’s orders', async () => {
    await report({ fields: { identifier: ID, name: '张伟' }, note: false }, banner(7));
    await report({ fields: {}, orders: [{ name: '胸部CT' }], note: true }, orders(7));
    expect((await stored(7))?.context?.orders).toEqual([{ name: '胸部CT' }]);
    await report({ fields: { identifier: '11010519491231002X', name: '李娜' }, note: false }, banner(7));
    const ctx = (await stored(7))?.context;
    expect(ctx?.patient.name).toBe('李娜');
    expect(ctx?.orders).toEqual([]);
  });

  test('a frame’s report never crosses to another tab', async () => {
    await report({ fields: { identifier: ID, name: '张伟' }, note: false }, banner(7));
    await report({ fields: { identifier: '11010519491231002X', name: '李娜' }, note: false }, banner(8));
    await report({ fields: {}, orders: [{ name: '头颅MRI' }], note: true }, orders(8));
    expect((await stored(7))?.context?.patient.name).toBe('张伟');
    expect((await stored(7))?.context?.orders).toEqual([]);
    expect((await stored(8))?.context?.patient.name).toBe('李娜');
    expect((await stored(8))?.context?.orders).toEqual([{ name: '头颅MRI' }]);
  });

  test('a frame reports only what its share of the adapter names: the orders frame cannot name the patient', async () => {
    await report({ fields: { identifier: '11010519491231002X', name: '假冒' }, orders: [], note: true }, orders(7));
    expect((await stored(7))?.context).toBeNull();
  });

  test('reports of one tab arriving together are all kept', async () => {
    await Promise.all([
      report({ fields: {}, note: false }, top(7)),
      report({ fields: { identifier: ID, name: '张伟' }, note: false }, banner(7)),
      report({ fields: { identifier: ID, name: '张伟' }, note: false }, banner(7, 9)),
    ]);
    const frames = (await fakeBrowser.storage.session.get(framesKey(7)))[framesKey(7)] as { frames: Record<string, unknown> };
    expect(Object.keys(frames.frames).sort()).toEqual(['0', '5', '9']);
    expect((await stored(7))?.context?.patient.name).toBe('张伟');
  });

  test('a new top document starts the tab afresh', async () => {
    await report({ fields: { identifier: ID, name: '张伟' }, note: false }, banner(7));
    await report({ fields: {}, note: false }, top(7, 'top-2'));
    expect((await stored(7))?.context).toBeNull();
  });

  test('a frame that goes away takes its report with it', async () => {
    await report({ fields: { identifier: ID, name: '张伟' }, note: false }, banner(7));
    await report(null, banner(7));
    expect((await stored(7))?.context).toBeNull();
    expect(sent.filter((s) => s.message.type === MSG.showSidebar).at(-1)).toMatchObject({ message: { open: false } });
  });
});
