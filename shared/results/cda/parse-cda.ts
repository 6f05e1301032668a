import { CdaError, type CdaAnalyte, type CdaDocument, type CdaExam, type CdaHeader, type CdaKind } from './cda-document';
import { hl7Time } from './hl7-time';
import { attr, child, children, descendants, parseXml, textContent, XmlError, xsiType, type XmlElement, type XmlLimits } from './xml';
import { canParseUrl } from '../../compat/web';

/** HL7 v3 / CDA R2. Only elements in this namespace are read: a vendor `<x:value>` is never a result. */
export const V3 = 'urn:hl7-org:v3';

/** WS/T 500 identifiers (2.16.156.10011.1.x) and document templates. */
export const OID = {
  document: '2.16.156.10011.1.1',
  /** 身份证件号码 (DE02.01.030.00): the patient's national id. Not .1.4, which is 医务人员编号. */
  idCard: '2.16.156.10011.1.3',
  institution: '2.16.156.10011.1.5',
  outpatientNo: '2.16.156.10011.1.11',
  inpatientNo: '2.16.156.10011.1.12',
  order: '2.16.156.10011.1.24',
  imagingReportNo: '2.16.156.10011.1.32',
  labReportNo: '2.16.156.10011.1.33',
  labTemplate: '2.16.156.10011.2.1.1.27',
  imagingTemplate: '2.16.156.10011.2.1.1.26',
} as const;

/** Data elements (卫生信息数据元目录) read from entries. */
const DE = {
  itemCode: 'DE04.30.019.00',
  itemName: 'DE04.30.020.00',
  quantity: 'DE04.30.015.00',
  unit: 'DE04.30.016.00',
  resultCode: 'DE04.30.017.00',
  examCategory: 'DE04.30.018.00',
  method: 'DE02.10.027.00',
  specimen: 'DE04.50.134.00',
  findings: 'DE04.50.131.00',
  conclusion: 'DE04.50.132.00',
  reportOrg: 'DE08.10.013.00',
} as const;

const LAB_SECTION = '30954-2';
const EXAM_SECTION = '29545-1';

export interface ParseOptions extends XmlLimits {
  /** The id root of the patient's 身份证号 (default 2.16.156.10011.1.3, configurable per platform). */
  idCardRoot?: string;
}

/**
 * Reads one WS/T 500 检验报告 or 检查报告 from bytes. Tolerant of the deviations real generators
 * make (no structuredBody, flat or CLUSTER analytes, codes with underscores and suffixes, 8- or
 * 14-digit times without a zone, names in the 017 displayName, one DE code for 所见 and 提示);
 * strict where safety needs it (namespaces, no DTD, size and depth caps). Throws CdaError.
 */
export function parseCdaDocument(input: Uint8Array | string, options: ParseOptions = {}): CdaDocument {
  let root: XmlElement;
  try {
    root = parseXml(input, options);
  } catch (err) {
    if (err instanceof XmlError) throw new CdaError(err.kind, err.message);
    throw err;
  }
  if (root.ns !== V3 || root.name !== 'ClinicalDocument') {
    throw new CdaError('not-cda', `root element is {${root.ns.slice(0, 60)}}${root.name.slice(0, 40)}, not {${V3}}ClinicalDocument`);
  }
  const header = readHeader(root, options.idCardRoot ?? OID.idCard);
  if (!header.custodian.id && !header.custodian.name) {
    const fromBody = entryText(observationsByCode(root).get(DE.reportOrg));
    if (fromBody) header.custodian.name = fromBody;
    else throw new CdaError('no-issuer', 'custodian names no institution (no id, no name)');
  }
  if (header.kind === 'lab') {
    const { analytes, skipped, panelName } = readLab(root);
    if (analytes.length === 0) throw new CdaError('no-results', `检验报告 holds no readable analyte (${skipped} skipped)`);
    return { ...header, kind: 'lab', analytes, skipped, ...(panelName ? { panelName } : {}) };
  }
  const { exams, skipped } = readImaging(root);
  if (exams.length === 0) throw new CdaError('no-results', '检查报告 holds no exam, findings or conclusion');
  return { ...header, kind: 'imaging', exams, skipped };
}

// ── header ─────────────────────────────────────────────────────────────────────────────────────

