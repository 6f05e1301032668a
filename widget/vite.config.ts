import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build, defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = resolve(import.meta.dirname, '..');
const outDir = resolve(root, 'dist/widget');

/**
 * The bundles beside huren-widget.js, each its own build after the widget's (Rollup builds one
 * IIFE per run), into the same folder; none of their code is in huren-widget.js:
 * - huren-frame-host.js: the iframe mode's host script (`window.HurenFrameHost`), no React;
 * - huren-widget-stats.js / .mjs: the statistics view (`window.HurenWidgetStats`), loaded only
 *   by a page that shows 互认统计;
 * - huren-widget-pinyin.js: 拼音首字母 for the paper entry (`window.HurenPinyin`, pinyin-pro ≈145 KB
 *   gzip), loaded by the widget from beside itself when the entry form first opens.
 */
/** Hospital PCs run Chrome/Edge as old as 109 (docs/deploy.md): syntax lowered for it, as the extension's. */
const OLDEST_BROWSER = 'chrome109';

function sideBuilds(): Plugin {
  let done: Promise<void> | undefined;
  const one = (entry: string, name: string, formats: ('es' | 'iife')[], fileName: (format: string) => string) =>
    build({
      root,
      configFile: false,
      logLevel: 'warn',
      plugins: [react(), zodWithoutJsonSchema()],
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      build: {
        target: OLDEST_BROWSER,
        outDir,
        emptyOutDir: false,
        sourcemap: true,
        lib: { entry: resolve(root, entry), name, formats, fileName },
        rolldownOptions: { output: { minify: true } },
      },
    });
  return {
    name: 'huren-side-builds',
    apply: 'build',
    // Called after each format's build of the widget: the side bundles are built once.
    closeBundle() {
      done ??= (async () => {
        await one('widget/frame-host.ts', 'HurenFrameHost', ['iife'], () => 'huren-frame-host.js');
        await one('widget/stats.tsx', 'HurenWidgetStats', ['es', 'iife'], (format) => (format === 'es' ? 'huren-widget-stats.mjs' : 'huren-widget-stats.js'));
        await one('widget/pinyin.ts', 'HurenPinyin', ['iife'], () => 'huren-widget-pinyin.js');
      })();
      return done;
    },
  };
}

/**
 * Zod's classic schemas import its JSON Schema generator (≈ 6 KB gzip) for `.toJSONSchema()`, which
 * the widget never calls; the budget is 150 KB gzip with React. Each export of those two modules
 * becomes a function that throws, generated from the real module so a zod update cannot miss one.
 */
function zodWithoutJsonSchema(): Plugin {
  const stubbed = /[\\/]zod[\\/]v4[\\/]core[\\/](json-schema-processors|to-json-schema)\.js$/;
  return {
    name: 'huren-zod-without-json-schema',
    apply: 'build',
    load(id) {
      if (!stubbed.test(id)) return null;
      const source = readFileSync(id, 'utf8');
      const names = [
        ...[...source.matchAll(/^export (?:async )?(?:function\*?|const|class|let) (\w+)/gm)].map((m) => m[1]!),
        ...[...source.matchAll(/^export \{([^}]*)\}/gm)].flatMap((m) => m[1]!.split(',').map((part) => part.trim().split(/\s+as\s+/).pop()!)),
      ];
      const body = names.map((n) => (n === 'aggregateChecks' ? `export const ${n} = () => ({});` : `export const ${n} = unavailable;`));
      return `function unavailable() { throw new Error('huren widget: JSON Schema generation is not in this build'); }\n${body.join('\n')}\n`;
    },
  };
}

/** Library build of the widget: ESM for bundlers, IIFE (`window.HurenWidget`) for a plain <script>. */
export default defineConfig({
  root,
  plugins: [react(), zodWithoutJsonSchema(), sideBuilds()],
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    target: OLDEST_BROWSER,
    outDir,
    emptyOutDir: true,
    sourcemap: true,
    lib: {
      entry: resolve(root, 'widget/index.ts'),
      name: 'HurenWidget',
      formats: ['es', 'iife'],
      fileName: (format) => (format === 'es' ? 'huren-widget.mjs' : 'huren-widget.js'),
    },
    // Vite leaves a library's ESM output unminified (whitespace, names): huren-widget.mjs is also
    // loaded as is by <script type="module">, so it is minified like the IIFE (pure annotations are kept).
    rolldownOptions: { output: { minify: true } },
  },
});
