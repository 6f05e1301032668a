import type { Bundle, DiagnosticReport, Observation, Organization, Patient, Resource } from '@medplum/fhirtypes';
import { ANALYTES, EXAMS, type AnalyteKey } from '../data/reference.ts';
import { CDA_ISSUERS, specimenOf } from './issuers.ts';
import { imagingDocument, labDocument, type CdaAnalyteIn, type CdaParty } from './write-cda.ts';

/** One demo document as a platform's registry lists it. */
export interface DemoDocument {
  /** XDS document unique id (an OID under the demo's root). */
  uniqueId: string;
  kind: 'lab' | 'imaging';
  /** 身份证号 of the patient it belongs to. */
  patient: string;
  /** When the document was made (creationTime). */
  created: Date;
  xml: string;
}

const LOINC_TO_KEY = new Map(Object.entries(ANALYTES).map(([k, a]) => [a.code, k as AnalyteKey]));

/**
 * The demo patients' results as WS/T 500 documents: every final lab report (and standalone HbA1c) a
 * 检验报告, every final imaging report a 检查报告, written in each issuer's own style and codes. The
 * same data as the demo's FHIR platform, so the demo runs on either source.
 */
export function demoDocuments(bundle: Bundle): DemoDocument[] {
  const byUrl = new Map<string, Resource>();
  for (const e of bundle.entry ?? []) if (e.fullUrl && e.resource) byUrl.set(e.fullUrl, e.resource);
  const orgId = (ref: string | undefined) => {
    const org = byUrl.get(ref ?? '') as Organization | undefined;
    return org?.identifier?.[0]?.value;
  };
  const party = (ref: string | undefined): CdaParty | undefined => {
    const p = byUrl.get(ref ?? '') as Patient | undefined;
    const idCard = p?.identifier?.[0]?.value;
    if (!p || !idCard) return undefined;
    return { idCard, name: p.name?.[0]?.text ?? '', sex: p.gender === 'female' ? '2' : '1', birth: p.birthDate ?? '1970-01-01' };
  };
  const inReport = new Set<string>();
  for (const r of byUrl.values()) if (r.resourceType === 'DiagnosticReport') for (const x of (r as DiagnosticReport).result ?? []) inReport.add(x.reference ?? '');

  const docs: DemoDocument[] = [];
  let serial = 0;
  const uid = () => `2.16.156.10011.99.1.${++serial}`;
  for (const [url, resource] of byUrl) {
    if (resource.resourceType === 'DiagnosticReport') {
      const report = resource as DiagnosticReport;
      if (report.status !== 'final') continue; // Only signed, final reports are shared as documents.
      const patient = party(report.subject?.reference);
      const issuerId = orgId(report.performer?.[0]?.reference);
      const issuer = issuerId ? CDA_ISSUERS[issuerId] : undefined;
      if (!patient || !issuerId || !issuer) continue;
      const reportNumber = report.identifier?.[0]?.value ?? url;
      const issued = new Date(report.issued ?? report.effectiveDateTime ?? 0);
      const category = report.category?.[0]?.coding?.[0]?.code;
      const base = { documentId: `DOC-${reportNumber}`, reportNumber, patient, issuer: { id: issuer.custodianId, name: orgName(byUrl, report) }, reported: issued, created: new Date(issued.getTime() + 600_000) };
      if (category === 'LAB') {
        const analytes = (report.result ?? []).flatMap((r) => {
          const obs = byUrl.get(r.reference ?? '') as Observation | undefined;
          return obs ? [analyte(obs, issuer.codes)] : [];
        });
        if (!analytes.length) continue;
        const collected = new Date(report.effectiveDateTime ?? 0);
        docs.push({ uniqueId: uid(), kind: 'lab', patient: patient.idCard, created: base.created, xml: labDocument({ ...base, collected, received: new Date(collected.getTime() + 1_800_000), panelName: report.code?.text, analytes, style: issuer.style }) });
      } else {
        const examKey = report.code?.coding?.find((c) => c.code && c.code in EXAMS)?.code;
        const exam = examKey ? EXAMS[examKey] : undefined;
        if (!exam || !examKey) continue;
        const text = report.conclusion ?? '';
        const finding = exam.findings.find((f) => text.startsWith(f)) ?? '';
        docs.push({
          uniqueId: uid(), kind: 'imaging', patient: patient.idCard, created: base.created,
          xml: imagingDocument({ ...base, ...(issuer.omitsExamDate ? {} : { examined: new Date(report.effectiveDateTime ?? 0) }), examCode: issuer.codes[examKey]!, examName: exam.name,
            method: exam.modality === 'CT' || exam.modality === 'MR' ? '平扫' : undefined, findings: finding || text, conclusion: text.slice(finding.length) || text, resultCode: /未见|正常/.test(text) ? '1' : '2', style: issuer.style }),
        });
      }
    } else if (resource.resourceType === 'Observation' && !inReport.has(url)) {
      // A standalone analyte (HbA1c): a 检验报告 of one analyte.
      const obs = resource as Observation;
      if (obs.status !== 'final') continue;
      const patient = party(obs.subject?.reference);
      const issuerId = orgId(obs.performer?.[0]?.reference);
      const issuer = issuerId ? CDA_ISSUERS[issuerId] : undefined;
      if (!patient || !issuer) continue;
      const reportNumber = obs.identifier?.[0]?.value ?? url;
      const collected = new Date(obs.effectiveDateTime ?? 0);
      const issued = new Date(obs.issued ?? obs.effectiveDateTime ?? 0);
      const created = new Date(issued.getTime() + 600_000);
      const name = (byUrl.get(obs.performer?.[0]?.reference ?? '') as Organization | undefined)?.name ?? '';
      docs.push({ uniqueId: uid(), kind: 'lab', patient: patient.idCard, created, xml: labDocument({ documentId: `DOC-${reportNumber}`, reportNumber, patient, issuer: { id: issuer.custodianId, name }, collected, received: new Date(collected.getTime() + 1_800_000), reported: issued, created, analytes: [analyte(obs, issuer.codes)], style: issuer.style }) });
    }
  }
  return docs;
}

function orgName(byUrl: Map<string, Resource>, report: DiagnosticReport): string {
  return (byUrl.get(report.performer?.[0]?.reference ?? '') as Organization | undefined)?.name ?? report.performer?.[0]?.display ?? '';
}

function analyte(obs: Observation, codes: Record<string, string>): CdaAnalyteIn {
  const coding = obs.code?.coding?.[0];
  const key = (coding?.code ? LOINC_TO_KEY.get(coding.code) : undefined) ?? (Object.entries(ANALYTES).find(([, a]) => a.code === coding?.code)?.[0] as AnalyteKey | undefined);
  const flag = obs.interpretation?.[0]?.coding?.[0]?.code;
  const range = obs.referenceRange?.[0];
  return {
    code: key ? codes[key]! : (coding?.code ?? 'X'),
    name: obs.code?.text ?? coding?.display ?? '',
    value: obs.valueQuantity?.value ?? obs.valueString ?? '',
    ...(obs.valueQuantity?.unit ? { unit: obs.valueQuantity.unit } : {}),
    resultCode: flag === 'N' ? '1' : flag ? '2' : '3',
    ...(flag ? { interpretation: flag } : {}),
    ...(range ? { range: { ...(range.low?.value !== undefined ? { low: range.low.value } : {}), ...(range.high?.value !== undefined ? { high: range.high.value } : {}), ...(range.text ? { text: range.text } : {}) } } : {}),
    specimen: key ? specimenOf(key) : '血清',
  };
}