function readHeader(root: XmlElement, idCardRoot: string): CdaHeader {
  const kind = documentKind(root);
  const idOf = (el: XmlElement | undefined, oid: string) => value(children(el, V3, 'id').find((i) => attr(i, 'root')?.trim() === oid), 'extension');
  const role = child(child(root, V3, 'recordTarget'), V3, 'patientRole');
  const patient = child(role, V3, 'patient');
  const idEl = children(patient, V3, 'id').find((i) => attr(i, 'root')?.trim() === idCardRoot) ?? children(role, V3, 'id').find((i) => attr(i, 'root')?.trim() === idCardRoot);
  const rawId = attr(idEl, 'extension')?.trim();
  const custodianOrg = child(child(child(root, V3, 'custodian'), V3, 'assignedCustodian'), V3, 'representedCustodianOrganization');
  const author = children(root, V3, 'author')[0];
  const replaced = children(root, V3, 'relatedDocument').find((r) => attr(r, 'typeCode') === 'RPLC');
  const header: CdaHeader = {
    kind,
    patient: { idCardMasked: rawId !== undefined && /\*/.test(rawId), ...(present(rawId) && !/\*/.test(rawId!) ? { idCard: rawId } : {}) },
    custodian: {},
  };
  set(header, 'documentId', idOf(root, OID.document));
  set(header, 'createdAt', hl7Time(attr(child(root, V3, 'effectiveTime'), 'value')));
  set(header, 'title', clean(textContent(child(root, V3, 'title'))));
  set(header.patient, 'outpatientNo', idOf(role, OID.outpatientNo));
  set(header.patient, 'inpatientNo', idOf(role, OID.inpatientNo));
  set(header.patient, 'name', clean(textContent(child(patient, V3, 'name'))));
  set(header.patient, 'gender', clean(attr(child(patient, V3, 'administrativeGenderCode'), 'code')));
  set(header.patient, 'birthDate', hl7Time(attr(child(patient, V3, 'birthTime'), 'value'))?.slice(0, 10));
  set(header, 'reportNumber', idOf(role, kind === 'lab' ? OID.labReportNo : OID.imagingReportNo) ?? idOf(role, kind === 'lab' ? OID.imagingReportNo : OID.labReportNo));
  set(header, 'orderNumber', idOf(role, OID.order));
  set(header, 'reportedAt', hl7Time(attr(child(author, V3, 'time'), 'value')));
  set(header.custodian, 'id', idOf(custodianOrg, OID.institution) ?? value(child(custodianOrg, V3, 'id'), 'extension'));
  set(header.custodian, 'name', clean(textContent(child(custodianOrg, V3, 'name'))));
  set(header, 'replaces', value(child(child(replaced, V3, 'parentDocument'), V3, 'id'), 'extension'));
  return header;
}

/** By templateId or code, never by title; the two must not disagree. */
function documentKind(root: XmlElement): CdaKind {
  const templates = new Set(children(root, V3, 'templateId').map((t) => attr(t, 'root')?.trim()));
  const code = attr(child(root, V3, 'code'), 'code')?.trim().toUpperCase();
  const byTemplate: CdaKind | undefined = templates.has(OID.labTemplate) ? 'lab' : templates.has(OID.imagingTemplate) ? 'imaging' : undefined;
  const byCode: CdaKind | undefined = code === 'C0007' ? 'lab' : code === 'C0006' ? 'imaging' : undefined;
  if (byTemplate && byCode && byTemplate !== byCode) {
    throw new CdaError('unknown-document-type', `templateId says ${byTemplate === 'lab' ? '检验报告' : '检查报告'} but code says ${code}`);
  }
  const kind = byTemplate ?? byCode;
  if (!kind) throw new CdaError('unknown-document-type', `neither templateId ${OID.labTemplate}/${OID.imagingTemplate} nor code C0007/C0006`);
  return kind;
}

// ── entries ────────────────────────────────────────────────────────────────────────────────────

/** DExx.xx.xxx.xx from a code as written: trimmed, `_` read as `.`, suffixes dropped. */
export function deCode(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  // Documents repeat the same few dozen codes: remember each spelling once.
  let code = deCodes.get(raw);
  if (code === undefined) {
    const m = /^DE(\d{2})[._](\d{2})[._](\d{3})[._](\d{2})/i.exec(raw.trim());
    code = m ? `DE${m[1]}.${m[2]}.${m[3]}.${m[4]}` : '';
    if (deCodes.size > 5000) deCodes.clear();
    deCodes.set(raw, code);
  }
  return code || undefined;
}
const deCodes = new Map<string, string>();

function obsCode(obs: XmlElement): string | undefined {
  return deCode(attr(child(obs, V3, 'code'), 'code'));
}

/** An observation and the observations nested in its entryRelationships, in document order. */
function withNested(obs: XmlElement, out: XmlElement[] = []): XmlElement[] {
  out.push(obs);
  for (const rel of children(obs, V3, 'entryRelationship')) for (const o of children(rel, V3, 'observation')) withNested(o, out);
  return out;
}

