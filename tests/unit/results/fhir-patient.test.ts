import { createFhirSource, platformPatient } from '../../../shared/results/fhir/fhir-source';
import { Patient } from '../../../shared/results/fhir/fhir-schemas';

/** A platform that knows one patient and holds no results: answers the Patient search, then empty searchsets. */
function platform(patient: unknown) {
  const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/fhir+json' } });
  return (async (input: RequestInfo | URL) => {
    const url = String(input);
    if (url.endsWith('/Patient/_search')) return json({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: patient, search: { mode: 'match' } }] });
    return json({ resourceType: 'Bundle', type: 'searchset', entry: [] });
  }) as typeof fetch;
}

describe('what the platform says about the patient (患者身份核对)', () => {
  it('names (text, or family + given), gender and birth date come with the results', async () => {
    const source = createFhirSource({
      baseUrl: 'https://platform.example/fhir',
      fetch: platform({
        resourceType: 'Patient',
        id: 'p1',
        name: [{ family: '张', given: ['伟'] }, { text: 'Zhang Wei' }],
        gender: 'male',
        birthDate: '1970-03-15',
      }),
    });
    const got = await source.fetchResults({ patient: { value: '440802197003150017' }, since: new Date('2026-01-01') });
    expect(got.patientFound).toBe(true);
    expect(got.patient).toEqual({ names: ['张伟', 'Zhang Wei'], gender: 'male', birthDate: '1970-03-15' });
  });

  it('a malformed demographic field is dropped, never the patient', () => {
    const parsed = Patient.parse({ resourceType: 'Patient', id: 'p2', name: 'not a list', gender: 7, birthDate: '15/03/1970' });
    expect(parsed.id).toBe('p2');
    expect(platformPatient(parsed)).toBeUndefined();
  });
});
