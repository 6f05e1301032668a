import type { BundleEntry, DiagnosticReport, Endpoint, ImagingStudy, Observation, Organization, Patient, Reference, Resource } from '@medplum/fhirtypes';
import { hashSeed, Random, round } from './random.ts';
import {
  ANALYTES, EXAM_SYSTEM, HR_MARK_SYSTEM, INSTITUTIONS, LEVEL_SYSTEM, LOINC, ORG_SYSTEM, REPORT_NO_SYSTEM, UCUM,
  type Analyte, type AnalyteKey, type Exam, type Institution, type Panel,
} from './reference.ts';

const V2_0074 = 'http://terminology.hl7.org/CodeSystem/v2-0074';
const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const DICOM_MODALITY = 'http://dicom.nema.org/resources/ontology/DCM';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type ReportStatus = 'final' | 'amended' | 'preliminary' | 'registered' | 'entered-in-error' | 'cancelled';

export interface ResultOptions {
  status?: ReportStatus;
  /** 'M' or 'F' ranges. */
  sex: 'M' | 'F';
  /** Force values inside (false) or let them stray outside the reference range (true, default). */
  allowAbnormal?: boolean;
}

/**
 * Appends FHIR resources to a transaction Bundle with urn:uuid fullUrls. Times are China
 * local time written with a +08:00 offset, relative to the injected `today`.
 */
export class BundleBuilder {
  readonly entries: BundleEntry[] = [];
  private readonly orgRefs = new Map<string, Reference<Organization>>();
  private readonly todayCn: number;
  private serial = 0;
  /** Count of results (analytes + imaging exams) per patient urn, for tests and stories. */
  readonly resultCount = new Map<string, number>();

  constructor(private readonly rng: Random, today: Date) {
    // Midnight of today's date in China, expressed as "wall clock as UTC" milliseconds.
    const cn = new Date(today.getTime() + 8 * HOUR);
    this.todayCn = Date.UTC(cn.getUTCFullYear(), cn.getUTCMonth(), cn.getUTCDate());
    for (const inst of INSTITUTIONS) this.orgRefs.set(inst.id, this.addOrganization(inst));
  }

  add<T extends Resource>(resource: T): Reference<T> & { reference: string } {
    const fullUrl = `urn:uuid:${this.rng.uuid()}`;
    this.entries.push({ fullUrl, resource, request: { method: 'POST', url: resource.resourceType } });
    return { reference: fullUrl };
  }

  org(id: string): Reference<Organization> {
    const ref = this.orgRefs.get(id);
    if (!ref) throw new Error(`unknown institution ${id}`);
    return ref;
  }

  /** ISO 8601 with +08:00 for `daysAgo` days before today at hh:mm China time, plus `plusMs`. */
  time(daysAgo: number, hour: number, minute: number, plusMs = 0): string {
    const ms = this.todayCn - daysAgo * DAY + hour * HOUR + minute * 60_000 + plusMs;
    return new Date(ms).toISOString().slice(0, 19) + '+08:00';
  }

  dateCompact(daysAgo: number): string {
    return new Date(this.todayCn - daysAgo * DAY).toISOString().slice(0, 10).replaceAll('-', '');
  }

  private addOrganization(inst: Institution): Reference<Organization> {
    const ref = this.add<Organization>({
      resourceType: 'Organization',
      identifier: [{ system: ORG_SYSTEM, value: inst.id }],
      active: true,
      name: inst.name,
      type: [{ coding: [{ system: LEVEL_SYSTEM, code: inst.levelCode, display: inst.level }], text: inst.level }],
      address: [{ city: inst.region, state: '广东省', country: 'CN' }],
    });
    return { ...ref, display: inst.name };
  }

  private reportNumber(inst: Institution, kind: 'L' | 'R', daysAgo: number): { system: string; value: string } {
    this.serial++;
    return { system: `${REPORT_NO_SYSTEM}/${inst.id}`, value: `${inst.prefix}-${kind}${this.dateCompact(daysAgo)}${String(this.serial).padStart(5, '0')}` };
  }

  private count(patient: Reference<Patient>, n: number): void {
    this.resultCount.set(patient.reference!, (this.resultCount.get(patient.reference!) ?? 0) + n);
  }

