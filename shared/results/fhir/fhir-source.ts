import type { PatientIdentifier } from '../../domain/encounter';
import type { PlatformPatient } from '../../domain/patient-check';
import { SourceError, type ResultsFetch, type ResultsQuery, type ResultsSource } from '../source';
import { Patient, SearchBundle } from './fhir-schemas';
import { getJson, type HttpOptions } from './http';
import { normalizeResources } from './normalize';
import { anySignal } from '../../compat/web';

export interface FhirSourceConfig {
  /** FHIR R4 base, e.g. "https://platform.example/fhir/R4" (no trailing slash needed). */
  baseUrl: string;
  /** Bearer token sent on every request. */
  token?: string | undefined;
  /** Used when the page gives the patient identifier without a system. */
  identifierSystem?: string | undefined;
  /** How to find the patient: by `identifier` (default) or by FHIR logical id (`Patient/<value>`). */
  patientLookup?: 'identifier' | 'id';
  /**
   * How searches name the patient: `subject=Patient/<id>` (default) or `patient=<id>`. Both are
   * standard R4; `subject` is far cheaper on servers that evaluate `patient` as a FHIRPath union.
   */
  patientParam?: 'subject' | 'patient';
  /** Per request, default 10 s (MV3 service workers die at 30 s). */
  timeoutMs?: number;
  /** Retries of 429/5xx/network failures, default 2. */
  retries?: number;
  /** First backoff delay in ms, default 300. */
  backoffMs?: number;
  fetch?: typeof fetch;
  /** `_count` per page, default 200. */
  pageSize?: number;
  /**
   * `_count` per page of DiagnosticReports, default 50: each brings its analytes and performer
   * along, and servers cap the included resources per page (Medplum: 1,000).
   */
  reportPageSize?: number;
  /** Stop following `next` after this many pages per search, default 100. */
  maxPages?: number;
  /** meta.tag system of HR marks (docs/fhir-mapping.md). */
  markSystem?: string;
}

/**
 * What a page of reports brings along: analytes (also nested through Observation.hasMember) and the
 * performer, and for a Practitioner or PractitionerRole performer, the organization it works for.
 */
const REPORT_INCLUDES = [
  '_include=DiagnosticReport:result',
  '_include=DiagnosticReport:performer',
  '_include:iterate=Observation:has-member',
  '_revinclude:iterate=PractitionerRole:practitioner',
  '_include:iterate=PractitionerRole:organization',
].join('&');

