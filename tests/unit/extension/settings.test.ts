import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import managedSchema from '../../../extension/public/managed_schema.json';
import { SETTINGS_KEYS, loadSettings, readSettings, saveSettings, Settings, SettingsError, SETTINGS_STORAGE_KEY } from '../../../extension/settings/settings';

const local = (value: unknown) => fakeBrowser.storage.local.set({ [SETTINGS_STORAGE_KEY]: value });
const managed = (value: Record<string, unknown>) => fakeBrowser.storage.managed.set(value);
const stored = async () => (await fakeBrowser.storage.local.get(SETTINGS_STORAGE_KEY))[SETTINGS_STORAGE_KEY];

const adapter = {
  id: 'his-a',
  urlPatterns: ['^https://his\\.example/'],
  patient: { identifier: { selector: '#id' } },
};

describe('settings: managed over local over defaults', () => {
  beforeEach(() => fakeBrowser.reset());

  test('nothing stored: the defaults, with the demo pack and the demo receiving hospital', async () => {
    const s = await loadSettings();
    expect(s).toEqual(Settings.parse({}));
    expect(s.receivingInstitution).toBe('zj-rmyy');
    expect(s.activePacks).toEqual([{ kind: 'bundled', id: 'demo' }]);
    expect(s.adapters).toEqual([]);
    expect(s.locale).toBe('zh-CN');
  });

  test('local values override defaults; managed values override local ones, key by key', async () => {
    await local({ fhirBaseUrl: 'https://local.example/fhir', token: 'local-token', locale: 'en', physician: '李明' });
    await managed({ fhirBaseUrl: 'https://platform.gov.example/fhir/R4', adapters: [adapter] });
    const report = await readSettings();
    expect(report.settings.fhirBaseUrl).toBe('https://platform.gov.example/fhir/R4');
    expect(report.settings.token).toBe('local-token');
    expect(report.settings.locale).toBe('en');
    expect(report.settings.physician).toBe('李明');
    expect(report.settings.adapters.map((a) => a.id)).toEqual(['his-a']);
    expect(report.managedKeys.sort()).toEqual(['adapters', 'fhirBaseUrl']);
    expect(report.problems).toEqual([]);
  });

  test('an invalid managed value falls back to the local one and is reported', async () => {
    await local({ lookbackDays: 30 });
    await managed({ lookbackDays: -5 });
    const report = await readSettings();
    expect(report.settings.lookbackDays).toBe(30);
    expect(report.managedKeys).toEqual([]);
    expect(report.problems).toMatchObject([{ source: 'managed', path: 'lookbackDays' }]);
  });

  test('invalid stored values never crash, are reported with their path, and are not overwritten by loading', async () => {
    const bad = { fhirBaseUrl: 'not a url', adapters: [{ ...adapter, urlPatterns: ['('] }], locale: 'fr', token: 'kept' };
    await local(bad);
    const report = await readSettings();
    expect(report.settings.fhirBaseUrl).toBe(Settings.parse({}).fhirBaseUrl);
    expect(report.settings.token).toBe('kept');
    expect(report.problems.map((p) => p.path).sort()).toEqual(['adapters[0].urlPatterns[0]', 'fhirBaseUrl', 'locale']);
    expect(await stored()).toEqual(bad);
  });

  test('a stored value that is not even an object reads as nothing stored', async () => {
    await local('garbage');
    await expect(loadSettings()).resolves.toEqual(Settings.parse({}));
  });

  test('without managed storage (or its schema) the local settings still load', async () => {
    await local({ locale: 'en' });
    fakeBrowser.storage.managed.get = (() => Promise.reject(new Error('Managed storage manifest not found'))) as never;
    await expect(loadSettings()).resolves.toMatchObject({ locale: 'en' });
  });
});

describe('saving settings', () => {
  beforeEach(() => fakeBrowser.reset());

  test('saves the given keys and leaves the others as stored', async () => {
    await local({ department: '心内科', somethingElse: 1 });
    await saveSettings({ fhirBaseUrl: 'https://p.example/fhir/R4', physician: '王芳' });
    expect(await stored()).toEqual({ department: '心内科', somethingElse: 1, fhirBaseUrl: 'https://p.example/fhir/R4', physician: '王芳' });
  });

  test('undefined clears a key', async () => {
    await local({ department: '心内科' });
    await saveSettings({ department: undefined });
    expect(await stored()).toEqual({});
  });

  test('an invalid value saves nothing and says where', async () => {
    await local({ department: '心内科' });
    const error = await saveSettings({ physician: '王芳', adapters: [{ ...adapter, id: '' }] as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).problems).toMatchObject([{ path: 'adapters[0].id' }]);
    expect(await stored()).toEqual({ department: '心内科' });
  });

  test('the old full-object call still works (the sidebar and widget keep their fields)', async () => {
    const s = Settings.parse({ fhirBaseUrl: 'https://p.example/fhir/R4', lookbackDays: 30 });
    await saveSettings(s);
    const loaded = await loadSettings();
    expect(loaded).toEqual(s);
    expect(loaded.lookbackDays).toBe(30);
  });
});

test('the managed schema lists every setting, so policy can set each of them', () => {
  expect(Object.keys(managedSchema.properties).sort()).toEqual([...SETTINGS_KEYS].sort());
});
