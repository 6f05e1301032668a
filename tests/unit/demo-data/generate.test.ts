import type { Bundle, DiagnosticReport, Observation, Organization, Patient, Resource } from '@medplum/fhirtypes';
import { generateDemoData } from '../../../demo/data/generate.ts';
import { idCardCheckChar, isValidIdCard, makeIdCard } from '../../../demo/data/id-card.ts';
import { ANALYTES, HR_MARK_SYSTEM, ID_CARD_SYSTEM, IMMUNOLOGY_PANELS, INSTITUTIONS, ORG_SYSTEM, PANELS } from '../../../demo/data/reference.ts';
import { DemoFhirServer } from '../../../demo/fhir/fhir-server.ts';

const today = new Date('2026-11-22T09:00:00+08:00');
const data = generateDemoData({ today, seed: 7 });
const byUrl = new Map((data.bundle.entry ?? []).map((e) => [e.fullUrl!, e.resource as Resource]));
const resources = [...byUrl.values()];

const CATALOG_LAB = new Set(['6690-2', '789-8', '718-7', '777-3', '1742-6', '1920-8', '1975-2', '1751-7', '2160-0', '3094-0', '3084-1', '2093-3', '2571-8', '2085-9', '13457-7', '1558-6', '4548-4', '2823-3', '2951-2', '2075-0', '5196-1', '5193-8', '13954-3', '13953-5', '13952-7', '3016-3', '3051-0', '3024-7', '5902-2', '3173-2', '6301-6', '3255-7', '1834-1', '2039-6']);
const CATALOG_EXAMS = new Set(['CT-CHEST', 'MR-HEAD', 'US-ABD', 'DR-CHEST', 'ECG-12']);
const SURE = new Set(['zj-zxyy', 'zj-mzqrmyy', 'zj-xsqsq']);
/** The community centre is qualified for 临床化学 and 临床血液体液 only (demo pack). */
const IMMUNOLOGY = new Set(IMMUNOLOGY_PANELS.flatMap((k) => PANELS[k]!.analytes.map((a) => ANALYTES[a].code)));
const qualifiedFor = (issuer: string, imaging: boolean, code: string) => SURE.has(issuer) && (issuer !== 'zj-xsqsq' || (!imaging && !IMMUNOLOGY.has(code)));

type Kind = 'valid' | 'expired' | 'not-in-catalog' | 'unqualified' | 'other';

function orgId(ref: string | undefined): string {
  const org = byUrl.get(ref ?? '') as Organization | undefined;
  return org?.identifier?.find((i) => i.system === ORG_SYSTEM)?.value ?? '?';
}

/** Classifies each result the way the demo pack will (catalog, issuer, time limit at collection). */
function classify(): Map<string, Kind[]> {
  const out = new Map<string, Kind[]>();
  const push = (patient: string, kind: Kind) => out.set(patient, [...(out.get(patient) ?? []), kind]);
  for (const r of resources) {
    if (r.resourceType !== 'Observation' && !(r.resourceType === 'DiagnosticReport' && !r.result)) continue;
    const res = r as Observation | DiagnosticReport;
    if (res.status === 'entered-in-error') continue;
    const code = res.code.coding?.[0]?.code ?? '';
    const imaging = r.resourceType === 'DiagnosticReport';
    const age = (today.getTime() - Date.parse(res.effectiveDateTime!)) / 86_400_000;
    const limit = imaging ? 30 : ['2823-3', '2951-2', '2075-0'].includes(code) ? 7 : code === '4548-4' ? 60 : 14;
    const inCatalog = imaging ? CATALOG_EXAMS.has(code) : CATALOG_LAB.has(code);
    const issuer = orgId(res.performer?.[0]?.reference);
    const kind: Kind = issuer === 'zj-slxrmyy' ? 'unqualified' : !inCatalog ? 'not-in-catalog' : !qualifiedFor(issuer, imaging, code) ? 'other' : age <= limit ? 'valid' : age <= 75 ? 'expired' : 'other';
    push(res.subject!.reference!, kind);
  }
  return out;
}

describe('身份证号', () => {
  it('computes the ISO 7064 MOD 11-2 check character', () => {
    // The example from GB 11643-1999.
    expect(idCardCheckChar('11010519491231002')).toBe('X');
    expect(isValidIdCard('11010519491231002X')).toBe(true);
    expect(isValidIdCard('110105194912310021')).toBe(false);
    expect(isValidIdCard('110105194902310028')).toBe(false); // 2月31日
  });

  it('encodes gender in the 17th digit', () => {
    expect(Number(makeIdCard('440803', '1980-01-02', 10, 'male')[16]) % 2).toBe(1);
    expect(Number(makeIdCard('440803', '1980-01-02', 11, 'female')[16]) % 2).toBe(0);
  });

  it('gives every patient a valid, unique id with a Guangdong area code and their birth date', () => {
    const ids = data.emrPatients.map((p) => p.idCard);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of data.emrPatients) {
      expect(isValidIdCard(p.idCard), p.idCard).toBe(true);
      expect(p.idCard.slice(0, 2)).toBe('44');
      expect(p.idCard.slice(6, 14)).toBe(p.birthDate.replaceAll('-', ''));
      expect(Number(p.idCard[16]) % 2 === 1).toBe(p.gender === '男');
    }
    const patients = resources.filter((r): r is Patient => r.resourceType === 'Patient');
    expect(patients.map((p) => p.identifier?.find((i) => i.system === ID_CARD_SYSTEM)?.value).sort()).toEqual([...ids].sort());
  });
});

