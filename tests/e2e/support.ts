import type { Frame, Page } from 'playwright-core';
import { configureExtension, launchWithExtension, type ExtensionBrowser } from '../../demo/browser.ts';
import { generateDemoData } from '../../demo/data/generate.ts';
import { startDemoServer, type DemoServer } from '../../demo/server/demo-server.ts';

export const TODAY = new Date('2026-11-22T09:00:00+08:00');

export async function startDemo(): Promise<{ server: DemoServer; demo: ReturnType<typeof generateDemoData> }> {
  const demo = generateDemoData({ today: TODAY });
  const server = await startDemoServer({ port: 0, bundles: [demo.bundle], emrPatients: demo.emrPatients });
  return { server, demo };
}

export async function startBrowser(server: DemoServer): Promise<ExtensionBrowser> {
  const browser = await launchWithExtension();
  await configureExtension(browser.serviceWorker, { fhirBaseUrl: server.fhirBase });
  return browser;
}

/** The sidebar is an extension-origin frame inside a closed shadow root: find it by origin. */
export async function sidebarFrame(page: Page, extensionId: string, timeoutMs = 15_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const frame = page.frames().find((f) => f.url().startsWith(`chrome-extension://${extensionId}/sidebar.html`));
    if (frame) return frame;
    await page.waitForTimeout(50);
  }
  throw new Error('sidebar frame did not appear');
}

export function screenshotPath(name: string): string {
  return `test-results/screenshots/${name}.png`;
}
