// @vitest-environment node
import { generateDemoData } from '../../../demo/data/generate.ts';
import { startDemoServer, type DemoServer } from '../../../demo/server/demo-server.ts';
import { createFhirSource } from '../../../shared/results/fhir/fhir-source';
import { sinceFor } from '../../../shared/results/since';
import { loadBundledPacks } from '../../../shared/rules/bundled.ts';
import { evaluate } from '../../../shared/rules/evaluate.ts';

/** The generator's contract with the demo rule pack, through the real server, source and engine. */
const today = new Date();
const data = generateDemoData({ today });
let server: DemoServer;
beforeAll(async () => {
  server = await startDemoServer({ port: 0, bundles: [data.bundle] });
}, 60_000);
afterAll(() => server?.close());

async function judge(i: number) {
  const source = createFhirSource({ baseUrl: server.fhirBase });
  const patient = data.emrPatients[i]!;
  const got = await source.fetchResults({ patient: { system: 'urn:oid:2.16.156.10011.1.3', value: patient.idCard }, since: sinceFor(today, 60) });
  const evaluation = evaluate({ packs: [loadBundledPacks().demo], receivingInstitution: 'zj-rmyy', now: today, results: got.results, orders: patient.orders });
  return { results: got.results, evaluation };
}

describe('demo data under the demo pack', () => {
  it('tells the patient-0 story', async () => {
    const { results, evaluation } = await judge(0);
    const byItem = new Map<string, string>();
    results.forEach((r, k) => byItem.set(r.report?.name ?? r.item.name, evaluation.verdicts[k]!.status));
    expect(Object.fromEntries(byItem)).toEqual({
      血常规: 'recognizable',
      肝功能: 'recognizable',
      胸部CT: 'recognizable',
      糖化血红蛋白: 'recognizable',
      电解质: 'expired',
      血脂: 'expired',
      胸部X线: 'expired',
      肾功能: 'issuer-not-qualified',
      降钙素原: 'not-in-catalog',
    });
    const cbcOrder = evaluation.prompts.orders.find((o) => o.order.name === '血常规')!;
    expect(cbcOrder.best?.status).toBe('recognizable');
  });

  it('gives every patient recognizable, expired, not-in-catalog and issuer-not-qualified results', async () => {
    for (let i = 0; i < data.emrPatients.length; i++) {
      const statuses = new Set((await judge(i)).evaluation.verdicts.map((v) => v.status));
      for (const s of ['recognizable', 'expired', 'not-in-catalog', 'issuer-not-qualified']) expect(statuses, `patient ${i} ${s}`).toContain(s);
    }
  }, 60_000);
});
