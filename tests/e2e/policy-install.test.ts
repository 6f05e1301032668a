import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM } from '../../demo/browser.ts';
import { callAdminSocket } from '../../hub/admin/socket.ts';
import { adminSocketPath } from '../../hub/start.ts';
import { spawnDemo, type DemoProcess } from '../../demo/server/spawn.ts';
import { linuxPolicy } from '../../deploy/hospital-build.ts';
import { packageHospital, type PackageResult } from '../../deploy/package.ts';
import { screenshotPath, TODAY } from './support.ts';

/**
 * A workstation as a hospital deploys it: nothing loaded by hand. The hospital's package is
 * built and signed (npm run package), published to the hospital's hub, and a managed policy file
 * (ExtensionInstallForcelist pointing at the hub, the department's hub token through the
 * 3rdparty policy) is all Chromium is given. It installs the extension from the hub, grants the
 * EMR origins without a prompt, and the sidebar appears on the EMR, whose frames come from two
 * other origins.
 *
 * Writes /etc/chromium/policies/managed/: needs root (CI is root) and removes its file after.
 */
const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = join(POLICY_DIR, `huren-e2e-${process.pid}.json`);
const isRoot = process.getuid?.() === 0;

let demo: DemoProcess;
let work: string;
let built: PackageResult;
let context: BrowserContext | undefined;

beforeAll(async () => {
  if (!isRoot) return;
  work = mkdtempSync(join(tmpdir(), 'huren-policy-'));
  demo = await spawnDemo({ today: TODAY, hub: { dataDir: join(work, 'hub') } });
  const port = new URL(demo.url).port;
  const hospital = {
    id: 'e2e-hospital',
    name: '演示医院',
    release: 7,
    emrOrigins: [`http://127.0.0.1:${port}`, `http://xemr-banner.localhost:${port}`, `http://xemr-orders.localhost:${port}`],
    hubUrl: demo.hubUrl,
    hubSigningKeys: demo.hubSigningKeys,
    settings: { fhirBaseUrl: demo.fhirBase, sidebarMode: 'push' },
  };
  writeFileSync(join(work, 'hospital.json'), JSON.stringify(hospital));
  built = packageHospital({ config: join(work, 'hospital.json'), out: join(work, 'out'), publish: join(work, 'hub'), log: () => undefined });
  // Files a killed run left behind would install into every Chromium on this machine.
  mkdirSync(POLICY_DIR, { recursive: true });
  for (const f of readdirSync(POLICY_DIR)) if (/^huren-e2e-\d+\.json$/.test(f)) rmSync(join(POLICY_DIR, f), { force: true });
  writeFileSync(POLICY_FILE, JSON.stringify(linuxPolicy(built.plan, demo.hubToken)), { mode: 0o644 });
}, 180_000);

