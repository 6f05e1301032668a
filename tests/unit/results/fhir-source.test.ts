// @vitest-environment node
// Node's own fetch (undici), as in a service worker; happy-dom's fetch is slow and logs every failure.
import type { Bundle, Observation, Resource } from '@medplum/fhirtypes';
import { ExternalResult } from '../../../shared/domain/external-result';
import { createFhirSource, type FhirSourceConfig } from '../../../shared/results/fhir/fhir-source';
import { sinceFor } from '../../../shared/results/since';
import { SourceError, type ResultsQuery } from '../../../shared/results/source';
import { generateDemoData } from '../../../demo/data/generate.ts';
import { startDemoServer, type DemoServer } from '../../../demo/server/demo-server.ts';

const ID_SYSTEM = 'urn:oid:2.16.156.10011.1.3';
const today = new Date();
const data = generateDemoData({ today, seed: 11 });
const since = sinceFor(today, 60);
let server: DemoServer;

beforeAll(async () => {
  server = await startDemoServer({ port: 0, bundles: [data.bundle] });
}, 60_000);
afterAll(() => server?.close());
afterEach(() => {
  server.faults.failNext = undefined;
  server.faults.delayMs = undefined;
  server.faults.requireToken = undefined;
});

function source(extra: Partial<FhirSourceConfig> = {}) {
  return createFhirSource({ baseUrl: server.fhirBase, backoffMs: 5, ...extra });
}

function query(i: number, extra: Partial<ResultsQuery> = {}): ResultsQuery {
  return { patient: { system: ID_SYSTEM, value: data.emrPatients[i]!.idCard }, since, ...extra };
}

/** What the platform holds for patient i inside the window: analytes plus imaging exams. */
function expectedCount(i: number): number {
  const entries = data.bundle.entry!;
  const patientUrl = entries.filter((e) => e.resource?.resourceType === 'Patient')[i]!.fullUrl;
  const sinceDay = since.toISOString().slice(0, 10);
  return entries
    .map((e) => e.resource as Resource & { subject?: { reference?: string }; effectiveDateTime?: string; status?: string; result?: unknown })
    .filter((r) => r.subject?.reference === patientUrl && r.effectiveDateTime! >= sinceDay && r.status !== 'entered-in-error')
    .filter((r) => r.resourceType === 'Observation' || (r.resourceType === 'DiagnosticReport' && !r.result)).length;
}

async function serverPatientId(i: number): Promise<string> {
  const res = await fetch(`${server.fhirBase}/Patient?identifier=${encodeURIComponent(`${ID_SYSTEM}|${data.emrPatients[i]!.idCard}`)}`);
  return ((await res.json()) as Bundle).entry![0]!.resource!.id!;
}

