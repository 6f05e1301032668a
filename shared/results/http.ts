import { SourceError } from './source';

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
  /** Largest answer read, in bytes (default 64 MiB): a platform cannot fill the worker's memory. */
  maxBytes?: number;
}

export interface HttpRequest {
  method?: 'GET' | 'POST';
  accept: string;
  contentType?: string;
  body?: string | Uint8Array;
  /** Extra headers (SOAPAction, signatures …). */
  headers?: Record<string, string>;
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  bytes: Uint8Array;
}

/**
 * One request with the platform's failure rules: a timeout per attempt, retries of 429/5xx/network
 * failures with backoff (Retry-After honoured), 401/403 as unauthorized, other statuses as a bad
 * response. Errors are SourceErrors whose message names the failure only: never the URL or body,
 * which may carry a patient identifier. Searches and document queries are safe to repeat, so POSTs
 * are retried too.
 */
export async function request(url: string, http: HttpOptions, signal: AbortSignal | undefined, req: HttpRequest): Promise<HttpAnswer> {
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw new SourceError('aborted', 'request aborted');
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), http.timeoutMs);
    const onAbort = () => timeout.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const headers: Record<string, string> = { accept: req.accept, ...req.headers };
    if (http.token) headers.authorization = `Bearer ${http.token}`;
    if (req.contentType) headers['content-type'] = req.contentType;
    let response: Response;
    try {
      response = await http.fetch(url, { method: req.method ?? 'GET', headers, body: req.body as BodyInit | undefined, signal: timeout.signal, credentials: 'omit' });
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
          const declared = Number(response.headers.get('content-length'));
          if (declared > (http.maxBytes ?? 64 * 1024 * 1024)) throw new SourceError('bad-response', `platform answered ${declared} bytes, more than allowed`, response.status);
          const bytes = new Uint8Array(await response.arrayBuffer());
          if (bytes.byteLength > (http.maxBytes ?? 64 * 1024 * 1024)) throw new SourceError('bad-response', 'platform answered more bytes than allowed', response.status);
          return { status: response.status, contentType: response.headers.get('content-type') ?? '', bytes };
        } catch (err) {
          if (err instanceof SourceError) throw err;
          if (timeout.signal.aborted && !signal?.aborted) throw new SourceError('timeout', `platform did not answer within ${http.timeoutMs} ms`);
          if (signal?.aborted) throw new SourceError('aborted', 'request aborted');
          throw new SourceError('unreachable', 'platform connection broke off');
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

/** GETs (or POSTs a form) and parses JSON. */
export async function requestJson(url: string, http: HttpOptions, signal: AbortSignal | undefined, req: HttpRequest): Promise<unknown> {
  const answer = await request(url, http, signal, req);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(answer.bytes));
  } catch {
    throw new SourceError('bad-response', 'platform answered with invalid JSON', answer.status);
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
