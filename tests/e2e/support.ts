import { afterAll, beforeAll } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { configureExtension, launchWithExtension, type ExtensionBrowser } from '../../demo/browser.ts';
import type { EmrPatient } from '../../demo/data/generate.ts';
import { spawnDemo, type DemoProcess } from '../../demo/server/spawn.ts';

/** The demo data is generated relative to this day, so runs are repeatable. */
export const TODAY = '2026-11-22';

export async function startDemo(): Promise<{ server: DemoProcess; patients: EmrPatient[] }> {
  const server = await spawnDemo({ today: TODAY });
  const patients = (await (await fetch(`${server.url}/emr/api/patients`)).json()) as EmrPatient[];
  return { server, patients };
}

export async function startBrowser(server: DemoProcess, options: { backForwardCache?: boolean } = {}): Promise<ExtensionBrowser> {
  const browser = await launchWithExtension(options);
  await configureExtension(browser.serviceWorker, { fhirBaseUrl: server.fhirBase, feedbackEndpoint: `${server.url}/cds-services/huren` });
  return browser;
}

/**
 * The sidebar is an extension-origin frame inside a closed shadow root: find it by origin, once it
 * has presented its one-time key and rendered (the background answers it only from then on).
 */
export async function sidebarFrame(page: Page, extensionId: string, timeoutMs = 15_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const frame = page.frames().find((f) => f.url().startsWith(`chrome-extension://${extensionId}/sidebar.html`));
    if (frame && (await frame.locator('.hr-root').count().catch(() => 0)) > 0) return frame;
    await page.waitForTimeout(50);
  }
  throw new Error('sidebar frame did not appear');
}

export function screenshotPath(name: string): string {
  return `test-results/screenshots/${name}.png`;
}

export interface ExtensionDemo {
  server: DemoProcess;
  browser: ExtensionBrowser;
  patients: EmrPatient[];
}

/** One demo server and one Chromium with the built extension for a test file, closed after it. */
export function useExtensionDemo(options: { backForwardCache?: boolean } = {}): ExtensionDemo {
  const demo = {} as ExtensionDemo;
  beforeAll(async () => {
    ({ server: demo.server, patients: demo.patients } = await startDemo());
    demo.browser = await startBrowser(demo.server, options);
  });
  afterAll(async () => {
    await demo.browser?.context.close();
    await demo.server?.close();
  });
  return demo;
}
