import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { EXTENSION_DIR } from '../../demo/browser.ts';
import { resolve } from 'node:path';
import { abortSignalAny, installChrome109Fills, urlCanParse } from '../../extension/compat/chrome109.ts';
import { anySignal, canParseUrl } from '../../shared/compat/web.ts';

/** The widget's bundles (huren-widget.js and its side bundles), which hospitals' own pages load. */
const WIDGET_DIR = resolve(import.meta.dirname, '../../dist/widget');

/**
 * The oldest browser supported is Chrome/Edge 109 (docs/deploy.md). No Chrome 109 can be run
 * here, so the built extension is checked for what 109 lacks: web APIs added later (each listed
 * with the version that added it) must be absent or filled in by extension/compat/chrome109.ts,
 * and the manifest must say 109.
 */
const NEWER_THAN_109: [RegExp, string][] = [
  [/\.toSorted\(/, 'Array.prototype.toSorted (110)'],
  [/\.toReversed\(/, 'Array.prototype.toReversed (110)'],
  [/\.toSpliced\(/, 'Array.prototype.toSpliced (110)'],
  [/Object\.groupBy\(|Map\.groupBy\(/, 'Object/Map.groupBy (117)'],
  [/Promise\.withResolvers\(/, 'Promise.withResolvers (119)'],
  [/Array\.fromAsync\(/, 'Array.fromAsync (121)'],
  [/URL\.parse\(/, 'URL.parse (126)'],
  [/\.isWellFormed\(|\.toWellFormed\(/, 'String well-formed (111)'],
  [/\.symmetricDifference\(|\.isSubsetOf\(|\.isSupersetOf\(|\.isDisjointFrom\(/, 'Set methods (122)'],
  [/Iterator\.from\(/, 'Iterator helpers (122)'],
  [/\.getContexts\(/, 'runtime.getContexts (116)'],
  [/sidePanel\./, 'sidePanel (114)'],
  [/matchOriginAsFallback/, 'matchOriginAsFallback (119)'],
  [/crypto\.subtle\.[a-z]+\(\s*\{?\s*name:\s*["']Ed25519/, 'WebCrypto Ed25519 (137)'],
];
/** Called by the shared code only through shared/compat/web.ts (native where present); the extension also fills the globals. */
const FILLED: [RegExp, string][] = [
  [/AbortSignal\.any\(/, 'AbortSignal.any (116)'],
  [/URL\.canParse\(/, 'URL.canParse (120)'],
];
const CSS_NEWER: [RegExp, string][] = [
  [/@starting-style/, '@starting-style (117)'],
  [/@scope\b/, '@scope (118)'],
  [/text-wrap:\s*(balance|pretty)/, 'text-wrap (114)'],
  [/field-sizing/, 'field-sizing (123)'],
  [/\bcolor-mix\(/, 'color-mix() (111)'],
  [/\{[^{}]*&[\s.:[#>+~]/, 'CSS nesting (112)'],
];

/** A bundle's text without calls guarded by their own feature test (zod: `typeof URL.canParse=="function"?URL.canParse(…):…`). */
const unguarded = (text: string) => text.replace(/typeof (\w+(?:\.\w+)+)\s*===?\s*[`'"]function[`'"]\s*\?\s*\1\(/g, '');

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : ext.test(name) ? [path] : [];
  });
}

describe('the built extension runs on Chrome/Edge 109', () => {
  test('the manifest says so', () => {
    const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as { minimum_chrome_version?: string };
    expect(manifest.minimum_chrome_version).toBe('109');
  });

  test('no script calls an API newer than 109 that is not filled in', () => {
    const found: string[] = [];
    const scripts = files(EXTENSION_DIR, /\.js$/);
    expect(scripts.length).toBeGreaterThan(3);
    for (const file of scripts) {
      const text = readFileSync(file, 'utf8');
      for (const [re, what] of NEWER_THAN_109) if (re.test(text)) found.push(`${what} in ${file.slice(EXTENSION_DIR.length + 1)}`);
    }
    expect(found).toEqual([]);
  });

  test('the APIs 109 lacks that the shared code needs are reached only through its helpers', () => {
    const entries = ['background.js', 'sidebar.html', 'options.html', 'stats.html'];
    const direct = files(EXTENSION_DIR, /\.js$/).filter((f) => FILLED.some(([re]) => re.test(unguarded(readFileSync(f, 'utf8')))));
    expect(direct.map((f) => f.slice(EXTENSION_DIR.length + 1))).toEqual([]);
    expect(entries.every((e) => statSync(join(EXTENSION_DIR, e)).isFile())).toBe(true);
  });

  test('no stylesheet uses CSS newer than 109', () => {
    const found: string[] = [];
    for (const file of [...files(EXTENSION_DIR, /\.css$/), ...files(EXTENSION_DIR, /\.js$/)]) {
      const text = readFileSync(file, 'utf8');
      for (const [re, what] of CSS_NEWER) if (re.test(text) && (file.endsWith('.css') || what !== 'CSS nesting (112)')) found.push(`${what} in ${file.slice(EXTENSION_DIR.length + 1)}`);
    }
    expect(found).toEqual([]);
  });

  test('the helpers use the browser’s own API where it has one', () => {
    const a = new AbortController();
    const signal = anySignal([a.signal]);
    a.abort('x');
    expect(signal.aborted).toBe(true);
    expect(canParseUrl('https://a.example/x')).toBe(true);
    expect(canParseUrl('::')).toBe(false);
  });

  test('the fills behave as the real APIs do', async () => {
    const a = new AbortController();
    const b = new AbortController();
    const any = abortSignalAny([a.signal, b.signal]);
    expect(any.aborted).toBe(false);
    b.abort(new Error('stop'));
    expect(any.aborted).toBe(true);
    expect((any.reason as Error).message).toBe('stop');
    const done = new AbortController();
    done.abort('already');
    expect(abortSignalAny([new AbortController().signal, done.signal]).reason).toBe('already');
    expect(urlCanParse('https://a.example/x')).toBe(true);
    expect(urlCanParse('not a url')).toBe(false);
    expect(urlCanParse('/p', 'https://a.example')).toBe(true);
    // Installed only where missing: a browser's own implementation is kept.
    const scope = { AbortSignal: class {} as unknown as typeof AbortSignal, URL: class {} as unknown as typeof URL };
    installChrome109Fills(scope);
    expect((scope.AbortSignal as unknown as { any: unknown }).any).toBe(abortSignalAny);
    const own = () => true;
    const native = { AbortSignal: Object.assign(class {}, { any: own }) as unknown as typeof AbortSignal, URL: Object.assign(class {}, { canParse: own }) as unknown as typeof URL };
    installChrome109Fills(native);
    expect((native.URL as unknown as { canParse: unknown }).canParse).toBe(own);
  });
});

describe('the widget runs on Chrome/Edge 109 without touching the host page’s globals', () => {
  test('no widget bundle calls an API newer than 109, nor one the extension fills in', () => {
    const scripts = files(WIDGET_DIR, /\.m?js$/);
    expect(scripts.map((f) => f.slice(WIDGET_DIR.length + 1))).toEqual(expect.arrayContaining(['huren-widget.js', 'huren-widget.mjs', 'huren-frame-host.js']));
    const found: string[] = [];
    for (const file of scripts) {
      const text = unguarded(readFileSync(file, 'utf8'));
      for (const [re, what] of [...NEWER_THAN_109, ...FILLED]) if (re.test(text)) found.push(`${what} in ${file.slice(WIDGET_DIR.length + 1)}`);
      // It defines nothing on the host's AbortSignal or URL.
      if (/defineProperty\(\w+,\s*["'](any|canParse)["']/.test(text)) found.push(`a global fill in ${file.slice(WIDGET_DIR.length + 1)}`);
    }
    expect(found).toEqual([]);
  });
});
