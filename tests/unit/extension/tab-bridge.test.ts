import { beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { chooseAdapter, handleAdapterMessage } from '../../../extension/background/adapter-lookup';
import { handleTabBridgeMessage } from '../../../extension/background/tab-bridge';
import { claimSidebar, issueSidebarKey } from '../../../extension/background/sidebar-auth';
import { MSG, NOTE_TEXT_MAX } from '../../../extension/messaging/protocol';
import { Settings, SETTINGS_STORAGE_KEY } from '../../../extension/settings/settings';

const EXT = 'chrome-extension://test-extension-id/';
const EMR = 'http://127.0.0.1:8787/emr/?open=0';
const fromPage = { id: fakeBrowser.runtime.id, tab: { id: 7, url: EMR } as never, frameId: 0, url: EMR };
const fromSidebar = { id: fakeBrowser.runtime.id, tab: { id: 7, url: EMR } as never, frameId: 3, documentId: 'sidebar-doc', url: `${EXT}sidebar.html` };
const fromOptions = { id: fakeBrowser.runtime.id, tab: { id: 9, url: `${EXT}options.html` } as never, url: `${EXT}options.html` };
/** A page we have no host access to that framed the sidebar: the browser hides its URL from us. */
const framedElsewhere = { ...fromSidebar, tab: { id: 8 } as never };

const hisAdapter = { id: 'his-a', urlPatterns: ['^https://his\\.example/'], patient: { identifier: { selector: '#id' } } };

let sent: { tabId: number; message: unknown; options: unknown }[];

beforeEach(async () => {
  fakeBrowser.reset();
  fakeBrowser.runtime.getURL = ((path: string) => EXT + path.replace(/^\//, '')) as never;
  // The sidebar Huren injected: it presented its tab's one-time key (sidebar-auth.ts).
  expect(await claimSidebar(fromSidebar as never, await issueSidebarKey(7))).toBe(true);
  sent = [];
  fakeBrowser.tabs.sendMessage = vi.fn(async (tabId: number, message: unknown, options: unknown) => {
    sent.push({ tabId, message, options });
    const type = (message as { type: string }).type;
    if (type === MSG.noteAvailable) return { available: true };
    if (type === MSG.runAdapter) return { part: { fields: { identifier: '4408**********0017' }, note: true }, frames: [] };
    return { ok: true };
  }) as never;
});

describe('sidebar → content script relay', () => {
  test('collapse is forwarded to the top frame of the sidebar’s own tab', async () => {
    await expect(handleTabBridgeMessage({ type: MSG.setCollapsed, collapsed: true }, fromSidebar)).resolves.toEqual({ ok: true });
    expect(sent).toEqual([{ tabId: 7, message: { type: MSG.setCollapsed, collapsed: true }, options: { frameId: 0 } }]);
  });

  test('insert-into-note text is validated: a string of at most 4,000 characters, extra fields dropped', async () => {
    await expect(handleTabBridgeMessage({ type: MSG.insertNote, text: '血常规可互认', extra: 'x' }, fromSidebar)).resolves.toEqual({ ok: true });
    expect(sent[0]!.message).toEqual({ type: MSG.insertNote, text: '血常规可互认' });
    await expect(handleTabBridgeMessage({ type: MSG.insertNote, text: 'x'.repeat(NOTE_TEXT_MAX + 1) }, fromSidebar)).resolves.toEqual({ ok: false });
    await expect(handleTabBridgeMessage({ type: MSG.insertNote, text: 42 }, fromSidebar)).resolves.toEqual({ ok: false });
    expect(sent).toHaveLength(1);
  });

  test('only the sidebar may ask: not the page’s content script, not the sidebar framed on a site we do not run on', async () => {
    for (const sender of [fromPage, framedElsewhere]) {
      await expect(handleTabBridgeMessage({ type: MSG.insertNote, text: 'x' }, sender)).resolves.toEqual({ ok: false });
      await expect(handleTabBridgeMessage({ type: MSG.noteAvailable }, sender)).resolves.toEqual({ available: false });
    }
    expect(sent).toEqual([]);
  });

  test('note availability comes from the content script; no content script means unavailable', async () => {
    await expect(handleTabBridgeMessage({ type: MSG.noteAvailable }, fromSidebar)).resolves.toEqual({ available: true });
    fakeBrowser.tabs.sendMessage = (async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    }) as never;
    await expect(handleTabBridgeMessage({ type: MSG.noteAvailable }, fromSidebar)).resolves.toEqual({ available: false });
    await expect(handleTabBridgeMessage({ type: MSG.setCollapsed, collapsed: false }, fromSidebar)).resolves.toEqual({ ok: false });
  });

  test('messages for others are left alone', () => {
    expect(handleTabBridgeMessage({ type: MSG.context }, fromPage)).toBeUndefined();
  });
});

describe('adapter test from the options page', () => {
  test('an invalid adapter is answered with its problems and never reaches the page', async () => {
    const reply = await handleTabBridgeMessage({ type: MSG.testAdapter, tabId: 7, adapter: { ...hisAdapter, urlPatterns: [] } }, fromOptions);
    expect(reply).toMatchObject({ ok: false, error: 'invalid-adapter', problems: [{ path: 'urlPatterns' }] });
    expect(sent).toEqual([]);
  });

  test('a valid adapter is run in the tab, and the URL match is reported', async () => {
    const tab = await fakeBrowser.tabs.create({ url: EMR });
    const reply = await handleTabBridgeMessage({ type: MSG.testAdapter, tabId: tab.id, adapter: hisAdapter }, fromOptions);
    expect(reply).toMatchObject({ ok: true, urlMatches: false, readout: { patientFound: true } });
    expect(sent[0]).toMatchObject({ tabId: tab.id, message: { type: MSG.runAdapter, reader: { adapterId: 'his-a', fields: { identifier: hisAdapter.patient.identifier } } }, options: { frameId: 0 } });
  });

  test('content scripts cannot run the test', async () => {
    await expect(handleTabBridgeMessage({ type: MSG.testAdapter, tabId: 7, adapter: hisAdapter }, fromPage)).resolves.toMatchObject({ ok: false });
    expect(sent).toEqual([]);
  });
});

describe('adapter lookup for the content script', () => {
  test('the hospital’s adapters come before the bundled ones; the site identifier system fills in', () => {
    const demoOverride = { ...hisAdapter, id: 'ours', urlPatterns: ['^http://127\\.0\\.0\\.1:8787/emr/'] };
    const settings = Settings.parse({ adapters: [demoOverride], identifierSystem: 'urn:oid:1.2.3' });
    expect(chooseAdapter(settings, EMR)).toMatchObject({ id: 'ours', patient: { identifierSystem: 'urn:oid:1.2.3' } });
    expect(chooseAdapter(Settings.parse({}), EMR)?.id).toBe('demo-outpatient');
    expect(chooseAdapter(Settings.parse({ identifierSystem: 'urn:oid:1.2.3' }), EMR)?.patient.identifierSystem).toBe('urn:oid:2.16.156.10011.1.3');
    expect(chooseAdapter(Settings.parse({}), 'https://elsewhere.example/')).toBeNull();
  });

  test('adapters saved in the options page are used on the next lookup', async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_STORAGE_KEY]: { adapters: [hisAdapter] } });
    const his = { ...fromPage, tab: { id: 5, url: 'https://his.example/x' } as never, url: 'https://his.example/x' };
    await expect(handleAdapterMessage({ type: MSG.adapterFor, url: 'https://his.example/outpatient#/visit/1' }, his)).resolves.toMatchObject({ reader: { adapterId: 'his-a' } });
  });

  test('a URL from another origin than the sender’s, or from an extension page, gets no adapter', async () => {
    await expect(handleAdapterMessage({ type: MSG.adapterFor, url: 'https://his.example/' }, fromPage)).resolves.toEqual({ reader: null });
    await expect(handleAdapterMessage({ type: MSG.adapterFor, url: EMR }, fromSidebar)).resolves.toEqual({ reader: null });
  });
});