/** A results source that reads a FHIR R4 platform (区域平台) with plain REST searches. */
export function createFhirSource(config: FhirSourceConfig): ResultsSource {
  const base = config.baseUrl.replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const http: HttpOptions = {
    token: config.token,
    timeoutMs: config.timeoutMs ?? 10_000,
    retries: config.retries ?? 2,
    backoffMs: config.backoffMs ?? 300,
    maxRetryAfterMs: 10_000,
    // Bound so a page's own `fetch` patches never see our calls' `this`.
    fetch: config.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  };
  const pageSize = config.pageSize ?? 200;
  const reportPageSize = config.reportPageSize ?? Math.min(50, pageSize);
  const maxPages = config.maxPages ?? 100;
  const patientParam = config.patientParam ?? 'subject';

  async function findPatient(patient: PatientIdentifier, signal?: AbortSignal): Promise<Patient | undefined> {
    if (config.patientLookup === 'id') {
      if (!/^[A-Za-z0-9\-.]{1,64}$/.test(patient.value)) return undefined;
      try {
        const found = Patient.safeParse(await getJson(`${base}/Patient/${patient.value}`, http, signal));
        return found.success ? found.data : undefined;
      } catch (err) {
        if (err instanceof SourceError && (err.status === 404 || err.status === 410)) return undefined;
        throw err;
      }
    }
    const system = patient.system ?? config.identifierSystem;
    const token = system ? `${system}|${patient.value}` : patient.value;
    // The only request that carries the identifier, and only in a POST body (FHIR `_search`), so
    // the 身份证号 never stands in a URL that proxies and server logs keep.
    const form = new URLSearchParams({ identifier: token, _count: '2' });
    const page = parseBundle(await getJson(`${base}/Patient/_search`, http, signal, form));
    for (const entry of page.entry ?? []) {
      const found = Patient.safeParse(entry.resource);
      if (found.success && entry.search?.mode !== 'include') return found.data;
    }
    return undefined;
  }

  /**
   * GETs a page. A first page refused with 400 is retried with half the `_count` (down to 10):
   * servers refuse pages whose includes exceed their limit. Later pages are `next` links, verbatim.
   */
  async function getPage(url: string, first: boolean, signal?: AbortSignal): Promise<unknown> {
    for (;;) {
      try {
        return await getJson(url, http, signal);
      } catch (err) {
        const count = Number(new URL(url).searchParams.get('_count'));
        if (!first || !(err instanceof SourceError) || err.status !== 400 || !(count > 10)) throw err;
        url = url.replace(/([?&]_count=)\d+/, `$1${Math.max(10, Math.floor(count / 2))}`);
      }
    }
  }

  /** Runs one search and follows `Bundle.link[next]` verbatim, collecting every entry's resource. */
  async function searchAll(first: string, sink: unknown[], progress: { pages: number; resources: number }, query: ResultsQuery): Promise<void> {
    let url: string | undefined = first;
    const seen = new Set<string>();
    while (url) {
      if (seen.size >= maxPages) throw new SourceError('bad-response', `more than ${maxPages} pages`);
      seen.add(url);
      const page = parseBundle(await getPage(url, seen.size === 1, query.signal));
      for (const entry of page.entry ?? []) if (entry.resource !== undefined && entry.search?.mode !== 'outcome') sink.push(entry.resource);
      progress.pages++;
      progress.resources += page.entry?.length ?? 0;
      query.onProgress?.({ ...progress });
      const next: string | undefined = page.link?.find((l) => l.relation === 'next')?.url;
      if (next && (seen.has(next) || !sameOrigin(next, origin))) {
        // A loop, or a link that would send our token elsewhere.
        throw new SourceError('bad-response', 'platform sent an unusable next link');
      }
      url = next;
    }
  }

  return {
    id: `fhir:${base}`,
    async fetchResults(query: ResultsQuery): Promise<ResultsFetch> {
      const found = await findPatient(query.patient, query.signal);
      const fetchedAt = new Date().toISOString();
      if (!found) return { patientFound: false, results: [], unreadable: 0, fetchedAt };
      const patientId = found.id;
      const since = dateParam(query.since);
      const p = patientParam === 'patient' ? `patient=${encodeURIComponent(patientId)}` : `subject=Patient/${encodeURIComponent(patientId)}`;
      // No _sort: every page is read and results are sorted locally, and server-side sorting is
      // the costliest part of a search on some servers (Medplum's memory repository: 10×).
      const searches = [
        // Panels nest: a report's result may be an Observation whose hasMember are the analytes; a
        // performer may be a PractitionerRole whose organization is the issuer.
        `${base}/DiagnosticReport?${p}&date=ge${since}&${REPORT_INCLUDES}&_count=${reportPageSize}`,
        // Reports with no effective time are dated by `issued` (the verdict says so): found by it.
        `${base}/DiagnosticReport?${p}&date:missing=true&issued=ge${since}&${REPORT_INCLUDES}&_count=${reportPageSize}`,
        `${base}/Observation?${p}&date=ge${since}&category=laboratory&_include=Observation:performer&_include=Observation:has-member&_include:iterate=PractitionerRole:organization&_count=${pageSize}`,
        `${base}/ImagingStudy?${p}&started=ge${since}&_include=ImagingStudy:endpoint&_count=${pageSize}`,
      ];
      const progress = { pages: 0, resources: 0 };
      const sinks = searches.map(() => [] as unknown[]);
      // The searches run side by side; the first failure stops the others.
      const stop = new AbortController();
      const signal = query.signal ? anySignal([query.signal, stop.signal]) : stop.signal;
      try {
        await Promise.all(searches.map((url, i) => searchAll(url, sinks[i]!, progress, { ...query, signal })));
      } catch (err) {
        stop.abort();
        throw err;
      }
      const { results, unreadable } = normalizeResources(sinks.flat(), config.markSystem ? { markSystem: config.markSystem } : {});
      const about = platformPatient(found);
      return { patientFound: true, ...(about ? { patient: about } : {}), results, unreadable, fetchedAt: new Date().toISOString() };
    },
  };
}

/** What a FHIR Patient says about who it is: names (text, or family + given), gender, birth date. */
export function platformPatient(patient: Patient): PlatformPatient | undefined {
  const names = (patient.name ?? [])
    .map((n) => n.text?.trim() || `${n.family ?? ''}${(n.given ?? []).join('')}`.trim())
    .filter((n) => n.length > 0 && n.length <= 64);
  const about: PlatformPatient = {
    ...(names.length ? { names } : {}),
    ...(patient.gender ? { gender: patient.gender } : {}),
    ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
  };
  return Object.keys(about).length ? about : undefined;
}

function parseBundle(json: unknown): SearchBundle {
  const page = SearchBundle.safeParse(json);
  if (!page.success) throw new SourceError('bad-response', 'platform answered with something other than a search Bundle');
  return page.data;
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/** A date-only search value: every platform compares it the same way, whatever the stored offsets. */
function dateParam(since: Date): string {
  if (Number.isNaN(since.getTime())) throw new RangeError('since is not a valid date');
  return since.toISOString().slice(0, 10);
}