  /** One lab panel: a DiagnosticReport (category LAB) with one Observation per analyte. */
  labReport(patient: Reference<Patient>, panel: Panel, orgId: string, daysAgo: number, opts: ResultOptions): string {
    const inst = institution(orgId);
    const hour = this.rng.int(7, 11);
    const minute = this.rng.int(0, 59);
    const collected = this.time(daysAgo, hour, minute);
    const issued = this.time(daysAgo, hour, minute, this.rng.int(2, 6) * HOUR + this.rng.int(0, 59) * 60_000);
    const status = opts.status ?? 'final';
    const performer = [this.org(orgId)];
    const tags = markTags(inst);
    const results = panel.analytes.map((key) =>
      this.add<Observation>({
        resourceType: 'Observation',
        ...(tags ? { meta: { tag: tags } } : {}),
        status,
        category: [{ coding: [{ system: OBS_CATEGORY, code: 'laboratory', display: 'Laboratory' }] }],
        code: analyteCode(key),
        subject: patient,
        effectiveDateTime: collected,
        issued,
        performer,
        ...this.measurement(key, inst, opts),
      }),
    );
    const report = this.add<DiagnosticReport>({
      resourceType: 'DiagnosticReport',
      ...(tags ? { meta: { tag: tags } } : {}),
      identifier: [{ ...this.reportNumber(inst, 'L', daysAgo), type: { text: '档案号' } }],
      status,
      category: [{ coding: [{ system: V2_0074, code: 'LAB', display: 'Laboratory' }], text: '检验' }],
      code: { coding: [{ ...panel.code }], text: panel.name },
      subject: patient,
      effectiveDateTime: collected,
      issued,
      performer,
      result: results,
    });
    this.count(patient, panel.analytes.length);
    return report.reference;
  }

  /** HbA1c and similar single analytes some platforms send without a DiagnosticReport. */
  standaloneObservation(patient: Reference<Patient>, key: AnalyteKey, orgId: string, daysAgo: number, opts: ResultOptions): string {
    const inst = institution(orgId);
    const hour = this.rng.int(7, 11);
    const tags = markTags(inst);
    const ref = this.add<Observation>({
      resourceType: 'Observation',
      ...(tags ? { meta: { tag: tags } } : {}),
      identifier: [{ ...this.reportNumber(inst, 'L', daysAgo), type: { text: '档案号' } }],
      status: opts.status ?? 'final',
      category: [{ coding: [{ system: OBS_CATEGORY, code: 'laboratory', display: 'Laboratory' }] }],
      code: analyteCode(key),
      subject: patient,
      effectiveDateTime: this.time(daysAgo, hour, 10),
      issued: this.time(daysAgo, hour + 3, 40),
      performer: [this.org(orgId)],
      ...this.measurement(key, inst, opts),
    });
    this.count(patient, 1);
    return ref.reference;
  }

