/**
 * Web APIs newer than the oldest browser Huren supports (Chrome/Edge 109, docs/deploy.md), called
 * through these helpers: the native API where the browser has it, a small equivalent where not.
 * Shared code calls the helpers rather than the globals, so the widget runs on a hospital's old
 * browser without touching the host page's own globals.
 */

/** AbortSignal.any (Chrome 116): one signal that aborts when any of the given ones does. */
export function abortSignalAny(signals: AbortSignal[]): AbortSignal {
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      return controller.signal;
    }
  }
  const onAbort = (event: Event) => {
    controller.abort((event.target as AbortSignal).reason);
    for (const signal of signals) signal.removeEventListener('abort', onAbort);
  };
  for (const signal of signals) signal.addEventListener('abort', onAbort);
  return controller.signal;
}

/** URL.canParse (Chrome 120). */
export function urlCanParse(url: string | URL, base?: string | URL): boolean {
  try {
    new URL(url, base);
    return true;
  } catch {
    return false;
  }
}

/** Any of the signals, natively where AbortSignal.any exists. */
export function anySignal(signals: AbortSignal[]): AbortSignal {
  const native = (AbortSignal as typeof AbortSignal & { any?: (s: AbortSignal[]) => AbortSignal }).any;
  return typeof native === 'function' ? native.call(AbortSignal, signals) : abortSignalAny(signals);
}

/** Whether `url` parses, natively where URL.canParse exists. */
export function canParseUrl(url: string, base?: string): boolean {
  const native = (URL as typeof URL & { canParse?: (u: string, b?: string) => boolean }).canParse;
  return typeof native === 'function' ? native.call(URL, url, base) : urlCanParse(url, base);
}