/** First observation per DE code anywhere under `el` (for document-level elements). */
function observationsByCode(el: XmlElement): Map<string, XmlElement> {
  const map = new Map<string, XmlElement>();
  for (const obs of descendants(el, V3, 'observation')) {
    const code = obsCode(obs);
    if (code && !map.has(code)) map.set(code, obs);
  }
  return map;
}

function sectionsOf(root: XmlElement): XmlElement[] {
  return descendants(root, V3, 'section');
}

function hasItemCode(section: XmlElement): boolean {
  return children(section, V3, 'entry').some((e) => descendants(e, V3, 'observation').some((o) => obsCode(o) === DE.itemCode));
}

function sectionCode(section: XmlElement): { code?: string; display?: string } {
  const code = child(section, V3, 'code');
  return { code: attr(code, 'code')?.trim(), display: attr(code, 'displayName')?.trim() };
}

/** Observations of a section's entries grouped per analyte: one group per organizer, flat runs split at each 019. */
function analyteGroups(section: XmlElement): XmlElement[][] {
  const groups: XmlElement[][] = [];
  let flat: XmlElement[] | undefined;
  for (const entry of children(section, V3, 'entry')) {
    for (const organizer of children(entry, V3, 'organizer')) {
      const group: XmlElement[] = [];
      for (const comp of children(organizer, V3, 'component')) for (const o of children(comp, V3, 'observation')) withNested(o, group);
      groups.push(group);
      flat = undefined;
    }
    for (const obs of children(entry, V3, 'observation')) {
      const nested = withNested(obs);
      const code = obsCode(obs);
      // A new analyte starts at each 检验项目代码, or when a data element repeats within the run.
      if (!flat || code === DE.itemCode || (code !== undefined && flat.some((o) => obsCode(o) === code))) {
        flat = [];
        groups.push(flat);
      }
      flat.push(...nested);
    }
  }
  return groups;
}

function readLab(root: XmlElement): { analytes: CdaAnalyte[]; skipped: number; panelName?: string } {
  const sections = sectionsOf(root);
  let lab = sections.filter((s) => sectionCode(s).code === LAB_SECTION || sectionCode(s).display === '实验室检查');
  // A generator that leaves the section uncoded: any section whose entries carry 检验项目代码.
  if (lab.length === 0) lab = sections.filter((s) => hasItemCode(s));
  const analytes: CdaAnalyte[] = [];
  let skipped = 0;
  let panelName: string | undefined;
  for (const section of lab) {
    for (const group of analyteGroups(section)) {
      const byCode = new Map<string, XmlElement>();
      for (const o of group) {
        const c = obsCode(o);
        if (c && !byCode.has(c)) byCode.set(c, o);
      }
      if (byCode.has(DE.method) && !byCode.has(DE.itemCode) && !byCode.has(DE.quantity)) {
        panelName ??= entryText(byCode.get(DE.method));
        continue;
      }
      if (!byCode.has(DE.itemCode) && !byCode.has(DE.quantity) && !byCode.has(DE.resultCode) && !byCode.has(DE.itemName)) continue; // 检验类别 and similar report-level entries
      const analyte = readAnalyte(byCode);
      if (analyte) analytes.push(analyte);
      else skipped++;
    }
  }
  return { analytes, skipped, ...(panelName ? { panelName } : {}) };
}

function readAnalyte(byCode: Map<string, XmlElement>): CdaAnalyte | undefined {
  const a: CdaAnalyte = {};
  const item = byCode.get(DE.itemCode);
  set(a, 'code', codeValue(item));
  set(a, 'testedAt', hl7Time(timeOf(item)));
  const specimen = byCode.get(DE.specimen);
  set(a, 'specimen', entryText(specimen));
  const [low, high] = interval(specimen);
  set(a, 'collectedAt', hl7Time(low));
  set(a, 'receivedAt', hl7Time(high));

  const quantity = byCode.get(DE.quantity);
  const q = readQuantity(quantity);
  set(a, 'value', q.value);
  set(a, 'unit', entryText(byCode.get(DE.unit)) ?? q.unit);
  const result = child(byCode.get(DE.resultCode), V3, 'value');
  const rc = attr(result, 'code')?.trim();
  if (rc === '1' || rc === '2' || rc === '3') a.resultCode = rc;
  // 项目名称: DE04.30.020.00, else the name some generators stuff into the 017 displayName, else 019's own displayName.
  const resultName = rc !== undefined && !['1', '2', '3'].includes(rc) ? clean(attr(result, 'displayName')) : undefined;
  // A mangled displayName ("z") next to an abbreviation code (cTnI): the abbreviation is the better name.
  const resultAbbrev = rc !== undefined && !['1', '2', '3'].includes(rc) ? clean(rc) : undefined;
  set(a, 'name', entryText(byCode.get(DE.itemName)) ?? usableName(resultName) ?? clean(attr(child(item, V3, 'value'), 'displayName')) ?? resultAbbrev);

  for (const o of [quantity, item, byCode.get(DE.resultCode)]) {
    if (!o) continue;
    a.interpretation ??= clean(attr(child(o, V3, 'interpretationCode'), 'code'))?.toUpperCase();
    a.referenceRange ??= readRange(o);
  }
  if (a.interpretation === undefined) delete a.interpretation;
  if (a.referenceRange === undefined) delete a.referenceRange;
  if (!a.code && !a.name) return undefined;
  if (a.value === undefined && a.resultCode === undefined) return undefined;
  return a;
}