  /** An imaging exam: DiagnosticReport (RAD/EC) with a conclusion, plus an ImagingStudy with a 云胶片 Endpoint. */
  imagingReport(patient: Reference<Patient>, exam: Exam, orgId: string, daysAgo: number, opts: Pick<ResultOptions, 'status'> & { conclusion?: string } = {}): string {
    const inst = institution(orgId);
    const hour = this.rng.int(8, 16);
    const minute = this.rng.int(0, 59);
    const started = this.time(daysAgo, hour, minute);
    const issued = this.time(daysAgo, hour, minute, this.rng.int(1, 20) * HOUR);
    const tags = markTags(inst);
    const performer = [this.org(orgId)];
    let study: Reference<ImagingStudy> | undefined;
    if (exam.modality !== 'ECG') {
      const uid = `1.2.156.112605.${hashSeed(inst.id) % 100000}.${this.dateCompact(daysAgo)}.${this.rng.int(100000, 999999)}`;
      const endpoint = this.add<Endpoint>({
        resourceType: 'Endpoint',
        status: 'active',
        connectionType: { system: 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type', code: 'direct-project' },
        name: `${inst.name} 云胶片`,
        managingOrganization: this.org(orgId),
        payloadType: [{ text: '云胶片' }],
        address: `https://pacs.example/viewer?study=${uid}`,
      });
      study = this.add<ImagingStudy>({
        resourceType: 'ImagingStudy',
        identifier: [{ system: 'urn:dicom:uid', value: `urn:oid:${uid}` }],
        status: 'available',
        modality: [{ system: DICOM_MODALITY, code: exam.modality }],
        subject: patient,
        started,
        endpoint: [endpoint],
        numberOfSeries: 1,
        numberOfInstances: this.rng.int(1, 300),
        procedureCode: [{ coding: [{ system: EXAM_SYSTEM, code: exam.code, display: exam.name }], text: exam.name }],
        description: exam.name,
      });
    }
    const coding = [{ system: EXAM_SYSTEM, code: exam.code, display: exam.name }];
    if (exam.loinc) coding.push({ system: LOINC, code: exam.loinc, display: exam.name });
    const report = this.add<DiagnosticReport>({
      resourceType: 'DiagnosticReport',
      ...(tags ? { meta: { tag: tags } } : {}),
      identifier: [{ ...this.reportNumber(inst, 'R', daysAgo), type: { text: '档案号' } }],
      status: opts.status ?? 'final',
      category: [{ coding: [{ system: V2_0074, code: exam.section }], text: exam.section === 'EC' ? '心电' : '影像' }],
      code: { coding, text: exam.name },
      subject: patient,
      effectiveDateTime: started,
      issued,
      performer,
      ...(study ? { imagingStudy: [study] } : {}),
      conclusion: `${this.rng.pick(exam.findings)}${opts.conclusion ?? this.rng.pick(exam.conclusions)}`,
    });
    this.count(patient, 1);
    return report.reference;
  }

  private measurement(key: AnalyteKey, inst: Institution, opts: ResultOptions): Pick<Observation, 'valueQuantity' | 'referenceRange' | 'interpretation'> {
    const an: Analyte = ANALYTES[key];
    const { low, high } = instrumentRange(an, inst, opts.sex);
    let value = this.rng.between(an.min, an.max, an.decimals);
    if (opts.allowAbnormal === false && low !== undefined && high !== undefined) value = this.rng.between(low, high, an.decimals);
    const flag = low !== undefined && value < low ? 'L' : high !== undefined && value > high ? 'H' : 'N';
    const range: NonNullable<Observation['referenceRange']>[number] = {};
    if (low !== undefined) range.low = { value: low, unit: an.unit, system: UCUM, code: an.ucum };
    if (high !== undefined) range.high = { value: high, unit: an.unit, system: UCUM, code: an.ucum };
    range.text = an.text ?? (low === undefined ? `<${high}` : high === undefined ? `≥${low}` : `${low}-${high}`);
    return {
      valueQuantity: { value, unit: an.unit, system: UCUM, code: an.ucum },
      referenceRange: [range],
      interpretation: [{ coding: [{ system: INTERPRETATION, code: flag, display: { H: '偏高', L: '偏低', N: '正常' }[flag] }] }],
    };
  }
}

function institution(id: string): Institution {
  const inst = INSTITUTIONS.find((i) => i.id === id);
  if (!inst) throw new Error(`unknown institution ${id}`);
  return inst;
}

/** HR marks go in meta.tag (see docs/fhir-mapping.md); unqualified issuers carry none. */
function markTags(inst: Institution) {
  return inst.mark ? [{ system: HR_MARK_SYSTEM, code: inst.mark, display: inst.mark }] : undefined;
}

function analyteCode(key: AnalyteKey) {
  const an = ANALYTES[key];
  return { coding: [{ system: an.system ?? LOINC, code: an.code, display: an.name }], text: an.name };
}

/** Different instruments and reagents: each institution's range is shifted by up to ±4 %. */
export function instrumentRange(an: Analyte, inst: Institution, sex: 'M' | 'F'): { low?: number; high?: number } {
  const jitter = (salt: string) => 1 + (((hashSeed(`${inst.id}|${an.code}|${salt}`) % 81) - 40) / 1000);
  const low = sex === 'F' && an.lowF !== undefined ? an.lowF : an.low;
  const high = sex === 'F' && an.highF !== undefined ? an.highF : an.high;
  return {
    low: low === undefined || low === 0 ? low : round(low * jitter('low'), an.decimals),
    high: high === undefined ? undefined : round(high * jitter('high'), an.decimals),
  };
}
