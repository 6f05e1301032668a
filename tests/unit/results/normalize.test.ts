import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeResources } from '../../../shared/results/fhir/normalize';

/** Copies of the team fixtures, kept in the repo (see tests/fixtures/README.md). */
const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const read = (name: string) => JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8')) as Record<string, unknown>;

const MARK = 'https://huren.example/fhir/CodeSystem/hr-mark';
const LAB = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }];
const obs = (id: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Observation', id, status: 'final', category: LAB,
  code: { coding: [{ system: 'http://loinc.org', code: '2823-3', display: 'Potassium' }], text: '钾' },
  effectiveDateTime: '2026-11-20T08:00:00+08:00', valueQuantity: { value: 4.1, unit: 'mmol/L' }, ...extra,
});
const report = (id: string, results: string[], extra: Record<string, unknown> = {}) => ({
  resourceType: 'DiagnosticReport', id, status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }],
  code: { text: '电解质' }, issued: '2026-11-20T11:00:00+08:00', result: results.map((r) => ({ reference: `Observation/${r}` })), ...extra,
});

describe('normalizeResources on TW Core examples', () => {
  it('reads a registered report whose item has only code.text and a non-LOINC code', () => {
    const { results, unreadable } = normalizeResources([read('twcore/DiagnosticReport-dia-example.json'), read('twcore/Observation-obs-lab-example.json')]);
    expect(unreadable).toBe(0);
    expect(results).toEqual([
      {
        id: 'Observation/obs-lab-example',
        category: 'lab',
        item: { name: '血中尿素氮', codes: [{ system: 'https://twcore.mohw.gov.tw/ig/twcore/CodeSystem/medical-service-payment-tw', code: '09002C' }] },
        value: 16.6,
        unit: 'mg/dL',
        collectedAt: '2022-07-31',
        reportedAt: '2022-08-01T18:00:14+08:00',
        issuer: { identifiers: [] },
        marks: [],
        status: 'registered',
        report: { id: 'DiagnosticReport/dia-example', name: '血中尿素氮' },
      },
    ]);
  });

  it('reads the Observation alone as a standalone final result', () => {
    const { results } = normalizeResources([read('twcore/Observation-obs-lab-example.json')]);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'final', item: { name: '血中尿素氮' } });
    expect(results[0]!.report).toBeUndefined();
  });
});

