/**
 * The oldest browser supported is Chrome/Edge 109 (Windows 7's last Chrome; docs/deploy.md).
 * Syntax is lowered for it by the build (wxt.config.ts: target chrome109); the few newer APIs
 * the shared code calls are filled in here, imported first by every extension entry point.
 * Each fill is used only where the browser lacks the API.
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

export function installChrome109Fills(scope: { AbortSignal: typeof AbortSignal; URL: typeof URL } = globalThis): void {
  const signal = scope.AbortSignal as typeof AbortSignal & { any?: unknown };
  if (typeof signal.any !== 'function') Object.defineProperty(signal, 'any', { value: abortSignalAny, configurable: true, writable: true });
  const url = scope.URL as typeof URL & { canParse?: unknown };
  if (typeof url.canParse !== 'function') Object.defineProperty(url, 'canParse', { value: urlCanParse, configurable: true, writable: true });
}

installChrome109Fills();
