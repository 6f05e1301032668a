import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handleStorageMessage } from '../../../extension/background/storage-bridge';
import { claimSidebar, issueSidebarKey } from '../../../extension/background/sidebar-auth';
import { loadSettings, migrateSecrets, readSettings, saveSettings, secretWritten, SETTINGS_STORAGE_KEY } from '../../../extension/settings/settings';
import { remotePlatformToken } from '../../../extension/sidebar/remote-stores';
import { resultsSource } from '../../../extension/sidebar/services';
import { STORE } from '../../../extension/storage-bridge/protocol';
import { deliveryTarget, HUB_CDS_SERVICE } from '../../../shared/hub/delivery';
import { HurenDb } from '../../../shared/storage/db';

/**
 * Security review (issue 14): the content script in every EMR page can read storage.local, so the
 * platform token and the hub's ingest token are kept in the extension origin's IndexedDB instead.
 */
const EXT = 'chrome-extension://test-extension-id/';
const PLATFORM_TOKEN = 'platform-secret-7f3a9c';
const HUB_TOKEN = `hrt_${'a'.repeat(12)}_${'b'.repeat(43)}`;
const fromSidebar = { id: fakeBrowser.runtime.id, tab: { id: 3, url: 'http://127.0.0.1:8787/emr/' } as never, frameId: 4, documentId: 'sidebar-doc', url: `${EXT}sidebar.html` };
const fromPage = { id: fakeBrowser.runtime.id, tab: { id: 3, url: 'http://127.0.0.1:8787/emr/' } as never, frameId: 0, url: 'http://127.0.0.1:8787/emr/' };

/** Everything a content script could read: all of storage.local, as text. */
const localText = async () => JSON.stringify(await fakeBrowser.storage.local.get(null));
const storedSettings = async () => (await fakeBrowser.storage.local.get(SETTINGS_STORAGE_KEY))[SETTINGS_STORAGE_KEY];

beforeEach(async () => {
  fakeBrowser.reset();
  fakeBrowser.runtime.getURL = ((path: string) => EXT + path.replace(/^\//, '')) as never;
  const db = new HurenDb();
  await db.secrets.clear();
  db.close();
});
afterEach(() => vi.unstubAllGlobals());

describe('secrets are not kept in storage.local', () => {
  test('saving the tokens on the options page leaves none in storage.local, and they still load', async () => {
    await saveSettings({ fhirBaseUrl: 'https://platform.example/fhir/R4', token: PLATFORM_TOKEN, hubUrl: 'https://hub.example', hubToken: HUB_TOKEN, locale: 'en' });
    const text = await localText();
    expect(text).not.toContain(PLATFORM_TOKEN);
    expect(text).not.toContain(HUB_TOKEN);
    expect(await storedSettings()).toEqual({ fhirBaseUrl: 'https://platform.example/fhir/R4', hubUrl: 'https://hub.example', locale: 'en' });
    // In the extension's own database instead.
    expect((await new HurenDb().secrets.toArray()).map((r) => [r.key, r.value]).sort()).toEqual([['hubToken', HUB_TOKEN], ['token', PLATFORM_TOKEN]]);
    const report = await readSettings();
    expect(report.settings).toMatchObject({ token: PLATFORM_TOKEN, hubToken: HUB_TOKEN, locale: 'en' });
    expect(report.problems).toEqual([]);
  });

  test('a token given as undefined is cleared; saving other keys keeps it', async () => {
    await saveSettings({ token: PLATFORM_TOKEN, hubToken: HUB_TOKEN });
    await saveSettings({ physician: '王芳' });
    expect(await loadSettings()).toMatchObject({ token: PLATFORM_TOKEN, hubToken: HUB_TOKEN, physician: '王芳' });
    await saveSettings({ token: undefined });
    const s = await loadSettings();
    expect(s.token).toBeUndefined();
    expect(s.hubToken).toBe(HUB_TOKEN);
  });

  test('an invalid hub token saves nothing, in neither place', async () => {
    await expect(saveSettings({ hubToken: 'not-a-token', physician: '王芳' })).rejects.toThrow(/hubToken/);
    expect(await storedSettings()).toBeUndefined();
    expect(await new HurenDb().secrets.count()).toBe(0);
  });

  test('policy still wins over the locally stored token', async () => {
    await saveSettings({ token: PLATFORM_TOKEN });
    await fakeBrowser.storage.managed.set({ token: 'from-policy' });
    expect((await loadSettings()).token).toBe('from-policy');
  });
});

describe('tokens an older version kept in storage.local', () => {
  const legacy = { fhirBaseUrl: 'https://platform.example/fhir/R4', token: PLATFORM_TOKEN, hubToken: HUB_TOKEN, physician: '李明' };

  test('move to IndexedDB at start, once, and nothing else of the settings changes', async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_STORAGE_KEY]: legacy });
    // Before the move they still count (the sidebar may open first).
    expect(await loadSettings()).toMatchObject({ token: PLATFORM_TOKEN, hubToken: HUB_TOKEN });
    await migrateSecrets();
    const text = await localText();
    expect(text).not.toContain(PLATFORM_TOKEN);
    expect(text).not.toContain(HUB_TOKEN);
    expect(await storedSettings()).toEqual({ fhirBaseUrl: 'https://platform.example/fhir/R4', physician: '李明' });
    expect(await loadSettings()).toMatchObject({ token: PLATFORM_TOKEN, hubToken: HUB_TOKEN, physician: '李明', fhirBaseUrl: 'https://platform.example/fhir/R4' });
    // Idempotent: a second start finds nothing to move and loses nothing.
    await migrateSecrets();
    expect(await loadSettings()).toMatchObject({ token: PLATFORM_TOKEN, hubToken: HUB_TOKEN });
  });

  test('one written to storage.local after the move (a downgrade, a script) is the latest and replaces the kept one', async () => {
    await saveSettings({ token: 'older' });
    await fakeBrowser.storage.local.set({ [SETTINGS_STORAGE_KEY]: legacy });
    expect((await loadSettings()).token).toBe(PLATFORM_TOKEN);
    await migrateSecrets();
    expect(await loadSettings()).toMatchObject({ token: PLATFORM_TOKEN, hubToken: HUB_TOKEN });
    expect(await localText()).not.toContain(PLATFORM_TOKEN);
  });

  test('the background sees a token written to storage.local (secretWritten) and nothing else', () => {
    expect(secretWritten({ [SETTINGS_STORAGE_KEY]: { newValue: legacy } }, 'local')).toBe(true);
    expect(secretWritten({ [SETTINGS_STORAGE_KEY]: { newValue: { locale: 'en' } } }, 'local')).toBe(false);
    expect(secretWritten({ other: { newValue: legacy } }, 'local')).toBe(false);
    expect(secretWritten({ [SETTINGS_STORAGE_KEY]: { newValue: legacy } }, 'managed')).toBe(false);
  });

  test('saving any setting moves them too, without losing them', async () => {
    await fakeBrowser.storage.local.set({ [SETTINGS_STORAGE_KEY]: legacy });
    await saveSettings({ locale: 'en' });
    expect(await localText()).not.toContain(PLATFORM_TOKEN);
    expect(await localText()).not.toContain(HUB_TOKEN);
    expect(await loadSettings()).toMatchObject({ token: PLATFORM_TOKEN, hubToken: HUB_TOKEN, locale: 'en' });
  });
});

