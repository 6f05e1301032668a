/**
 * Writes WS/T 500 检验报告 (C0007) and 检查报告 (C0006) documents the way real generators do,
 * including their deviations (docs/cda-mapping.md): CLUSTER organizers or flat observations, with
 * or without structuredBody, DE codes with underscores and suffixes, 8- or 14-digit times without
 * a zone, the item name in DE04.30.020.00, in the 017 displayName, or nowhere. Used by the demo's
 * CDA endpoints, the fuzz test and the bench.
 */

export interface CdaStyle {
  shape: 'cluster' | 'flat';
  structuredBody: boolean;
  /** 'dot' DE04.30.019.00; 'underscore' DE04_30_019_00_JYXM. */
  codes: 'dot' | 'underscore';
  /** Digits of clinical times: 8 (date) or 14 (no zone), or 'zone' (14 + +0800). */
  time: 8 | 14 | 'zone';
  /** Where the item name goes. */
  name: 'de020' | 'result-display' | 'none';
  value: 'REAL' | 'PQ' | 'ST';
}

export const STANDARD_STYLE: CdaStyle = { shape: 'cluster', structuredBody: true, codes: 'dot', time: 14, name: 'de020', value: 'REAL' };

export interface CdaParty {
  /** 身份证号 as written (or '***' masked). */
  idCard: string;
  name: string;
  sex: '1' | '2';
  birth: string;
  outpatientNo?: string;
}

export interface CdaIssuer {
  /** custodian id (root 2.16.156.10011.1.5); omitted when undefined. */
  id?: string;
  name: string;
}

export interface CdaAnalyteIn {
  code: string;
  name: string;
  value: number | string;
  unit?: string;
  /** 1 正常 2 异常 3 不确定 */
  resultCode: '1' | '2' | '3';
  range?: { low?: number; high?: number; text?: string };
  interpretation?: string;
  specimen: string;
}

export interface LabDocIn {
  documentId: string;
  reportNumber: string;
  patient: CdaParty;
  issuer: CdaIssuer;
  /** Wall times in China (Date: its UTC fields are read as China time plus 8 h). */
  collected: Date;
  received: Date;
  reported: Date;
  created: Date;
  panelName?: string;
  analytes: CdaAnalyteIn[];
  style?: Partial<CdaStyle>;
  replaces?: string;
}

