// @vitest-environment node
import { demoDocuments } from '../../../demo/cda/demo-documents.ts';
import { demoCdaSettings } from '../../../demo/cda/settings.ts';
import { labDocument } from '../../../demo/cda/write-cda.ts';
import { generateDemoData } from '../../../demo/data/generate.ts';
import { startDemoServer, type DemoServer } from '../../../demo/server/demo-server.ts';
import { ID_CARD_SYSTEM } from '../../../shared/domain/codes';
import { createCdaSource } from '../../../shared/results/cda/cda-source';
import { loadResults } from '../../../shared/results/cached-source';
import { createFhirSource } from '../../../shared/results/fhir/fhir-source';
import { sinceFor } from '../../../shared/results/since';
import { SourceError, type ResultsFetch } from '../../../shared/results/source';
import { evaluate, loadBundledPacks } from '../../../shared/rules';

/**
 * The CDA source against the demo platform's own XDS.b endpoints (ITI-18, then ITI-43 answered as
 * MTOM) and REST wrapper, over HTTP: the same patients' results as the FHIR platform serves.
 */
const TODAY = new Date('2026-11-22T09:00:00+08:00');
const demo = generateDemoData({ today: TODAY });
const docs = demoDocuments(demo.bundle);
const zhang = demo.emrPatients[0]!;
const since = sinceFor(TODAY, 60);
const patient = (i: number) => ({ system: ID_CARD_SYSTEM, value: demo.emrPatients[i]!.idCard });

let server: DemoServer;
beforeAll(async () => {
  server = await startDemoServer({ port: 0, bundles: [demo.bundle], cdaDocuments: docs });
}, 60_000);
afterAll(() => server?.close());
afterEach(() => {
  Object.assign(server.faults, { failNext: undefined, delayMs: undefined, requireToken: undefined });
});

const xds = (extra = {}) => createCdaSource({ ...demoCdaSettings(server.url, 'xds').cdaSource, backoffMs: 5, ...extra });
const rest = (extra = {}) => createCdaSource({ ...demoCdaSettings(server.url, 'rest').cdaSource, backoffMs: 5, ...extra });

