import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { EXTENSION_DIR } from '../../demo/browser.ts';
import { abortSignalAny, installChrome109Fills, urlCanParse } from '../../extension/compat/chrome109.ts';

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
/** Used by the shared code, filled in for 109 by the compat module every entry point imports first. */
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

  test('what is filled in is used only in contexts that load the fill first', () => {
    const entries = ['background.js', 'sidebar.html', 'options.html', 'stats.html'];
    const usesFilled = files(EXTENSION_DIR, /\.js$/).filter((f) => FILLED.some(([re]) => re.test(readFileSync(f, 'utf8'))));
    expect(usesFilled.length).toBeGreaterThan(0); // the scan does see the shared code that calls them
    // The content script must not need them: it runs in EMR pages and loads no fill.
    expect(usesFilled.filter((f) => f.includes('content-scripts'))).toEqual([]);
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