describe('FHIR source against the demo platform over HTTP', () => {
  it('reads patient 0 (张伟): labs with their own ranges, marks, issuers, 档案号, imaging with 云胶片', async () => {
    const got = await source().fetchResults(query(0));
    expect(got.patientFound).toBe(true);
    expect(got.unreadable).toBe(0);
    expect(got.results.length).toBe(expectedCount(0));
    for (const r of got.results) expect(ExternalResult.safeParse(r).success).toBe(true);

    const wbc = got.results.find((r) => r.item.codes.some((c) => c.code === '6690-2'))!;
    expect(wbc).toMatchObject({
      category: 'lab',
      item: { name: '白细胞计数' },
      unit: '10^9/L',
      marks: ['湛江市 HR'],
      status: 'final',
      issuer: { name: '湛江中心人民医院', identifiers: [{ system: 'https://huren.example/fhir/sid/org', value: 'zj-zxyy' }] },
      report: { name: '血常规' },
    });
    expect(typeof wbc.value).toBe('number');
    expect(wbc.referenceRange?.high).toBeGreaterThan(9);
    expect(['H', 'L', 'N']).toContain(wbc.interpretation);
    expect(wbc.reportNumber).toMatch(/^ZJZX-L\d{13}$/);
    expect(wbc.collectedAt).toMatch(/\+08:00$/);

    const ct = got.results.find((r) => r.item.name === '胸部CT')!;
    expect(ct.category).toBe('imaging');
    expect(ct.conclusion).toContain('微小结节');
    expect(ct.imagesUrl).toMatch(/^https:\/\/pacs\.example\/viewer\?study=/);

    const unqualified = got.results.filter((r) => r.issuer.identifiers[0]?.value === 'zj-slxrmyy');
    expect(unqualified.length).toBe(3);
    for (const r of unqualified) expect(r.marks).toEqual([]);
    const hba1c = got.results.find((r) => r.item.codes.some((c) => c.code === '4548-4'))!;
    expect(hba1c.report).toBeUndefined(); // standalone Observation
    expect(hba1c.reportNumber).toBeTruthy();
  });

  it('follows Bundle.link next through ≥ 3 pages and keeps every result once', async () => {
    const urls: string[] = [];
    const pages: number[] = [];
    const recording: typeof fetch = (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    };
    const got = await source({ pageSize: 25, fetch: recording }).fetchResults(query(1, { onProgress: (p) => pages.push(p.pages) }));
    const expected = expectedCount(1);
    expect(expected).toBeGreaterThan(300);
    expect(got.results.length).toBe(expected);
    expect(new Set(got.results.map((r) => r.id)).size).toBe(expected);
    expect(urls.filter((u) => u.includes('_offset=')).length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...pages)).toBeGreaterThanOrEqual(4);
  }, 30_000);

  it('resolves included performers and results (no Organization fetched separately)', async () => {
    const urls: string[] = [];
    const got = await source({ fetch: (i, init) => (urls.push(String(i)), fetch(i, init)) }).fetchResults(query(2));
    expect(urls.some((u) => /\/Organization/.test(u))).toBe(false);
    expect(got.results.every((r) => r.issuer.name && r.issuer.identifiers.length === 1)).toBe(true);
  });

  it('skips and counts malformed resources without losing the rest', async () => {
    const before = await source().fetchResults(query(10));
    const patient = `Patient/${await serverPatientId(10)}`;
    const recent = new Date(today.getTime() - 86_400_000).toISOString().slice(0, 19) + 'Z';
    const category = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }];
    await server.fhir.create({ resourceType: 'Observation', status: 'final', category, subject: { reference: patient }, effectiveDateTime: recent } as Observation);
    await server.fhir.create({ resourceType: 'Observation', status: 'final', category, code: { text: '钾' }, subject: { reference: patient }, effectiveDateTime: recent, valueQuantity: { value: 'abc' } } as unknown as Observation);
    const after = await source().fetchResults(query(10));
    expect(after.unreadable).toBe(before.unreadable + 2);
    expect(after.results.length).toBe(before.results.length);
  });

  it('counts an entry a corrupting proxy mangled as unreadable', async () => {
    let corrupted = false;
    const corrupting: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input).includes('/DiagnosticReport?') || corrupted) return res;
      const body = (await res.json()) as Bundle;
      const obs = body.entry!.find((e) => e.resource?.resourceType === 'Observation')!;
      (obs.resource as unknown as Record<string, unknown>).effectiveDateTime = '22/11/2026';
      corrupted = true;
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/fhir+json' } });
    };
    const got = await source({ fetch: corrupting }).fetchResults(query(0));
    expect(got.unreadable).toBe(1);
    expect(got.results.length).toBe(expectedCount(0) - 1);
  });

  it('retries a 500 and a 429 (Retry-After), then succeeds', async () => {
    server.faults.failNext = { count: 1, status: 500 };
    expect((await source().fetchResults(query(3))).patientFound).toBe(true);
    server.faults.failNext = { count: 2, status: 429 };
    expect((await source().fetchResults(query(3))).results.length).toBe(expectedCount(3));
  });

  it("gives up after the retries with a server error", async () => {
    server.faults.failNext = { count: 10, status: 503 };
    await expect(source({ retries: 1 }).fetchResults(query(3))).rejects.toMatchObject({ name: 'SourceError', kind: 'server', status: 503 });
  });

  it('times out a request that takes too long', async () => {
    server.faults.delayMs = 400;
    const started = Date.now();
    await expect(source({ timeoutMs: 100 }).fetchResults(query(3))).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('sends the bearer token, and reports 401 as unauthorized', async () => {
    server.faults.requireToken = 's3cret';
    await expect(source().fetchResults(query(3))).rejects.toMatchObject({ kind: 'unauthorized', status: 401 });
    await expect(source({ token: 'wrong' }).fetchResults(query(3))).rejects.toBeInstanceOf(SourceError);
    expect((await source({ token: 's3cret' }).fetchResults(query(3))).patientFound).toBe(true);
  });

  it('reports an unknown patient as not found, and a patient without history as empty', async () => {
    const missing = await source().fetchResults({ patient: { system: ID_SYSTEM, value: '44080319900101001X' }, since });
    expect(missing).toMatchObject({ patientFound: false, results: [], unreadable: 0 });
    await server.fhir.create({ resourceType: 'Patient', identifier: [{ system: ID_SYSTEM, value: '440803200001010015' }] });
    const empty = await source().fetchResults({ patient: { system: ID_SYSTEM, value: '440803200001010015' }, since });
    expect(empty).toMatchObject({ patientFound: true, results: [], unreadable: 0 });
  });

  it('finds a patient by FHIR id when configured so', async () => {
    const id = await serverPatientId(3);
    const got = await source({ patientLookup: 'id' }).fetchResults({ patient: { value: id }, since });
    expect(got.results.length).toBe(expectedCount(3));
    expect((await source({ patientLookup: 'id' }).fetchResults({ patient: { value: 'nobody' }, since })).patientFound).toBe(false);
  });

  it('uses the configured identifier system when the page gives none', async () => {
    const got = await source({ identifierSystem: ID_SYSTEM }).fetchResults({ patient: { value: data.emrPatients[3]!.idCard }, since });
    expect(got.patientFound).toBe(true);
  });

  it('never puts the 身份证号 in a URL: only in the body of the Patient _search, and never in error messages', async () => {
    const idCard = data.emrPatients[4]!.idCard;
    const requests: { url: string; body: string; headers: Record<string, string> }[] = [];
    await source({
      token: 't',
      fetch: (i, init) => (requests.push({ url: String(i), body: String(init?.body ?? ''), headers: init?.headers as Record<string, string> }), fetch(i, init)),
    }).fetchResults(query(4));
    expect(requests.filter((r) => decodeURIComponent(r.url).includes(idCard))).toEqual([]);
    expect(requests.filter((r) => decodeURIComponent(r.body).includes(idCard)).map((r) => r.url)).toEqual([`${server.fhirBase}/Patient/_search`]);
    expect(requests[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(requests.every((r) => r.headers.authorization === 'Bearer t')).toBe(true);
    server.faults.failNext = { count: 10, status: 500 };
    const err = (await source({ retries: 0 }).fetchResults(query(4)).catch((e: Error) => e)) as Error;
    expect(String(err.message)).not.toContain(idCard);
    expect(String(err.message)).not.toContain('http');
  });

  it('reports an unreachable platform and an abort', async () => {
    await expect(createFhirSource({ baseUrl: 'http://127.0.0.1:9/fhir/R4', retries: 0 }).fetchResults(query(0))).rejects.toMatchObject({ kind: 'unreachable' });
    const abort = new AbortController();
    abort.abort();
    await expect(source().fetchResults(query(0, { signal: abort.signal }))).rejects.toMatchObject({ kind: 'aborted' });
  });

  it('halves _count when the first page is refused with 400 (include limits), then pages on', async () => {
    const counts: number[] = [];
    const picky: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      if (url.pathname.endsWith('/DiagnosticReport')) {
        // Two report searches run side by side (by effective date, and issued-only): count the first.
        if (!url.searchParams.has('date:missing')) counts.push(Number(url.searchParams.get('_count')));
        if (Number(url.searchParams.get('_count')) > 20) return new Response('{"resourceType":"OperationOutcome"}', { status: 400 });
      }
      return fetch(input, init);
    };
    const got = await source({ fetch: picky, reportPageSize: 80 }).fetchResults(query(1));
    expect(got.results.length).toBe(expectedCount(1));
    expect(counts.slice(0, 3)).toEqual([80, 40, 20]);
    expect(counts.slice(3).every((c) => c === 20)).toBe(true);
  }, 30_000);

  it('refuses a next link to another origin (it would carry the token there)', async () => {
    const redirecting: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input).includes('/Observation?')) return res;
      const body = (await res.json()) as Bundle;
      body.link = [{ relation: 'next', url: 'https://evil.example/fhir/R4/Observation?page=2' }];
      return new Response(JSON.stringify(body), { status: 200 });
    };
    await expect(source({ fetch: redirecting }).fetchResults(query(0))).rejects.toMatchObject({ kind: 'bad-response' });
  });
});