describe('generateDemoData', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(JSON.stringify(generateDemoData({ today, seed: 7 }))).toBe(JSON.stringify(data));
    expect(JSON.stringify(generateDemoData({ today, seed: 8 }).emrPatients)).not.toBe(JSON.stringify(data.emrPatients));
  });

  it('dates results relative to today, with +08:00 offsets and report time after collection', () => {
    const later = generateDemoData({ today: new Date('2027-03-01T09:00:00+08:00'), seed: 7 });
    const first = (b: Bundle) => (b.entry!.find((e) => e.resource?.resourceType === 'DiagnosticReport')!.resource as DiagnosticReport).effectiveDateTime!;
    expect(Date.parse(first(later.bundle)) - Date.parse(first(data.bundle))).toBe(99 * 86_400_000);
    for (const r of resources) {
      if (r.resourceType !== 'DiagnosticReport' && r.resourceType !== 'Observation') continue;
      expect(r.effectiveDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
      expect(r.issued).toMatch(/\+08:00$/);
      expect(Date.parse(r.issued!)).toBeGreaterThan(Date.parse(r.effectiveDateTime!));
      expect(Date.parse(r.issued!)).toBeLessThan(today.getTime());
    }
  });

  it('has ≥ 20 Chinese-named patients and ≥ 8 institutions of three levels in ≥ 2 regions', () => {
    expect(data.emrPatients.length).toBeGreaterThanOrEqual(20);
    for (const p of data.emrPatients) {
      expect(p.name).toMatch(/^[\u4e00-\u9fa5]{2,3}$/);
      expect(p.age).toMatch(/^\d+岁$/);
    }
    const orgs = resources.filter((r): r is Organization => r.resourceType === 'Organization');
    expect(orgs.length).toBeGreaterThanOrEqual(8);
    expect(new Set(orgs.map((o) => o.address?.[0]?.city)).size).toBeGreaterThanOrEqual(2);
    const levels = orgs.map((o) => o.type?.[0]?.text ?? '');
    for (const level of ['三级甲等', '二级', '一级']) expect(levels.some((l) => l.startsWith(level))).toBe(true);
    expect(orgs.map((o) => o.identifier?.[0]?.value).sort()).toEqual(INSTITUTIONS.map((i) => i.id).sort());
  });

  it('gives every patient valid, expired, not-in-catalog and unqualified-issuer results', () => {
    const kinds = classify();
    const patients = resources.filter((r) => r.resourceType === 'Patient');
    expect(kinds.size).toBe(patients.length);
    for (const [patient, list] of kinds) {
      for (const kind of ['valid', 'expired', 'not-in-catalog', 'unqualified'] as const) expect(list, `${patient} ${kind}`).toContain(kind);
    }
    const counts = [...kinds.values()].map((l) => l.length).sort((x, y) => y - x);
    expect(counts[2]).toBeGreaterThanOrEqual(100); // a few patients with hundreds of results
    expect(counts[0]).toBeGreaterThanOrEqual(300);
  });

  it('writes labs with UCUM units, own reference ranges varying by institution, and interpretations', () => {
    const obs = resources.filter((r): r is Observation => r.resourceType === 'Observation');
    const highs = new Set<number>();
    for (const o of obs) {
      expect(o.valueQuantity?.system).toBe('http://unitsofmeasure.org');
      expect(o.referenceRange?.length).toBe(1);
      expect(['H', 'L', 'N']).toContain(o.interpretation?.[0]?.coding?.[0]?.code);
      if (o.code.coding?.[0]?.code === '6690-2') highs.add(o.referenceRange![0]!.high!.value!);
    }
    expect(highs.size).toBeGreaterThan(2);
  });

  it('marks results from qualified issuers only, and gives imaging a conclusion and a 云胶片 endpoint', () => {
    for (const r of resources) {
      if (r.resourceType !== 'DiagnosticReport') continue;
      const issuer = orgId(r.performer?.[0]?.reference);
      const marks = (r.meta?.tag ?? []).filter((t) => t.system === HR_MARK_SYSTEM).map((t) => t.code);
      if (issuer === 'zj-slxrmyy') expect(marks).toEqual([]);
      else expect(marks).toEqual([INSTITUTIONS.find((i) => i.id === issuer)!.mark]);
      expect(r.identifier?.[0]?.value).toBeTruthy();
      if (r.result) continue;
      expect(r.conclusion).toBeTruthy();
      expect(['RAD', 'EC']).toContain(r.category?.[0]?.coding?.[0]?.code);
      if (r.imagingStudy) {
        const study = byUrl.get(r.imagingStudy[0]!.reference!) as { endpoint?: { reference?: string }[] };
        const endpoint = byUrl.get(study.endpoint![0]!.reference!) as { address: string };
        expect(endpoint.address).toMatch(/^https:\/\/pacs\.example\/viewer\?study=/);
      }
    }
  });

  it('tells the patient-0 story: 张伟 with a recent 血常规 ordered again', () => {
    const p0 = data.emrPatients[0]!;
    expect(p0.name).toBe('张伟');
    expect(p0.orders.map((o) => o.name)).toContain('血常规');
    const kinds = classify().get([...byUrl].find(([, r]) => r.resourceType === 'Patient')![0])!;
    expect(kinds.filter((k) => k === 'valid').length).toBe(4 + 4 + 1 + 1); // CBC, LFT, CT, HbA1c
    expect(kinds).toContain('unqualified');
    const some = data.emrPatients.filter((p) => p.orders.length === 0);
    expect(some.length).toBeGreaterThan(0);
  });
});

describe('the demo bundle on the FHIR server', () => {
  it('loads with no failures', async () => {
    const server = new DemoFhirServer();
    const { loaded, failed } = await server.load(data.bundle);
    expect(failed).toBe(0);
    expect(loaded).toBe(data.bundle.entry!.length);
  }, 60_000);
});
