import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CONTENT_SCRIPT_FILE, grantedOrigins, RUNTIME_SCRIPT_ID, syncContentScripts } from '../../../extension/background/hosts';
import { originPattern } from '../../../extension/options/host-access';

const DEMO = ['http://127.0.0.1/*', 'http://localhost/*'];
type Script = { id: string; matches?: string[]; excludeMatches?: string[]; js?: string[]; persistAcrossSessions?: boolean };

let granted: string[];
let registered: Script[];

beforeEach(() => {
  fakeBrowser.reset();
  granted = [...DEMO];
  registered = [];
  fakeBrowser.runtime.getManifest = (() => ({ host_permissions: DEMO, content_scripts: [{ matches: DEMO, js: ['content-scripts/emr.js'] }] })) as never;
  Object.assign(fakeBrowser.permissions, { getAll: async () => ({ origins: [...granted], permissions: ['storage', 'scripting'] }) });
  Object.assign(fakeBrowser.scripting, {
    getRegisteredContentScripts: async ({ ids }: { ids: string[] }) => registered.filter((s) => ids.includes(s.id)),
    registerContentScripts: async (scripts: Script[]) => void registered.push(...scripts),
    updateContentScripts: async (scripts: Script[]) => {
      registered = registered.map((s) => scripts.find((n) => n.id === s.id) ?? s);
    },
    unregisterContentScripts: async ({ ids }: { ids: string[] }) => {
      registered = registered.filter((s) => !ids.includes(s.id));
    },
  });
});

describe('EMR hosts enabled at run time', () => {
  test('only the demo hosts: nothing to register', async () => {
    await expect(syncContentScripts()).resolves.toEqual([]);
    expect(registered).toEqual([]);
  });

  test('a granted origin gets the content script, persisted across sessions, never twice on the demo hosts', async () => {
    granted.push('https://his.zjrmyy.cn/*');
    await expect(syncContentScripts()).resolves.toEqual(['https://his.zjrmyy.cn/*']);
    expect(registered).toEqual([
      expect.objectContaining({ id: RUNTIME_SCRIPT_ID, js: [CONTENT_SCRIPT_FILE], matches: ['https://his.zjrmyy.cn/*'], excludeMatches: DEMO, persistAcrossSessions: true }),
    ]);
  });

  test('granting another origin updates the registration; revoking all removes it', async () => {
    granted.push('https://his.zjrmyy.cn/*');
    await syncContentScripts();
    granted.push('http://10.1.2.3/*');
    await syncContentScripts();
    expect(registered).toHaveLength(1);
    expect(registered[0]!.matches).toEqual(['http://10.1.2.3/*', 'https://his.zjrmyy.cn/*']);
    granted = [...DEMO];
    await syncContentScripts();
    expect(registered).toEqual([]);
    await expect(grantedOrigins()).resolves.toEqual([]);
  });

  test('an address typed in the options page becomes one origin’s match pattern, all ports', () => {
    expect(originPattern('https://his.zjrmyy.cn:8443/outpatient/index.html')).toBe('https://his.zjrmyy.cn/*');
    expect(originPattern('his.zjrmyy.cn')).toBe('https://his.zjrmyy.cn/*');
    expect(originPattern('http://10.1.2.3:8080')).toBe('http://10.1.2.3/*');
    expect(originPattern('ftp://files.example')).toBeUndefined();
    expect(originPattern('  ')).toBeUndefined();
  });
});
