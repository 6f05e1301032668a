import { requestJson, type HttpOptions } from '../http';

export { retryAfter, type HttpOptions } from '../http';

/**
 * GETs (or, with `form`, POSTs a FHIR `_search` with a form body) and parses JSON, retrying
 * 429/5xx/network failures (shared/results/http.ts). Messages never carry the URL.
 */
export function getJson(url: string, http: HttpOptions, signal?: AbortSignal, form?: URLSearchParams): Promise<unknown> {
  return requestJson(url, http, signal, {
    method: form ? 'POST' : 'GET',
    accept: 'application/fhir+json, application/json;q=0.9',
    ...(form ? { contentType: 'application/x-www-form-urlencoded', body: form.toString() } : {}),
  });
}
