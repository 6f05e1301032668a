import type { Initials } from '../shared/paper/search';

/**
 * 拼音首字母 for the paper entry: pinyin-pro is ≈145 KB gzip, nearly the whole widget budget, so it
 * is a bundle of its own (huren-widget-pinyin.js, `window.HurenPinyin`) beside huren-widget.js,
 * loaded from the same folder the first time the entry form opens. Until then (or if it cannot be
 * loaded) names and aliases still match.
 */
declare global {
  // eslint-disable-next-line no-var
  var HurenPinyin: { initials: Initials } | undefined;
}

/**
 * Where this script came from: the IIFE build (a plain <script>) has no import.meta (the bundler
 * makes it {}), so its own <script> element, read while the bundle runs; ESM: import.meta.url.
 */
const here: string | undefined = (() => {
  const script = typeof document === 'undefined' ? null : document.currentScript;
  // No `instanceof HTMLScriptElement`: where there is no DOM (node, a worker) that name is not defined.
  if (script && script.tagName === 'SCRIPT' && (script as HTMLScriptElement).src) return new URL('.', (script as HTMLScriptElement).src).href;
  try {
    return new URL('.', import.meta.url).href;
  } catch {
    return undefined;
  }
})();

let loading: Promise<Initials> | undefined;

export function loadPinyin(): Promise<Initials> {
  if (globalThis.HurenPinyin) return Promise.resolve(globalThis.HurenPinyin.initials);
  loading ??= new Promise<Initials>((resolve, reject) => {
    if (!here || typeof document === 'undefined') return reject(new Error('huren: no script location for the pinyin bundle'));
    const script = document.createElement('script');
    script.src = new URL('huren-widget-pinyin.js', here).href;
    script.async = true;
    script.onload = () => (globalThis.HurenPinyin ? resolve(globalThis.HurenPinyin.initials) : reject(new Error('huren: pinyin bundle did not load')));
    script.onerror = () => reject(new Error('huren: pinyin bundle could not be loaded'));
    document.head.append(script);
  }).catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}
