import { normalizeResources } from '../../../shared/results/fhir/normalize';

/*
 * Security review finding: a resource whose resourceType names an Object.prototype member, or a
 * performer reference with malformed percent-encoding, threw in normalization and failed the whole
 * patient. Each bad resource must count as unreadable while the others still show.
 */
const LAB = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }];
const potassium = (id: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Observation', id, status: 'final', category: LAB,
  code: { coding: [{ system: 'http://loinc.org', code: '2823-3' }], text: '钾' },
  effectiveDateTime: '2026-11-20T08:00:00+08:00', valueQuantity: { value: 4.1, unit: 'mmol/L' }, ...extra,
});

describe('hostile resources in a platform answer', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])('a resourceType of %s is skipped, the good result still shows', (type) => {
    const hostile = JSON.parse(`{"resourceType": "${type}", "id": "x"}`);
    const { results } = normalizeResources([hostile, potassium('k1')]);
    expect(results.map((r) => r.id)).toEqual(['Observation/k1']);
  });

  it('a conditional performer reference with malformed percent-encoding keeps the result, issuer read as written', () => {
    const bad = potassium('k2', { performer: [{ reference: 'Organization?identifier=urn:oid:1.2|%E4%ZZ', display: '某医院' }] });
    const { results, unreadable } = normalizeResources([bad, potassium('k3')]);
    expect(unreadable).toBe(0);
    expect(results.map((r) => r.id).sort()).toEqual(['Observation/k2', 'Observation/k3']);
    const k2 = results.find((r) => r.id === 'Observation/k2')!;
    expect(k2.issuer.name).toBe('某医院');
    expect(k2.issuer.identifiers).toEqual([{ system: 'urn:oid:1.2', value: '%E4%ZZ' }]);
  });

  it('a status naming a prototype member does not throw', () => {
    const { results } = normalizeResources([potassium('k4', { status: 'constructor' }), potassium('k5')]);
    expect(results.map((r) => r.id)).toContain('Observation/k5');
  });
});
