// @vitest-environment node
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle } from '@medplum/fhirtypes';
import { startDemoServer, type DemoServer } from '../../../demo/server/demo-server.ts';
import { ID_CARD_SYSTEM } from '../../../shared/domain/codes';
import { createFhirSource } from '../../../shared/results/fhir/fhir-source';
import { evaluate, loadBundledPacks } from '../../../shared/rules';

/** FHIR as others write it (tests/fixtures/fhir-shapes/README.md), through the real server, source and engine. */
const bundle = JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/fhir-shapes/bundle.json'), 'utf8')) as Bundle;

describe('FHIR shapes that used to be dropped', () => {
  let server: DemoServer;
  beforeAll(async () => {
    server = await startDemoServer({ port: 0, bundles: [bundle] });
  }, 30_000);
  afterAll(() => server?.close());

  const fetchAll = () => createFhirSource({ baseUrl: server.fhirBase }).fetchResults({ patient: { system: ID_CARD_SYSTEM, value: '440803198012260194' }, since: new Date('2026-10-01') });

  it('reads every analyte: contained, hasMember, uncategorized, issued-only', async () => {
    const got = await fetchAll();
    expect(got.unreadable).toBe(0);
    const names = got.results.map((r) => r.item.name).sort();
    expect(names).toEqual(['Cholesterol', 'Cholesterol in HDL', 'LDL Chol. (Calc)', 'Triglyceride', 'pCO2', 'pH', '白细胞计数', '空腹血糖', '血红蛋白'].sort());
  });

  it('contained analytes take the report time, issuer and number; their values, units and ranges are kept', async () => {
    const chol = (await fetchAll()).results.find((r) => r.item.name === 'Cholesterol')!;
    expect(chol).toMatchObject({
      value: 6.3, unit: 'mmol/L', referenceRange: { high: 4.5 }, collectedAt: '2026-11-18T08:30:00+08:00', reportNumber: '5234342',
      issuer: { name: '湛江中心人民医院' }, report: { id: 'DiagnosticReport/lipids', name: 'Lipid Panel' },
    });
  });

  it('hasMember panels group their members; a PractitionerRole performer resolves to its organization', async () => {
    const ph = (await fetchAll()).results.find((r) => r.item.name === 'pH')!;
    expect(ph).toMatchObject({ collectedAt: '2026-11-19T09:00:00+08:00', report: { id: 'Observation/bgpanel', name: '动脉血气分析' }, issuer: { name: '湛江中心人民医院', identifiers: [{ value: 'zj-zxyy' }] } });
  });

  it('no effective time: issued is the clock, and the verdict says which clock it used', async () => {
    const got = await fetchAll();
    const hb = got.results.find((r) => r.item.name === '血红蛋白')!;
    expect(hb.collectedAt).toBeUndefined();
    expect(hb.reportedAt).toBe('2026-11-20T11:00:00+08:00');
    // The Practitioner works for 湛江中心人民医院 through a PractitionerRole.
    expect(hb.issuer).toMatchObject({ name: '湛江中心人民医院' });
    const { verdicts } = evaluate({ packs: [loadBundledPacks().demo], receivingInstitution: 'zj-rmyy', now: '2026-11-22T10:00:00+08:00', results: [hb] });
    expect(verdicts[0]).toMatchObject({ status: 'recognizable', clockBasis: 'report', clockDate: '2026-11-20' });
  });

  it('a Practitioner performer with no organization leaves the issuer unknown, never the doctor', async () => {
    const glu = (await fetchAll()).results.find((r) => r.item.name === '空腹血糖')!;
    expect(glu.issuer.name).toBeUndefined();
    expect(glu.issuer.identifiers).toEqual([]);
    const { verdicts } = evaluate({ packs: [loadBundledPacks().demo], receivingInstitution: 'zj-rmyy', now: '2026-11-22T10:00:00+08:00', results: [glu] });
    expect(verdicts[0]!.status).toBe('unknown-issuer');
  });
});
