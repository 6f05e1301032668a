import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(import.meta.dirname, '..');
const EXT = join(ROOT, '.output/chrome-mv3');
const WIDGET = join(ROOT, 'dist/widget');

/** Content-script budget (issue 3/6): it runs in every EMR page, so it stays tiny. */
export const CONTENT_SCRIPT_BUDGET_GZIP = 15 * 1024;
/** Widget budget (issue 6): React included. */
export const WIDGET_BUDGET_GZIP = 150 * 1024;

export interface BundleSize {
  name: string;
  raw: number;
  gzip: number;
  budget?: number;
}

function size(name: string, files: string[], budget?: number): BundleSize {
  const content = Buffer.concat(files.map((f) => readFileSync(f)));
  return { name, raw: content.length, gzip: gzipSync(content, { level: 9 }).length, budget };
}

/** The scripts an HTML page of the build loads (its own entry plus shared chunks). */
function pageScripts(html: string): string[] {
  const text = readFileSync(join(EXT, html), 'utf8');
  return [...text.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+\.js)"/g)].map((m) => join(EXT, m[1]!));
}

export function measureBundles(): BundleSize[] {
  if (!existsSync(EXT) || !existsSync(WIDGET)) throw new Error('build first: npm run build');
  const contentDir = join(EXT, 'content-scripts');
  const contentScripts = readdirSync(contentDir).filter((f) => f.endsWith('.js')).map((f) => join(contentDir, f));
  return [
    size('content script (all, per page load)', contentScripts, CONTENT_SCRIPT_BUDGET_GZIP),
    size('sidebar page (JS)', pageScripts('sidebar.html')),
    size('background service worker', [join(EXT, 'background.js')]),
    size('widget IIFE (huren-widget.js)', [join(WIDGET, 'huren-widget.js')], WIDGET_BUDGET_GZIP),
    size('widget ESM (huren-widget.mjs)', [join(WIDGET, 'huren-widget.mjs')], WIDGET_BUDGET_GZIP),
    size('widget stats IIFE (huren-widget-stats.js)', [join(WIDGET, 'huren-widget-stats.js')]),
    size('widget stats ESM (huren-widget-stats.mjs)', [join(WIDGET, 'huren-widget-stats.mjs')]),
    size('iframe host (huren-frame-host.js)', [join(WIDGET, 'huren-frame-host.js')]),
  ];
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export function printBundles(sizes: BundleSize[]): void {
  console.log('\n## Bundle sizes (gzip -9)');
  for (const s of sizes) {
    const verdict = s.budget === undefined ? '' : s.gzip <= s.budget ? `  ✓ within ${kb(s.budget)}` : `  ✗ OVER ${kb(s.budget)}`;
    console.log(`${s.name.padEnd(44)} ${kb(s.raw).padStart(10)} raw ${kb(s.gzip).padStart(10)} gzip${verdict}`);
  }
}
