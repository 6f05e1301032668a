import { SourceError } from '../source';

export interface HttpOptions {
  token?: string | undefined;
  /** Per request; well under the 30 s after which an MV3 service worker is stopped. */
  timeoutMs: number;
  /** Extra attempts after a 429, a 5xx or a network failure. */
  retries: number;
  /** First backoff delay; doubles on each retry (Retry-After wins when the server sends one). */
  backoffMs: number;
  /** Longest wait honoured from Retry-After before giving up. */
  maxRetryAfterMs: number;
  fetch: typeof fetch;
}

/**
 * GETs one FHIR URL and returns its JSON. Errors are SourceErrors whose message names the
 * failure only: never the URL, which may carry a patient identifier in its query.
 */
/**
 * GETs (or, with `form`, POSTs a FHIR `_search` with a form body) and parses JSON, retrying
 * 429/5xx/network failures. A search is safe to repeat, so the POST is retried too.
 */
export async function getJson(url: string, http: HttpOptions, signal?: AbortSignal, form?: URLSearchParams): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw new SourceError('aborted', 'request aborted');
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), http.timeoutMs);
    const onAbort = () => timeout.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const headers: Record<string, string> = { accept: 'application/fhir+json, application/json;q=0.9' };
    if (http.token) headers.authorization = `Bearer ${http.token}`;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    let response: Response;
    try {
      response = await http.fetch(url, { method: form ? 'POST' : 'GET', headers, body: form?.toString(), signal: timeout.signal, credentials: 'omit' });
    } catch {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) throw new SourceError('aborted', 'request aborted');
      if (timeout.signal.aborted) throw new SourceError('timeout', `platform did not answer within ${http.timeoutMs} ms`);
      if (attempt < http.retries) {
        await sleep(backoff(http, attempt), signal);
        continue;
      }
      throw new SourceError('unreachable', 'platform unreachable');
    }
    try {
      if (response.ok) {
        try {
          return await response.json();
        } catch {
          if (timeout.signal.aborted && !signal?.aborted) throw new SourceError('timeout', `platform did not answer within ${http.timeoutMs} ms`);
          if (signal?.aborted) throw new SourceError('aborted', 'request aborted');
          throw new SourceError('bad-response', 'platform answered with invalid JSON', response.status);
        }
      }
      await response.body?.cancel().catch(() => undefined);
      const status = response.status;
      if (status === 401 || status === 403) throw new SourceError('unauthorized', `platform refused access (${status})`, status);
      if (status === 429 || status >= 500) {
        const wait = retryAfter(response.headers.get('retry-after')) ?? backoff(http, attempt);
        if (attempt < http.retries && wait <= http.maxRetryAfterMs) {
          clearTimeout(timer);
          await sleep(wait, signal);
          continue;
        }
        throw new SourceError('server', `platform answered ${status}`, status);
      }
      throw new SourceError('bad-response', `platform answered ${status}`, status);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

function backoff(http: HttpOptions, attempt: number): number {
  const base = http.backoffMs * 2 ** attempt;
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

/** Retry-After as delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new SourceError('aborted', 'request aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new SourceError('aborted', 'request aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