describe('normalizeResources rules', () => {
  it('keeps each lab its own range and flag, and unions marks of analyte and report', () => {
    const o = obs('k', {
      referenceRange: [{ low: { value: 3.5 }, high: { value: 5.3 }, text: '3.5-5.3' }],
      interpretation: [{ coding: [{ code: 'H' }] }],
      meta: { tag: [{ system: MARK, code: '湛江市 HR' }, { system: 'other', code: 'x' }] },
    });
    const r = report('r', ['k'], { meta: { tag: [{ system: MARK, code: '湛江市 HR', display: '湛江市 HR' }, { system: MARK, code: '粤HR' }] }, identifier: [{ value: ' A-1 ' }] });
    const [res] = normalizeResources([r, o]).results;
    expect(res).toMatchObject({ referenceRange: { low: 3.5, high: 5.3, text: '3.5-5.3' }, interpretation: 'H', abnormal: true, marks: ['湛江市 HR', '粤HR'], reportNumber: 'A-1', reportedAt: '2026-11-20T11:00:00+08:00' });
  });

  it('drops entered-in-error and cancelled, with their analytes; keeps preliminary marked', () => {
    const { results } = normalizeResources([
      report('gone', ['a']), obs('a', { status: 'entered-in-error' }),
      report('withdrawn', ['b'], { status: 'entered-in-error' }), obs('b'),
      report('pre', ['c'], { status: 'preliminary' }), obs('c'),
      obs('d', { status: 'cancelled' }),
    ]);
    expect(results.map((r) => [r.id, r.status])).toEqual([['Observation/c', 'preliminary']]);
  });

  it('skips and counts resources that do not fit, each once, and ignores types it does not read', () => {
    const bad = obs('bad', { valueQuantity: { value: 'abc' } });
    const { results, unreadable } = normalizeResources([
      bad, bad, obs('ok'), obs('nodate', { effectiveDateTime: 'yesterday' }), { resourceType: 'Observation', status: 'final' },
      { resourceType: 'Claim', id: 'x' }, null, 'junk', { resourceType: 'DiagnosticReport', id: 'r', status: 'final', code: {} },
    ]);
    expect(results.map((r) => r.id)).toEqual(['Observation/ok']);
    expect(unreadable).toBe(4);
  });

  it('falls back to reference.display and the identifier of a conditional reference for the issuer', () => {
    const o = obs('x', { performer: [{ reference: 'Organization?identifier=https://github.com/synthetichealth/synthea|abc', display: 'CALLEN LORDE COMM HEALTH CENTER' }] });
    expect(normalizeResources([o]).results[0]!.issuer).toEqual({ identifiers: [{ system: 'https://github.com/synthetichealth/synthea', value: 'abc' }], name: 'CALLEN LORDE COMM HEALTH CENTER' });
    const withOrg = obs('y', { performer: [{ reference: 'Practitioner/p', display: '王医生' }, { reference: 'https://platform.example/fhir/R4/Organization/o1' }] });
    const org = { resourceType: 'Organization', id: 'o1', name: '湛江中心人民医院', identifier: [{ system: 's', value: 'zj-zxyy' }] };
    expect(normalizeResources([withOrg, org]).results[0]!.issuer).toEqual({ identifiers: [{ system: 's', value: 'zj-zxyy' }], name: '湛江中心人民医院' });
  });

  it('reads imaging reports with conclusion and 云胶片, and ignores non-http endpoints', () => {
    const base = { resourceType: 'DiagnosticReport', status: 'final', category: [{ coding: [{ code: 'RAD' }] }], code: { coding: [{ system: 'https://huren.example/fhir/CodeSystem/exam', code: 'CT-CHEST', display: '胸部CT' }] }, effectiveDateTime: '2026-11-18T09:00:00+08:00', conclusion: ' 未见异常。 ' };
    const { results } = normalizeResources([
      { ...base, id: 'ct', imagingStudy: [{ reference: 'ImagingStudy/s1' }] },
      { resourceType: 'ImagingStudy', id: 's1', status: 'available', endpoint: [{ reference: 'Endpoint/e1' }] },
      { resourceType: 'Endpoint', id: 'e1', address: 'https://pacs.example/viewer?study=1.2.3' },
      { ...base, id: 'ct2', imagingStudy: [{ reference: 'ImagingStudy/s2' }] },
      { resourceType: 'ImagingStudy', id: 's2', status: 'available', endpoint: [{ reference: 'Endpoint/e2' }] },
      { resourceType: 'Endpoint', id: 'e2', address: 'javascript:alert(1)' },
    ]);
    expect(results).toHaveLength(2);
    expect(results.find((r) => r.id === 'DiagnosticReport/ct')).toMatchObject({ category: 'imaging', item: { name: '胸部CT' }, conclusion: '未见异常。', imagesUrl: 'https://pacs.example/viewer?study=1.2.3' });
    expect(results.find((r) => r.id === 'DiagnosticReport/ct2')!.imagesUrl).toBeUndefined();
  });

  it('ignores vital signs, surveys, clinical notes and panel-only Observations', () => {
    const { results } = normalizeResources([
      obs('vs', { category: [{ coding: [{ code: 'vital-signs' }] }] }),
      obs('panel', { valueQuantity: undefined, hasMember: [{ reference: 'Observation/x' }] }),
      { resourceType: 'DiagnosticReport', id: 'note', status: 'final', category: [{ coding: [{ system: 'http://loinc.org', code: '34117-2' }] }], code: { text: 'note' } },
      { resourceType: 'DiagnosticReport', id: 'survey', status: 'final', code: { text: 'PHQ-2' }, result: [{ reference: 'Observation/q' }] },
      obs('q', { category: [{ coding: [{ code: 'survey' }] }] }),
    ]);
    expect(results).toEqual([]);
  });
});