describe('CDA source over XDS.b (SOAP 1.2, MTOM)', () => {
  it('finds and retrieves patient 0 (张伟): the same verdicts as from the FHIR platform', async () => {
    const before = { ...server.cda.counts };
    const got = await xds().fetchResults({ patient: patient(0), since });
    expect(server.cda.counts.registry - before.registry).toBe(1);
    expect(server.cda.counts.repository - before.repository).toBeGreaterThanOrEqual(1);
    expect(got).toMatchObject({ patientFound: true, unreadable: 0 });
    const fhir = await createFhirSource({ baseUrl: server.fhirBase }).fetchResults({ patient: patient(0), since });
    // Both say who the patient is (患者身份核对): the documents' recordTarget, the FHIR Patient.
    const p0 = demo.emrPatients[0]!;
    expect(got.patient).toEqual({ names: [p0.name], gender: p0.gender === '男' ? '1' : '2', birthDate: p0.birthDate });
    expect(fhir.patient).toMatchObject({ names: [p0.name], gender: p0.gender === '男' ? 'male' : 'female', birthDate: p0.birthDate });
    const judge = (f: ResultsFetch) => evaluate({ packs: [loadBundledPacks().demo], receivingInstitution: 'zj-rmyy', now: TODAY, results: f.results }).verdicts;
    const summary = (f: ResultsFetch) => judge(f).map((v) => `${v.item?.id ?? v.item?.name ?? '?'}:${v.status}:${v.clockDate}`).sort();
    // Codes are the issuers' own: the pack's code maps find the same catalog items LOINC found.
    expect(summary(got)).toEqual(summary(fhir));
    expect(got.results.length).toBe(fhir.results.length);
  });

  it('for every demo patient, the documents map (local codes → code maps) to the verdicts the FHIR platform gives', async () => {
    const judge = (f: ResultsFetch) =>
      evaluate({ packs: [loadBundledPacks().demo], receivingInstitution: 'zj-rmyy', now: TODAY, results: f.results })
        .verdicts.filter((v) => v.status !== 'incomplete')
        // Two demo issuers leave 检查日期 out of their 检查报告: those are dated by the report (clockBasis report).
        .map((v) => `${v.item?.id ?? '-'}:${v.status}:${v.item?.category === 'imaging' ? '' : v.clockDate}`)
        .sort();
    for (let i = 0; i < demo.emrPatients.length; i++) {
      const cda = await xds().fetchResults({ patient: patient(i), since });
      const fhir = await createFhirSource({ baseUrl: server.fhirBase }).fetchResults({ patient: patient(i), since });
      expect(cda.unreadable, `patient ${i}`).toBe(0);
      // Documents are shared only when final: FHIR's preliminary/registered reports have no document.
      expect(judge(cda), `patient ${i}`).toEqual(judge(fhir));
    }
  }, 180_000);

  it('carries values, units, ranges, flags, specimen, times, issuer and report number', async () => {
    const got = await xds().fetchResults({ patient: patient(0), since });
    const wbc = got.results.find((r) => r.report?.name === '血常规' && r.item.name === '白细胞计数')!;
    expect(wbc).toMatchObject({ category: 'lab', unit: '10^9/L', specimen: '全血', issuer: { name: '湛江中心人民医院' }, status: 'final' });
    expect(typeof wbc.value).toBe('number');
    expect(wbc.referenceRange?.low).toBeTypeOf('number');
    expect(wbc.item.codes[0]!.system).toBe('urn:huren:issuer-local-item');
    expect(wbc.reportNumber).toMatch(/^ZJZX-L/);
    const ct = got.results.find((r) => r.category === 'imaging' && r.item.name === '胸部CT')!;
    expect(ct.findings).toBeTruthy();
    expect(ct.conclusion).toContain('左肺上叶微小结节');
  });

  it('an unknown patient is "not found", not an error', async () => {
    const got = await xds().fetchResults({ patient: { system: ID_CARD_SYSTEM, value: '440803199001010000' }, since });
    expect(got).toMatchObject({ patientFound: false, results: [] });
  });

  it('the 身份证号 travels only in the SOAP body, never in a URL', async () => {
    const urls: string[] = [];
    const bodies: string[] = [];
    const answers: string[] = [];
    const spy: typeof fetch = async (input, init) => {
      urls.push(String(input));
      bodies.push(new TextDecoder().decode(init?.body as Uint8Array));
      const res = await fetch(input, init);
      answers.push(res.headers.get('content-type') ?? '');
      return res;
    };
    const got = await xds({ fetch: spy }).fetchResults({ patient: patient(0), since });
    expect(got.results.length).toBeGreaterThan(0);
    expect(urls.some((u) => u.includes(zhang.idCard))).toBe(false);
    // ITI-43 answered as MTOM/XOP: the documents came as attachments, referenced by xop:Include.
    expect(urls.filter((u) => u.endsWith('/xds/repository')).length).toBeGreaterThan(0);
    expect(answers[urls.findIndex((u) => u.endsWith('/xds/repository'))]).toMatch(/^multipart\/related;.*type="application\/xop\+xml"/);
    expect(bodies[urls.findIndex((u) => u.endsWith('/xds/repository'))]).toContain('urn:ihe:iti:2007:RetrieveDocumentSet');
    expect(bodies[0]).toContain(`${zhang.idCard}^^^&amp;2.16.156.10011.1.3&amp;ISO`);
    expect(bodies[0]).toContain('urn:ihe:iti:2007:RegistryStoredQuery');
  });

  it('retries a 500, then succeeds; 401 is unauthorized; a stall is a timeout', async () => {
    server.faults.failNext = { count: 2, status: 500 };
    expect((await xds().fetchResults({ patient: patient(0), since })).patientFound).toBe(true);
    server.faults.requireToken = 'secret';
    await expect(xds().fetchResults({ patient: patient(0), since })).rejects.toMatchObject({ kind: 'unauthorized' });
    expect((await xds({ token: 'secret' }).fetchResults({ patient: patient(0), since })).patientFound).toBe(true);
    server.faults.requireToken = undefined;
    server.faults.delayMs = 1500;
    await expect(xds({ timeoutMs: 1000, retries: 0 }).fetchResults({ patient: patient(0), since })).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('an unreachable platform falls back to the cached results, marked stale', async () => {
    const store = new Map<string, ResultsFetch>();
    const cache = {
      put: async (_p: unknown, f: ResultsFetch) => void store.set('z', f),
      get: async () => store.get('z'),
      purgeExpired: async () => 0,
    };
    const fresh = await loadResults(xds(), cache, { patient: patient(0), since });
    expect(fresh.stale).toBe(false);
    server.faults.failNext = { count: 10, status: 503 };
    const stale = await loadResults(xds({ retries: 0 }), cache, { patient: patient(0), since });
    expect(stale).toMatchObject({ stale: true, staleReason: 'server' });
    expect(stale.results.length).toBe(fresh.results.length);
  });
});

describe('CDA source over the REST/JSON wrapper', () => {
  it('reads the documents inline (base64) for every demo patient, none unreadable', async () => {
    for (const i of [0, 3, 5, 9]) {
      const a = await rest().fetchResults({ patient: patient(i), since });
      const b = await xds().fetchResults({ patient: patient(i), since });
      expect(a.unreadable).toBe(0);
      expect(a.results.map((r) => r.id).sort()).toEqual(b.results.map((r) => r.id).sort());
    }
  });

  it('refuses a document that names another patient, and names it', async () => {
    const other = labDocument({ documentId: 'X1', reportNumber: 'WRONG-1', patient: { idCard: '440803199912310011', name: '某某', sex: '1', birth: '1999-12-31' }, issuer: { id: '1', name: '湛江中心人民医院' },
      collected: TODAY, received: TODAY, reported: TODAY, created: TODAY, analytes: [{ code: '1000', name: '白细胞计数', value: 5, resultCode: '1', specimen: '全血' }] });
    server.cda.add({ uniqueId: '2.16.156.10011.99.1.999999', kind: 'lab', patient: zhang.idCard, created: TODAY, xml: other });
    const got = await rest().fetchResults({ patient: patient(0), since });
    expect(got.unreadableDocuments).toContainEqual({ ref: '2.16.156.10011.99.1.999999', reason: expect.stringContaining('文档患者与当前患者不一致') });
    expect(got.results.some((r) => r.reportNumber === 'WRONG-1')).toBe(false);
  });

  it('an answer without the configured document list is a bad response', async () => {
    const source = createCdaSource({ transport: { kind: 'rest', queryUrl: `${server.url}/cda-rest/documents`, documentsPath: 'data', contentPath: 'content' }, backoffMs: 5 });
    await expect(source.fetchResults({ patient: patient(0), since })).rejects.toBeInstanceOf(SourceError);
  });
});
