// @vitest-environment node
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { DemoFhirServer } from '../../../demo/fhir/fhir-server.ts';
import { startDemoServer, type DemoServer } from '../../../demo/server/demo-server.ts';
import { createFhirSource } from '../../../shared/results/fhir/fhir-source';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const synthea = JSON.parse(readFileSync(resolve(FIXTURES, 'synthea-patient.json'), 'utf8')) as Bundle;
const patient = synthea.entry!.find((e) => e.resource?.resourceType === 'Patient')!.resource as Patient;
const mrn = patient.identifier!.find((i) => i.type?.coding?.[0]?.code === 'MR')!;

describe('the Synthea fixture', () => {
  it('loads into DemoFhirServer: transaction, urn:uuid fullUrls, conditional references', async () => {
    const fhir = new DemoFhirServer();
    expect(await fhir.load(synthea)).toEqual({ loaded: 358, failed: 0 });
  }, 30_000);

  describe('read through the FHIR source', () => {
    let server: DemoServer;
    beforeAll(async () => {
      server = await startDemoServer({ port: 0, bundles: [synthea] });
    }, 30_000);
    afterAll(() => server?.close());

    it('maps 54 lab analytes and 5 imaging studies; issuers from conditional references fall back to display', async () => {
      const source = createFhirSource({ baseUrl: server.fhirBase });
      const got = await source.fetchResults({ patient: { system: mrn.system!, value: mrn.value! }, since: new Date('2010-01-01') });
      expect(got.unreadable).toBe(0);
      expect(got.results.filter((r) => r.category === 'lab')).toHaveLength(54);
      expect(got.results.filter((r) => r.category === 'imaging')).toHaveLength(5);

      // The same lipid panel at two institutions, 19 days apart.
      const ldl = got.results.filter((r) => r.item.codes.some((c) => c.code === '2085-9'));
      expect(ldl.map((r) => r.issuer.name).sort()).toEqual(['CALLEN LORDE COMM HEALTH CENTER', 'SINDEE GERSTEIN FAMILY NURSE PRACTITIONER PLLC']);
      expect(ldl[0]!.issuer.identifiers[0]!.system).toBe('https://github.com/synthetichealth/synthea');
      expect(ldl[0]).toMatchObject({ unit: 'mg/dL', status: 'final', report: { name: 'Lipid panel with direct LDL - Serum or Plasma' } });
      expect(typeof ldl[0]!.value).toBe('number');
      expect(ldl[0]!.referenceRange).toBeUndefined(); // Synthea writes none

      const xray = got.results.filter((r) => r.item.name === 'Plain X-ray of chest (procedure)');
      expect(xray).toHaveLength(2);
      expect(xray[0]!.conclusion).toBeUndefined();
    });

    it('respects the window: only the 2023 labs and imaging after 2023-01-01', async () => {
      const source = createFhirSource({ baseUrl: server.fhirBase });
      const got = await source.fetchResults({ patient: { system: mrn.system!, value: mrn.value! }, since: new Date('2023-01-01') });
      expect(got.results.filter((r) => r.category === 'imaging')).toHaveLength(2);
      expect(got.results.every((r) => r.collectedAt! >= '2023')).toBe(true);
    });
  });
});
