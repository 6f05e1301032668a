import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handleMessage, StoredContext } from '../../../extension/background/context-store';
import { contextKey, MSG } from '../../../extension/messaging/protocol';

const EXT = 'chrome-extension://test-extension-id/';
const fromPage = { id: fakeBrowser.runtime.id, tab: { id: 7 } as never, url: 'http://127.0.0.1:8787/emr/' };
const fromSidebar = { id: fakeBrowser.runtime.id, tab: { id: 7, url: 'http://127.0.0.1:8787/emr/' } as never, url: `${EXT}sidebar.html` };
const context = {
  adapterId: 'demo-outpatient',
  patient: { identifier: { system: 'urn:oid:2.16.156.10011.1.4', value: '440802197003150017' }, name: '张伟' },
  orders: [{ name: '血常规', code: '58410-2' }],
  user: {},
};

async function stored(tabId: number) {
  const value = (await fakeBrowser.storage.session.get(contextKey(tabId)))[contextKey(tabId)];
  return value === undefined ? undefined : StoredContext.parse(value);
}

describe('background context store', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    fakeBrowser.runtime.getURL = ((path: string) => EXT + path.replace(/^\//, '')) as never;
  });

  test('keeps a valid context per tab in session storage', async () => {
    await expect(handleMessage({ type: MSG.context, context }, fromPage)).resolves.toEqual({ ok: true });
    const value = await stored(7);
    expect(value?.context?.patient.name).toBe('张伟');
    expect(value?.context?.orders).toEqual([{ name: '血常规', code: '58410-2' }]);
  });

  test('an unreadable context is stored as "no patient", never guessed', async () => {
    const bad = { ...context, patient: { identifier: { value: '' } } };
    await expect(handleMessage({ type: MSG.context, context: bad }, fromPage)).resolves.toEqual({ ok: false });
    expect((await stored(7))?.context).toBeNull();
  });

  test('context messages from extension pages are refused', async () => {
    await expect(handleMessage({ type: MSG.context, context }, fromSidebar)).resolves.toEqual({ ok: false });
    expect(await stored(7)).toBeUndefined();
  });

  test('the sidebar learns its tab id; a content script does not', async () => {
    await expect(handleMessage({ type: MSG.whoami }, fromSidebar)).resolves.toEqual({ tabId: 7 });
    await expect(handleMessage({ type: MSG.whoami }, fromPage)).resolves.toBeNull();
  });

  test('physician and department from the options page fill in what the page does not show', async () => {
    await fakeBrowser.storage.local.set({ settings: { physician: '王芳', department: '呼吸内科' } });
    await handleMessage({ type: MSG.context, context: { ...context, user: { department: '心血管内科' } } }, fromPage);
    expect((await stored(7))?.context?.user).toEqual({ physician: '王芳', department: '心血管内科' });
  });

  test('unknown messages are left for other listeners', () => {
    expect(handleMessage({ type: 'something-else' }, fromPage)).toBeUndefined();
    expect(handleMessage(null, fromPage)).toBeUndefined();
  });
});
