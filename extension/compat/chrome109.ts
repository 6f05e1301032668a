/**
 * The oldest browser supported is Chrome/Edge 109 (Windows 7's last Chrome; docs/deploy.md).
 * Syntax is lowered for it by the build (wxt.config.ts: target chrome109); the few newer APIs
 * the shared code calls (through shared/compat/web.ts) are also filled in as globals here, imported
 * first by every extension entry point, for any code or library that calls them directly.
 * Each fill is used only where the browser lacks the API.
 */

import { abortSignalAny, urlCanParse } from '../../shared/compat/web';

export { abortSignalAny, urlCanParse };

export function installChrome109Fills(scope: { AbortSignal: typeof AbortSignal; URL: typeof URL } = globalThis): void {
  const signal = scope.AbortSignal as typeof AbortSignal & { any?: unknown };
  if (typeof signal.any !== 'function') Object.defineProperty(signal, 'any', { value: abortSignalAny, configurable: true, writable: true });
  const url = scope.URL as typeof URL & { canParse?: unknown };
  if (typeof url.canParse !== 'function') Object.defineProperty(url, 'canParse', { value: urlCanParse, configurable: true, writable: true });
}

installChrome109Fills();