/** F's pattern puts a mangled one-letter name there ("z"): a name needs two characters. */
function usableName(name: string | undefined): string | undefined {
  return name && [...name].length >= 2 ? name : undefined;
}

function readQuantity(obs: XmlElement | undefined): { value?: number | string; unit?: string } {
  const v = child(obs, V3, 'value');
  if (!v) return {};
  const type = xsiType(v);
  const raw = type === 'ST' || type === 'ED' || (type === undefined && attr(v, 'value') === undefined) ? textContent(v) : (attr(v, 'value') ?? textContent(v));
  const out: { value?: number | string; unit?: string } = {};
  set(out, 'value', valueOf(raw));
  set(out, 'unit', clean(attr(v, 'unit')));
  return out;
}

/** A bare number becomes a number; anything else (阴性, +, <0.01, 1:80) stays text; placeholders are no value. */
export function valueOf(raw: string | undefined): number | string | undefined {
  const text = clean(raw);
  if (text === undefined) return undefined;
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n)) return n;
  }
  return text;
}

function readRange(obs: XmlElement): CdaAnalyte['referenceRange'] {
  const range = child(child(obs, V3, 'referenceRange'), V3, 'observationRange');
  if (!range) return undefined;
  const out: NonNullable<CdaAnalyte['referenceRange']> = {};
  set(out, 'text', clean(textContent(child(range, V3, 'text'))));
  const v = child(range, V3, 'value');
  const num = (el: XmlElement | undefined) => {
    const n = valueOf(attr(el, 'value'));
    return typeof n === 'number' ? n : undefined;
  };
  set(out, 'low', num(child(v, V3, 'low')));
  set(out, 'high', num(child(v, V3, 'high')));
  if (out.low === undefined && out.high === undefined && out.text) Object.assign(out, rangeFromText(out.text));
  return Object.keys(out).length ? out : undefined;
}

/** Text forms labs print: a-b, a~b, a--b, a—b, <x, ≤x, >x, ≥x (阴性 and the like stay text only). */
export function rangeFromText(text: string): { low?: number; high?: number } {
  const t = text.normalize('NFKC').replace(/\s+/g, '');
  const num = '([+-]?\\d+(?:\\.\\d+)?)';
  const between = new RegExp(`^${num}(?:-{1,2}|~|～|—|–|至)${num}`).exec(t);
  if (between) return { low: Number(between[1]), high: Number(between[2]) };
  const upper = new RegExp(`^(?:<|≤|<=)${num}`).exec(t);
  if (upper) return { high: Number(upper[1]) };
  const lower = new RegExp(`^(?:>|≥|>=)${num}`).exec(t);
  if (lower) return { low: Number(lower[1]) };
  return {};
}

