import type { EncounterContext } from '../../../shared/domain/encounter';
import type { ExternalResult } from '../../../shared/domain/external-result';
import { loadBundledPacks } from '../../../shared/rules';
import type { ResultsQuery, ResultsSource } from '../../../shared/results/source';
import { DexieDecisionStore } from '../../../shared/storage/decision-store';
import { HurenDb } from '../../../shared/storage/db';
import type { PanelServices } from '../../../shared/ui/panel/services';

export const NOW = new Date('2026-11-22T10:00:00+08:00');
const ORG = 'https://huren.example/fhir/sid/org';
const LOINC = 'http://loinc.org';

export const zhang: EncounterContext = {
  patient: { identifier: { system: 'urn:oid:2.16.156.10011.1.4', value: '440802197003150017' }, name: '张伟', gender: '男', age: '56岁' },
  orders: [],
  user: { physician: '李明', department: '心血管内科' },
  flags: [],
};
export const wang: EncounterContext = {
  ...zhang,
  patient: { identifier: { system: 'urn:oid:2.16.156.10011.1.4', value: '44080219850621002X' }, name: '王芳', gender: '女', age: '41岁' },
};

const zxyy = { identifiers: [{ system: ORG, value: 'zj-zxyy' }], name: '湛江中心人民医院' };
const cbcReport = { id: 'DiagnosticReport/cbc-1', name: '血常规' };

function analyte(id: string, code: string, name: string, value: number, unit: string, low: number, high: number, interpretation = 'N'): ExternalResult {
  return {
    id: `Observation/${id}`,
    category: 'lab',
    item: { name, codes: [{ system: LOINC, code }] },
    value,
    unit,
    referenceRange: { low, high },
    interpretation,
    abnormal: interpretation !== 'N',
    collectedAt: '2026-11-19T08:30:00+08:00',
    reportedAt: '2026-11-19T11:00:00+08:00',
    issuer: zxyy,
    reportNumber: 'JY20261119-0031',
    marks: ['湛江市 HR'],
    status: 'final',
    report: cbcReport,
  };
}

export const wbc = analyte('wbc-1', '6690-2', '白细胞计数', 6.2, '10*9/L', 3.5, 9.5);
export const hgb = analyte('hgb-1', '718-7', '血红蛋白', 168, 'g/L', 130, 175);
export const plt = analyte('plt-1', '777-3', '血小板计数', 98, '10*9/L', 125, 350, 'L');
export const chestCt: ExternalResult = {
  id: 'DiagnosticReport/ct-1',
  category: 'imaging',
  item: { name: '胸部CT平扫', codes: [{ system: 'https://huren.example/fhir/CodeSystem/exam', code: 'CT-CHEST' }] },
  conclusion: '双肺未见明显异常。',
  collectedAt: '2026-11-10T14:00:00+08:00',
  reportedAt: '2026-11-10T16:00:00+08:00',
  issuer: zxyy,
  reportNumber: 'CT20261110-0102',
  marks: ['湛江市 HR'],
  imagesUrl: 'https://pacs.example/viewer?study=1.2.3',
  status: 'final',
};
/** Older than the 14-day lab limit. */
export const oldLipid: ExternalResult = {
  ...analyte('tc-1', '2093-3', '总胆固醇', 5.1, 'mmol/L', 0, 5.2),
  collectedAt: '2026-10-20T08:00:00+08:00',
  reportedAt: '2026-10-20T12:00:00+08:00',
  report: { id: 'DiagnosticReport/lipid-1', name: '血脂' },
};

/** A results source answering from memory per patient identifier (the panel's only dependency on a platform). */
export function memorySource(byPatient: Record<string, ExternalResult[] | Error>): ResultsSource & { queries: ResultsQuery[] } {
  const queries: ResultsQuery[] = [];
  return {
    id: 'memory',
    queries,
    async fetchResults(query) {
      queries.push(query);
      const answer = byPatient[query.patient.value];
      if (answer instanceof Error) throw answer;
      return { patientFound: answer !== undefined, results: answer ?? [], unreadable: 0, fetchedAt: '2026-11-22T01:30:00Z' };
    },
  };
}

let dbCount = 0;
export function services(source: ResultsSource, extra: Partial<Omit<PanelServices, 'decisions'>> = {}): PanelServices & { decisions: DexieDecisionStore } {
  return {
    source,
    packs: [loadBundledPacks().demo],
    receivingInstitution: 'zj-rmyy',
    decisions: new DexieDecisionStore(new HurenDb(`test-${++dbCount}`)),
    now: () => NOW,
    ...extra,
  };
}