describe('what uses the tokens gets them from the new place', () => {
  test('the hub sender sends the hub token, to the hub only', async () => {
    await saveSettings({ hubUrl: 'https://hub.example', hubToken: HUB_TOKEN });
    expect(deliveryTarget(await loadSettings())).toEqual({ endpoint: `https://hub.example${HUB_CDS_SERVICE}`, headers: { authorization: `Bearer ${HUB_TOKEN}` } });
  });

  test('the sidebar gets the platform token from the background (only its bound document, never the hub token) and the platform receives it', async () => {
    await saveSettings({ fhirBaseUrl: 'https://platform.example/fhir/R4', token: PLATFORM_TOKEN, hubUrl: 'https://hub.example', hubToken: HUB_TOKEN });
    // A content script (or the page) asking: refused.
    await expect(handleStorageMessage({ type: STORE.platformToken }, fromPage as never)).resolves.toEqual({ ok: false, error: 'forbidden' });
    // A sidebar copy no content script injected (not bound to the tab): refused.
    await expect(handleStorageMessage({ type: STORE.platformToken }, fromSidebar as never)).resolves.toEqual({ ok: false, error: 'forbidden' });
    expect(await claimSidebar(fromSidebar as never, await issueSidebarKey(3))).toBe(true);
    await expect(handleStorageMessage({ type: STORE.platformToken }, fromSidebar as never)).resolves.toEqual({ ok: true, value: { token: PLATFORM_TOKEN } });

    // The sidebar's settings, read as mount.tsx reads them (its messages reach the background as the bound sidebar).
    fakeBrowser.runtime.sendMessage = ((message: unknown) => handleStorageMessage(message, fromSidebar as never)) as never;
    const settings = await loadSettings({ secrets: remotePlatformToken });
    expect(settings.token).toBe(PLATFORM_TOKEN);
    expect(settings.hubToken).toBeUndefined();

    const seen: (string | null)[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      seen.push(new Headers(init.headers).get('authorization'));
      return new Response(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] }), { status: 200, headers: { 'content-type': 'application/fhir+json' } });
    });
    await resultsSource(settings).fetchResults({ patient: { system: 'urn:oid:2.16.156.10011.1.3', value: '440802197003150017' }, since: new Date('2026-01-01') });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((h) => h === `Bearer ${PLATFORM_TOKEN}`)).toBe(true);
  });
});
