import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';

export const EXTENSION_DIR = resolve(import.meta.dirname, '../.output/chrome-mv3');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ExtensionBrowser {
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
  userDataDir: string;
}

/**
 * Debian's Chromium with the built extension loaded (a fresh profile unless one is given).
 * `--disable-extensions-except` is required: Playwright adds `--disable-extensions` otherwise.
 */
export async function launchWithExtension(options: { headless?: boolean; userDataDir?: string; extensionDir?: string; backForwardCache?: boolean } = {}): Promise<ExtensionBrowser> {
  const extensionDir = resolve(options.extensionDir ?? EXTENSION_DIR);
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'huren-profile-')));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: options.headless ?? true,
    // Playwright turns the back/forward cache off; a physician's Chrome has it on.
    ...(options.backForwardCache ? { ignoreDefaultArgs: ['--disable-back-forward-cache'] } : {}),
    viewport: { width: 1366, height: 800 },
    locale: 'zh-CN',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
    ],
  });
  const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const extensionId = new URL(serviceWorker.url()).host;
  return { context, serviceWorker, extensionId, userDataDir };
}

/** Points the extension at a platform, as hospital IT would in the options page. */
export async function configureExtension(serviceWorker: Worker, settings: Record<string, unknown>): Promise<void> {
  await serviceWorker.evaluate(async (s) => {
    const ext = (globalThis as unknown as { chrome: { storage: { local: { set(items: object): Promise<void> } } } }).chrome;
    await ext.storage.local.set({ settings: s });
  }, settings);
}
