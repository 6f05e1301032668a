import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { buildAll } from '../../demo/build.ts';
import { CHROMIUM } from '../../demo/browser.ts';

/** End-to-end tests run against the real build: build once, before any test. */
export default async function setup(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  await mkdir('test-results/screenshots', { recursive: true });
  if (!process.env.HUREN_SKIP_BUILD) buildAll();
}