function readImaging(root: XmlElement): { exams: CdaExam[]; skipped: number } {
  const sections = sectionsOf(root);
  let physical = sections.filter((s) => sectionCode(s).code === EXAM_SECTION);
  if (physical.length === 0) physical = sections.filter((s) => hasItemCode(s));
  const exams: CdaExam[] = [];
  let skipped = 0;
  let method: string | undefined;
  let category: string | undefined;
  for (const section of physical) {
    for (const group of analyteGroups(section)) {
      const byCode = new Map<string, XmlElement>();
      for (const o of group) {
        const c = obsCode(o);
        if (c && !byCode.has(c)) byCode.set(c, o);
      }
      method ??= entryText(byCode.get(DE.method));
      category ??= entryText(byCode.get(DE.examCategory));
      const item = byCode.get(DE.itemCode);
      if (!item && !byCode.has(DE.itemName)) continue;
      const exam: CdaExam = {};
      set(exam, 'code', codeValue(item));
      const result = child(byCode.get(DE.resultCode), V3, 'value');
      const rc = attr(result, 'code')?.trim();
      if (rc === '1' || rc === '2' || rc === '3') exam.resultCode = rc;
      const resultName = rc !== undefined && !['1', '2', '3'].includes(rc) ? clean(attr(result, 'displayName')) : undefined;
      set(exam, 'name', entryText(byCode.get(DE.itemName)) ?? usableName(resultName) ?? clean(attr(child(item, V3, 'value'), 'displayName')));
      set(exam, 'examinedAt', hl7Time(timeOf(item)));
      set(exam, 'imagesUrl', imagesUrl(group));
      if (exam.code || exam.name) exams.push(exam);
      else skipped++;
    }
  }
  const { findings, conclusion } = reportText(root);
  if (exams.length === 0 && (findings || conclusion)) exams.push({});
  for (const exam of exams) {
    set(exam, 'method', method);
    set(exam, 'examCategory', category);
    set(exam, 'findings', findings);
    set(exam, 'conclusion', conclusion);
  }
  return { exams, skipped };
}

/**
 * 所见 (DE04.50.131.00) and 提示 (DE04.50.132.00) wherever they sit. Some templates code both
 * entries 131 and tell them apart only by displayName ("…客观所见" vs "…主观提示").
 */
function reportText(root: XmlElement): { findings?: string; conclusion?: string } {
  const out: { findings?: string; conclusion?: string } = {};
  for (const obs of descendants(root, V3, 'observation')) {
    const code = obsCode(obs);
    if (code !== DE.findings && code !== DE.conclusion) continue;
    const display = attr(child(obs, V3, 'code'), 'displayName') ?? '';
    const isConclusion = code === DE.conclusion || /提示|结论|印象|诊断/.test(display);
    const text = entryText(obs);
    if (!text) continue;
    if (isConclusion) out.conclusion ??= text;
    else out.findings ??= text;
  }
  return out;
}

function imagesUrl(group: XmlElement[]): string | undefined {
  for (const o of group) {
    for (const ref of children(o, V3, 'reference')) {
      const ext = child(ref, V3, 'externalObservation');
      if (attr(ext, 'classCode') !== 'DGIMG') continue;
      const url = attr(child(child(ext, V3, 'text'), V3, 'reference'), 'value')?.trim();
      if (url && /^https?:\/\//i.test(url) && canParseUrl(url)) return url;
    }
  }
  return undefined;
}

// ── values ─────────────────────────────────────────────────────────────────────────────────────

/** The value of an entry as text: ST text, or a coded value's displayName/code, or @value. */
function entryText(obs: XmlElement | undefined): string | undefined {
  const v = child(obs, V3, 'value');
  if (!v) return undefined;
  return clean(textContent(v)) ?? clean(attr(v, 'displayName')) ?? clean(attr(v, 'value')) ?? clean(attr(v, 'code'));
}

/** An item code: ST text, or the code of a CD/CE, or @value. */
function codeValue(obs: XmlElement | undefined): string | undefined {
  const v = child(obs, V3, 'value');
  if (!v) return undefined;
  return clean(textContent(v)) ?? clean(attr(v, 'code')) ?? clean(attr(v, 'value'));
}

function timeOf(obs: XmlElement | undefined): string | undefined {
  const t = child(obs, V3, 'effectiveTime');
  return attr(t, 'value') ?? attr(child(t, V3, 'low'), 'value');
}

function interval(obs: XmlElement | undefined): [string | undefined, string | undefined] {
  const t = child(obs, V3, 'effectiveTime');
  if (!t) return [undefined, undefined];
  const single = attr(t, 'value');
  return [attr(child(t, V3, 'low'), 'value') ?? single, attr(child(t, V3, 'high'), 'value')];
}

function value(el: XmlElement | undefined, name: string): string | undefined {
  return clean(attr(el, name));
}

const PLACEHOLDERS = new Set(['', '-', '--', '—', '/', '无', 'null', 'NULL', 'N/A', 'n/a', 'NA', '未知']);

/** Trimmed text, or undefined for a placeholder (-, ***, 0000000000, 无 …). */
export function clean(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const t = raw.replace(/[\s\u3000]+/g, ' ').trim();
  if (PLACEHOLDERS.has(t) || /^\*+$/.test(t) || /^0{6,}$/.test(t)) return undefined;
  return t;
}

function present(v: string | undefined): boolean {
  return clean(v) !== undefined;
}

function set<T extends object, K extends keyof T>(o: T, key: K, v: T[K] | undefined): void {
  if (v !== undefined) o[key] = v;
}
