import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { readBuildLayer, resetBuildLayer } from '../../../extension/settings/build-defaults';
import { readSettings, saveSettings } from '../../../extension/settings/settings';

const KEY_A = Buffer.alloc(32, 7).toString('base64');
const packaged = {
  hospital: { id: 'zj-rmyy', name: '湛江中心人民医院' },
  settings: { hubUrl: 'https://hub.zjrmyy.example', hubSigningKeys: [KEY_A], receivingInstitution: '440800-zxrmyy', sidebarMode: 'push', locale: 'zh-CN' },
};

function hospitalBuild(file: unknown): void {
  fakeBrowser.runtime.getManifest = (() => ({ manifest_version: 3, update_url: 'https://hub.zjrmyy.example/extension/zj-rmyy/updates.xml' })) as never;
  fakeBrowser.runtime.getURL = ((path: string) => `chrome-extension://id${path}`) as never;
  vi.stubGlobal('fetch', vi.fn(async (url: string) => (url === 'chrome-extension://id/hospital.json' ? new Response(JSON.stringify(file)) : new Response('', { status: 404 }))));
}

describe('a hospital build’s packaged settings', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    resetBuildLayer();
  });
  afterEach(() => vi.unstubAllGlobals());

  test('the plain build has none and asks for no file', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    await expect(readBuildLayer()).resolves.toEqual({ locked: {}, defaults: {} });
    expect(fetch).not.toHaveBeenCalled();
  });

  test('hub address and keys are locked against the options page; the rest are defaults under local values', async () => {
    hospitalBuild(packaged);
    await saveSettings({ hubUrl: 'https://elsewhere.example', receivingInstitution: 'local-choice' });
    const report = await readSettings();
    expect(report.settings.hubUrl).toBe('https://hub.zjrmyy.example');
    expect(report.settings.hubSigningKeys).toEqual([KEY_A]);
    expect(report.buildKeys.sort()).toEqual(['hubSigningKeys', 'hubUrl']);
    expect(report.settings.receivingInstitution).toBe('local-choice'); // a default, overridden locally
    expect(report.settings.sidebarMode).toBe('push'); // a default nobody overrode
  });

  test('policy still wins over the package', async () => {
    hospitalBuild(packaged);
    fakeBrowser.storage.managed.get = (async () => ({ hubUrl: 'https://policy-hub.example' })) as never;
    const report = await readSettings();
    expect(report.settings.hubUrl).toBe('https://policy-hub.example');
    expect(report.managedKeys).toContain('hubUrl');
    expect(report.buildKeys).toEqual(['hubSigningKeys']);
  });

  test('an unreadable file is no layer, and an invalid value in it is reported, not used', async () => {
    hospitalBuild({ settings: { lookbackDays: -3 } });
    const report = await readSettings();
    expect(report.settings.lookbackDays).toBe(90);
    expect(report.problems).toContainEqual(expect.objectContaining({ source: 'build', path: 'lookbackDays' }));
  });
});