afterAll(async () => {
  rmSync(POLICY_FILE, { force: true });
  await context?.close();
  await demo?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface InternalsEntry {
  id: string;
  location: string;
  version: string;
  permissions: { active: { explicit_hosts: string[]; scriptable_hosts: string[] }; withheld: { explicit_hosts: string[] } };
}

/** chrome://extensions-internals: what Chromium itself says it installed, and with which host access. */
async function installed(page: Page, id: string): Promise<InternalsEntry | undefined> {
  await page.goto('chrome://extensions-internals');
  const list = JSON.parse(await page.locator('body').innerText()) as InternalsEntry[];
  return list.find((e) => e.id === id);
}

test.skipIf(!isRoot)('policy-only install from the hospital hub: no prompt, EMR origins granted, sidebar on the cross-origin EMR', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'huren-policy-profile-'));
  const started = Date.now();
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    // Playwright disables extensions and the background networking the extension updater uses; a
    // managed workstation has neither switch. No --load-extension: the policy is the only source.
    ignoreDefaultArgs: ['--disable-extensions', '--disable-component-extensions-with-background-pages', '--disable-background-networking'],
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync', '--disable-component-update'],
  });
  const page = await context.newPage();
  let entry: InternalsEntry | undefined;
  for (let i = 0; i < 120 && !entry; i++) {
    entry = await installed(page, built.plan.extensionId);
    if (!entry) await page.waitForTimeout(250);
  }
  const installMs = Date.now() - started;
  expect(entry, 'installed from the hub through policy').toBeDefined();
  expect(entry!.location).toBe('EXTERNAL_POLICY_DOWNLOAD');
  expect(entry!.version).toBe(`${built.plan.version} ${built.plan.id}`); // chrome shows version_name
  // Every EMR origin is granted at install, none withheld: there is no prompt to click.
  expect(entry!.permissions.active.explicit_hosts.sort()).toEqual([...built.plan.emrPatterns, ...built.plan.extraHostPatterns].sort());
  expect(entry!.permissions.withheld.explicit_hosts).toEqual([]);
  console.log(`policy install: ${installMs} ms from browser start to installed (version ${entry!.version})`);

  // A fresh tab for the EMR (Chromium may close the internals page while the extension starts).
  const emr = await context.newPage();
  await emr.goto(`${demo.url}/xemr/`);
  await emr.waitForFunction(() => document.querySelectorAll('#queue li').length > 0);
  await emr.waitForFunction(() => !!(window as unknown as { xemr?: unknown }).xemr);
  for (let i = 0; i < 100 && emr.frames().filter((f) => f.url().includes('xemr-')).length < 2; i++) await emr.waitForTimeout(50);
  await emr.evaluate(() => (window as unknown as { xemr: { open(i: number): void } }).xemr.open(0));
  // The sidebar's URL carries the session's dynamic id (use_dynamic_url), not the extension id.
  let frame = emr.frames().find((f) => /^chrome-extension:\/\/[a-z0-9-]+\/sidebar\.html$/.test(f.url()));
  for (let i = 0; i < 200 && !frame; i++) {
    await emr.waitForTimeout(100);
    frame = emr.frames().find((f) => /^chrome-extension:\/\/[a-z0-9-]+\/sidebar\.html$/.test(f.url()));
  }
  expect(frame, 'the sidebar appeared').toBeDefined();
  await frame!.getByText('重复开单：血常规').waitFor({ timeout: 20_000 });
  // The package's default layout (push) and platform (this demo's FHIR server) are in effect.
  expect(await emr.evaluate(() => document.documentElement.style.marginRight)).toBe('380px');
  await emr.screenshot({ path: screenshotPath('policy-install-xemr') });

  // The department's token reached the extension through the 3rdparty policy (storage.managed),
  // the hub address and key came in the package: a decision made here arrives at the hub.
  // (Chromium hands an extension its policy a moment after installing it.)
  const readManaged = () => frame!.evaluate(() => (globalThis as unknown as { chrome: { storage: { managed: { get(k: null): Promise<Record<string, unknown>> } } } }).chrome.storage.managed.get(null));
  let managed = await readManaged();
  for (let i = 0; i < 100 && managed.hubToken === undefined; i++) {
    await emr.waitForTimeout(100);
    managed = await readManaged();
  }
  expect(managed.hubToken).toBe(demo.hubToken);
  const packaged = await frame!.evaluate(async () => (await fetch('/hospital.json')).json());
  expect(packaged.settings).toMatchObject({ hubUrl: demo.hubUrl, hubSigningKeys: demo.hubSigningKeys, fhirBaseUrl: demo.fhirBase });
  const decisions = async () => ((await callAdminSocket(adminSocketPath(join(work, 'hub')), 'stats', {})) as { decisions: number }[]).reduce((n, r) => n + r.decisions, 0);
  const before = await decisions();
  const cbc = frame!.getByRole('article', { name: /血细胞分析/ }).first();
  await cbc.getByRole('button', { name: '互认' }).click();
  await cbc.getByText('已互认').waitFor();
  let after = await decisions();
  for (let i = 0; i < 75 && after === before; i++) {
    await emr.waitForTimeout(200);
    after = await decisions();
  }
  expect(after, 'the decision reached the hospital hub').toBe(before + 1);
  await emr.screenshot({ path: screenshotPath('policy-install-decided') });
});