export interface ImagingDocIn {
  documentId: string;
  reportNumber: string;
  patient: CdaParty;
  issuer: CdaIssuer;
  examined?: Date;
  reported: Date;
  created: Date;
  examCode: string;
  examName: string;
  method?: string;
  findings: string;
  conclusion: string;
  resultCode: '1' | '2' | '3';
  imagesUrl?: string;
  style?: Partial<CdaStyle>;
  /** One DE code (131) for both 所见 and 提示, told apart by displayName (a template does this). */
  sameCodeForText?: boolean;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** China wall time of an instant, as HL7 TS of the style's precision. */
export function ts(d: Date, time: CdaStyle['time']): string {
  const cn = new Date(d.getTime() + 8 * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  if (time === 8) return cn.slice(0, 8);
  return time === 'zone' ? `${cn}+0800` : cn;
}

function de(code: string, style: CdaStyle, suffix = ''): string {
  return style.codes === 'dot' ? code : `${code.replace(/\./g, '_')}${suffix}`;
}

function header(kind: 'lab' | 'imaging', doc: { documentId: string; reportNumber: string; patient: CdaParty; issuer: CdaIssuer; reported: Date; created: Date; replaces?: string }, style: CdaStyle): string {
  const lab = kind === 'lab';
  const p = doc.patient;
  return `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:mif="urn:hl7-org:v3/mif">
<realmCode code="CN"/>
<typeId root="2.16.840.1.113883.1.3" extension="POCD_MT000040"/>
<templateId root="${lab ? '2.16.156.10011.2.1.1.27' : '2.16.156.10011.2.1.1.26'}"/>
<id root="2.16.156.10011.1.1" extension="${esc(doc.documentId)}"/>
<code code="${lab ? 'C0007' : 'C0006'}" codeSystem="2.16.156.10011.2.4" codeSystemName="卫生信息共享文档规范编码体系"/>
<title>${lab ? '检验报告' : '检查报告'}</title>
<effectiveTime value="${ts(doc.created, 14)}"/>
<confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25" codeSystemName="Confidentiality" displayName="正常访问保密级别"/>
<languageCode code="zh-CN"/>
<setId/>
<versionNumber/>
<recordTarget typeCode="RCT" contextControlCode="OP">
<patientRole classCode="PAT">
<id root="2.16.156.10011.1.11" extension="${esc(p.outpatientNo ?? '-')}"/>
<id root="2.16.156.10011.1.12" extension="-"/>
<id root="${lab ? '2.16.156.10011.1.33' : '2.16.156.10011.1.32'}" extension="${esc(doc.reportNumber)}"/>
<id root="2.16.156.10011.1.24" extension="SQ${esc(doc.reportNumber)}"/>
<patient classCode="PSN" determinerCode="INSTANCE">
<id root="2.16.156.10011.1.3" extension="${esc(p.idCard)}"/>
<name>${esc(p.name)}</name>
<administrativeGenderCode code="${p.sex}" codeSystem="2.16.156.10011.2.3.3.4" codeSystemName="生理性别代码表(GB/T 2261.1)" displayName="${p.sex === '1' ? '男' : '女'}"/>
<birthTime value="${p.birth.replace(/-/g, '')}"/>
</patient>
</patientRole>
</recordTarget>
<author typeCode="AUT" contextControlCode="OP">
<time value="${ts(doc.reported, style.time)}"/>
<assignedAuthor classCode="ASSIGNED"><id root="2.16.156.10011.1.7" extension="D001"/><assignedPerson><name>报告医师</name></assignedPerson></assignedAuthor>
</author>
<custodian typeCode="CST">
<assignedCustodian classCode="ASSIGNED">
<representedCustodianOrganization classCode="ORG" determinerCode="INSTANCE">
${doc.issuer.id === undefined ? '' : `<id root="2.16.156.10011.1.5" extension="${esc(doc.issuer.id)}"/>`}
<name>${esc(doc.issuer.name)}</name>
</representedCustodianOrganization>
</assignedCustodian>
</custodian>
<legalAuthenticator><time/><signatureCode/><assignedEntity><id root="2.16.156.10011.1.4" extension="S0001"/><code displayName="审核医师"/><assignedPerson><name>审核医师</name></assignedPerson></assignedEntity></legalAuthenticator>
${doc.replaces ? `<relatedDocument typeCode="RPLC"><parentDocument><id root="2.16.156.10011.1.1" extension="${esc(doc.replaces)}"/></parentDocument></relatedDocument>` : ''}`;
}

function body(sections: string, style: CdaStyle): string {
  return style.structuredBody ? `<component><structuredBody>${sections}</structuredBody></component>` : `<component>${sections}</component>`;
}

function valueXml(v: number | string, unit: string | undefined, style: CdaStyle): string {
  if (typeof v === 'string' || style.value === 'ST') return `<value xsi:type="ST">${esc(String(v))}</value>`;
  if (style.value === 'PQ') return `<value xsi:type="PQ" value="${v}" unit="${esc(unit ?? '1')}"/>`;
  return `<value xsi:type="REAL" value="${v}"/>`;
}

function analyteObservations(a: CdaAnalyteIn, d: LabDocIn, style: CdaStyle): string[] {
  const t = (x: Date) => ts(x, style.time);
  const range = a.range
    ? `<referenceRange><observationRange>${a.range.text ? `<text>${esc(a.range.text)}</text>` : ''}${a.range.low !== undefined || a.range.high !== undefined ? `<value xsi:type="IVL_PQ">${a.range.low !== undefined ? `<low value="${a.range.low}" unit="${esc(a.unit ?? '1')}"/>` : ''}${a.range.high !== undefined ? `<high value="${a.range.high}" unit="${esc(a.unit ?? '1')}"/>` : ''}</value>` : ''}</observationRange></referenceRange>`
    : '';
  const interp = a.interpretation ? `<interpretationCode code="${esc(a.interpretation)}" codeSystem="2.16.840.1.113883.5.83"/>` : '';
  const resultDisplay = style.name === 'result-display' ? a.name : a.resultCode === '1' ? '正常' : a.resultCode === '2' ? '异常' : '不确定';
  const resultCode = style.name === 'result-display' ? `${a.code}` : a.resultCode;
  const obs = [
    `<observation classCode="OBS" moodCode="EVN"><code code="${de('DE04.30.019.00', style, '_JYXMDM')}" codeSystem="2.16.156.10011.2.2.1" displayName="检验项目代码"/><effectiveTime value="${t(d.collected)}"/><value xsi:type="ST">${esc(a.code)}</value>` +
      `<entryRelationship typeCode="COMP"><observation classCode="OBS" moodCode="EVN"><code code="${de('DE04.50.134.00', style)}" codeSystem="2.16.156.10011.2.2.1" displayName="标本类别"/><effectiveTime><low value="${ts(d.collected, style.time === 8 ? 14 : style.time)}"/><high value="${ts(d.received, style.time === 8 ? 14 : style.time)}"/></effectiveTime><value xsi:type="ST">${esc(a.specimen)}</value></observation></entryRelationship></observation>`,
  ];
  if (style.name === 'de020') obs.push(`<observation classCode="OBS" moodCode="EVN"><code code="${de('DE04.30.020.00', style)}" codeSystem="2.16.156.10011.2.2.1" displayName="检验项目名称"/><value xsi:type="ST">${esc(a.name)}</value></observation>`);
  obs.push(
    `<observation classCode="OBS" moodCode="EVN"><code code="${de('DE04.30.015.00', style)}" codeSystem="2.16.156.10011.2.2.1" displayName="检验定量结果"/>${valueXml(a.value, a.unit, style)}${interp}${range}` +
      (a.unit ? `<entryRelationship typeCode="COMP"><observation classCode="OBS" moodCode="EVN"><code code="${de('DE04.30.016.00', style)}" codeSystem="2.16.156.10011.2.2.1" displayName="检查定量结果计量单位"/><value xsi:type="ST">${esc(a.unit)}</value></observation></entryRelationship>` : '') +
      '</observation>',
    `<observation classCode="OBS" moodCode="EVN"><code code="${de('DE04.30.017.00', style)}" codeSystem="2.16.156.10011.2.2.1" displayName="检验结果代码"/><value xsi:type="CD" code="${esc(resultCode)}" displayName="${esc(resultDisplay)}" codeSystem="2.16.156.10011.2.3.2.38"/></observation>`,
  );
  return obs;
}

export function labDocument(d: LabDocIn): string {
  const style = { ...STANDARD_STYLE, ...d.style };
  const entries: string[] = [];
  if (d.panelName) entries.push(`<entry><observation classCode="OBS" moodCode="EVN"><code code="${de('DE02.10.027.00', style)}" codeSystem="2.16.156.10011.2.2.1" displayName="检验方法名称"/><value xsi:type="ST">${esc(d.panelName)}</value></observation></entry>`);
  entries.push(`<entry><observation classCode="OBS" moodCode="EVN"><code code="${de('DE04.30.018.00', style)}" codeSystem="2.16.156.10011.2.2.1" displayName="检验类别"/><value xsi:type="ST">临床检验</value></observation></entry>`);
  for (const a of d.analytes) {
    const obs = analyteObservations(a, d, style);
    if (style.shape === 'cluster') entries.push(`<entry><organizer classCode="CLUSTER" moodCode="EVN"><statusCode/>${obs.map((o) => `<component>${o}</component>`).join('')}</organizer></entry>`);
    else for (const o of obs) entries.push(`<entry>${o}</entry>`);
  }
  const labSection = `<component><section><code code="30954-2" displayName="STUDIES SUMMARY" codeSystem="2.16.840.1.113883.6.1" codeSystemName="LOINC"/><text/>${entries.join('')}</section></component>`;
  const reportSection = `<component><section><code displayName="检验报告"/><text/><entry><observation classCode="OBS" moodCode="EVN"><code code="${de('DE08.10.013.00', style, '_ZDJGMC')}" displayName="检验报告机构名称"/><value xsi:type="ST">${esc(d.issuer.name)}</value></observation></entry></section></component>`;
  return `${header('lab', d, style)}${body(labSection + reportSection, style)}</ClinicalDocument>`;
}

export function imagingDocument(d: ImagingDocIn): string {
  const style = { ...STANDARD_STYLE, ...d.style };
  const item = `<observation classCode="OBS" moodCode="EVN"><code code="${de('DE04.30.019.00', style)}" codeSystem="2.16.156.10011.2.2.1" displayName="检查项目代码"/>${d.examined ? `<effectiveTime value="${ts(d.examined, style.time)}"/>` : ''}<value xsi:type="ST">${esc(d.examCode)}</value>${d.imagesUrl ? `<reference typeCode="SPRT"><externalObservation classCode="DGIMG" moodCode="EVN"><id root="1.2.156.112605.1"/><text><reference value="${esc(d.imagesUrl)}"/></text></externalObservation></reference>` : ''}</observation>`;
  const name = style.name === 'de020' ? `<observation classCode="OBS" moodCode="EVN"><code code="${de('DE04.30.020.00', style)}" codeSystem="2.16.156.10011.2.2.1" displayName="检查项目名称"/><value xsi:type="ST">${esc(d.examName)}</value></observation>` : '';
  const result = `<observation classCode="OBS" moodCode="EVN"><code code="${de('DE04.30.017.00', style)}" codeSystem="2.16.156.10011.2.2.1" displayName="检查结果代码"/><value xsi:type="CD" code="${style.name === 'result-display' ? esc(d.examCode) : d.resultCode}" displayName="${style.name === 'result-display' ? esc(d.examName) : d.resultCode === '1' ? '正常' : '异常'}" codeSystem="2.16.156.10011.2.3.2.38"/></observation>`;
  const method = d.method ? `<entry><observation classCode="OBS" moodCode="EVN"><code code="${de('DE02.10.027.00', style)}" codeSystem="2.16.156.10011.2.2.1" displayName="检查方法名称"/><value xsi:type="ST">${esc(d.method)}</value></observation></entry>` : '';
  const group = [item, name, result].filter(Boolean);
  const examEntries = style.shape === 'cluster' ? `<entry><organizer classCode="CLUSTER" moodCode="EVN"><statusCode/>${group.map((o) => `<component>${o}</component>`).join('')}</organizer></entry>` : group.map((o) => `<entry>${o}</entry>`).join('');
  const physical = `<component><section><code code="29545-1" displayName="PHYSICAL EXAMINATION" codeSystem="2.16.840.1.113883.6.1" codeSystemName="LOINC"/><text/>${method}${examEntries}</section></component>`;
  const conclusionCode = d.sameCodeForText ? 'DE04.50.131.00' : 'DE04.50.132.00';
  const report = `<component><section><code displayName="检查报告"/><text/><entry><observation classCode="OBS" moodCode="EVN"><code code="${de('DE04.50.131.00', style)}" displayName="检查报告结果-客观所见" codeSystem="2.16.156.10011.2.2.1"/><value xsi:type="ST">${esc(d.findings)}</value></observation></entry><entry><observation classCode="OBS" moodCode="EVN"><code code="${de(conclusionCode, style)}" displayName="检查报告结果-主观提示" codeSystem="2.16.156.10011.2.2.1"/><value xsi:type="ST">${esc(d.conclusion)}</value></observation></entry></section></component>`;
  return `${header('imaging', d, style)}${body(physical + report, style)}</ClinicalDocument>`;
}
