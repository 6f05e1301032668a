import { ExternalResult, type InstitutionIdentifier } from '../../domain/external-result';
import {
  SCHEMAS, type CodeableConcept, type DiagnosticReport, type Endpoint, type ImagingStudy, type Observation,
  type Organization, type PractitionerRole, type ReadType, type Reference,
} from './fhir-schemas';
import { canParseUrl } from '../../compat/web';

/** HR marks are `meta.tag` codings with this system (docs/fhir-mapping.md). */
export const HR_MARK_SYSTEM = 'https://huren.example/fhir/CodeSystem/hr-mark';

const DROPPED = new Set(['entered-in-error', 'cancelled']);
/** How complete a status is: the less complete of report and analyte wins. */
const COMPLETENESS: Record<string, number> = { registered: 0, partial: 1, preliminary: 1, final: 2, amended: 2, corrected: 2, appended: 2 };
const IMAGING_SECTIONS = new Set(['RAD', 'CT', 'MR', 'US', 'NMR', 'NMS', 'RX', 'VUS', 'XRC', 'CUS', 'EC', 'CG', 'PHY', 'LP29684-5']);
/** v2-0074 lab sections (LAB and its parts: chemistry, haematology, serology, microbiology …). */
const LAB_SECTIONS = new Set(['LAB', 'CH', 'HM', 'SR', 'MB', 'MCB', 'IMM', 'BLB', 'CP', 'SP', 'TX', 'VR', 'MYC', 'BG', 'URN']);
const NORMAL_FLAGS = new Set(['N', 'NEG', 'ND', 'NORMAL']);
/** Observation categories that are not lab results (vital signs, surveys …): never read as lab. */
const NOT_LAB = new Set(['vital-signs', 'survey', 'social-history', 'exam', 'therapy', 'activity', 'procedure', 'imaging']);
/** How deep Observation.hasMember panels are followed (a panel of panels at most, in practice). */
const MAX_MEMBER_DEPTH = 4;

export interface Normalized {
  results: ExternalResult[];
  /** Distinct resources (by type and id) that did not fit the schema and were skipped. */
  unreadable: number;
}

interface Parsed {
  Observation: Map<string, Observation>;
  DiagnosticReport: Map<string, DiagnosticReport>;
  ImagingStudy: Map<string, ImagingStudy>;
  Endpoint: Map<string, Endpoint>;
  Organization: Map<string, Organization>;
  PractitionerRole: Map<string, PractitionerRole>;
}

/**
 * Maps the resources a platform returned (search matches and includes, from any number of pages,
 * duplicates allowed) to ExternalResults: one per lab analyte, one per imaging exam.
 */
export function normalizeResources(resources: Iterable<unknown>, options: { markSystem?: string } = {}): Normalized {
  const parsed: Parsed = { Observation: new Map(), DiagnosticReport: new Map(), ImagingStudy: new Map(), Endpoint: new Map(), Organization: new Map(), PractitionerRole: new Map() };
  const bad = new Set<string>();
  let unkeyed = 0;
  for (const raw of withContained(resources)) {
    const type = (raw as { resourceType?: unknown } | null)?.resourceType;
    // Own properties only: a resourceType of `constructor` or `__proto__` must not reach Object.prototype.
    if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(SCHEMAS, type)) continue;
    const id = (raw as { id?: unknown }).id;
    const key = `${type}/${typeof id === 'string' ? id : ''}`;
    const map = parsed[type as ReadType] as Map<string, unknown>;
    if (map.has(key) || bad.has(key)) continue;
    const result = SCHEMAS[type as ReadType].safeParse(raw);
    if (result.success) map.set(key, result.data);
    else if (typeof id === 'string' && id) bad.add(key);
    else unkeyed++;
  }
  const ctx = new Context(parsed, options.markSystem ?? HR_MARK_SYSTEM);
  const results: ExternalResult[] = [];
  let unreadable = bad.size + unkeyed;
  const used = new Set<string>();
  const emit = (candidate: ExternalResult) => {
    // The final shape check guards the UI and the cache against anything the mapping let through.
    const checked = ExternalResult.safeParse(candidate);
    if (checked.success) results.push(checked.data);
    else unreadable++;
  };

  for (const report of parsed.DiagnosticReport.values()) {
    const kind = reportKind(report);
    if (!kind) continue;
    if (DROPPED.has(report.status)) {
      // A withdrawn report withdraws its analytes and images too; they must not resurface as standalone.
      for (const ref of report.result ?? []) used.add(ctx.key(ref, 'Observation') ?? '');
      for (const ref of report.imagingStudy ?? []) used.add(ctx.key(ref, 'ImagingStudy') ?? '');
      continue;
    }
    if (kind !== 'imaging') {
      // Analytes through result, and through hasMember of a panel Observation; an analyte without
      // category is a lab result here (found through its lab report), one categorized otherwise is not.
      const visit = (refs: Reference[] | undefined, depth: number) => {
        for (const ref of refs ?? []) {
          const key = ctx.key(ref, 'Observation', report.id);
          const obs = key ? parsed.Observation.get(key) : undefined;
          if (!obs || used.has(key!) || (kind === 'lab-if-coded' ? !isLab(obs) && categorized(obs) : notLab(obs))) continue;
          used.add(key!);
          if (DROPPED.has(obs.status)) continue;
          if (obs.hasMember?.length && depth < MAX_MEMBER_DEPTH) {
            visit(obs.hasMember, depth + 1);
            if (!hasValue(obs)) continue;
          }
          emit(ctx.lab(obs, report));
        }
      };
      visit(report.result, 0);
    } else {
      for (const ref of report.imagingStudy ?? []) used.add(ctx.key(ref, 'ImagingStudy') ?? '');
      emit(ctx.imagingReport(report));
    }
  }
  // Standalone panels (Observation.hasMember): members grouped under the panel Observation.
  for (const [key, panel] of parsed.Observation) {
    if (used.has(key) || DROPPED.has(panel.status) || !isLab(panel) || !panel.hasMember?.length) continue;
    used.add(key);
    const group = { id: `Observation/${panel.id}`, name: ctx.itemName(panel.code) };
    const visit = (refs: Reference[] | undefined, depth: number) => {
      for (const ref of refs ?? []) {
        const k = ctx.key(ref, 'Observation');
        const obs = k ? parsed.Observation.get(k) : undefined;
        if (!obs || used.has(k!) || notLab(obs)) continue;
        used.add(k!);
        if (DROPPED.has(obs.status)) continue;
        if (obs.hasMember?.length && depth < MAX_MEMBER_DEPTH) visit(obs.hasMember, depth + 1);
        if (hasValue(obs)) emit(ctx.lab(obs, undefined, group, panel));
      }
    };
    visit(panel.hasMember, 0);
    if (hasValue(panel)) emit(ctx.lab(panel));
  }
  for (const [key, obs] of parsed.Observation) {
    if (used.has(key) || DROPPED.has(obs.status) || !isLab(obs) || !hasValue(obs)) continue;
    emit(ctx.lab(obs));
  }
  for (const [key, study] of parsed.ImagingStudy) {
    if (used.has(key) || DROPPED.has(study.status)) continue;
    emit(ctx.imagingStudy(study));
  }
  results.sort((a, b) => (b.collectedAt ?? '').localeCompare(a.collectedAt ?? '') || a.id.localeCompare(b.id));
  return { results, unreadable };
}

/** lab: a LAB (or lab sub-section) report; lab-if-coded: no category, keep only laboratory Observations. */
function reportKind(report: DiagnosticReport): 'lab' | 'lab-if-coded' | 'imaging' | undefined {
  const codes = (report.category ?? []).flatMap((c) => (c.coding ?? []).map((x) => x.code ?? ''));
  if (codes.some((c) => IMAGING_SECTIONS.has(c)) || (report.imagingStudy?.length ?? 0) > 0) return 'imaging';
  if (!report.result?.length) return undefined;
  if (codes.some((c) => LAB_SECTIONS.has(c))) return 'lab';
  return codes.length === 0 ? 'lab-if-coded' : undefined;
}

function isLab(obs: Observation): boolean {
  return (obs.category ?? []).some((c) => (c.coding ?? []).some((x) => x.code === 'laboratory'));
}

function categorized(obs: Observation): boolean {
  return (obs.category ?? []).some((c) => (c.coding ?? []).some((x) => Boolean(x.code)));
}

/** Categorized, and only as something other than laboratory (vital signs, survey …). */
function notLab(obs: Observation): boolean {
  const codes = (obs.category ?? []).flatMap((c) => (c.coding ?? []).map((x) => x.code ?? ''));
  return codes.length > 0 && !codes.includes('laboratory') && codes.some((c) => NOT_LAB.has(c));
}

/**
 * Contained resources of a DiagnosticReport, lifted out with an id that cannot clash
 * (`<report>.<contained id>`), so `#chol` resolves like any other reference.
 */
function* withContained(resources: Iterable<unknown>): Iterable<unknown> {
  for (const raw of resources) {
    yield raw;
    const r = raw as { resourceType?: unknown; id?: unknown; contained?: unknown } | null;
    if (r?.resourceType !== 'DiagnosticReport' || typeof r.id !== 'string' || !Array.isArray(r.contained)) continue;
    for (const c of r.contained.slice(0, 500)) {
      const cid = (c as { id?: unknown } | null)?.id;
      if (typeof cid !== 'string' || !/^[A-Za-z0-9\-.]{1,64}$/.test(cid)) continue;
      yield { ...(c as object), id: containedId(r.id, cid) };
    }
  }
}

function containedId(reportId: string, cid: string): string {
  return `${reportId}.${cid}`.slice(0, 64);
}

function hasValue(obs: Observation): boolean {
  return obs.valueQuantity !== undefined || obs.valueString !== undefined || obs.valueCodeableConcept !== undefined || obs.valueInteger !== undefined || obs.valueBoolean !== undefined;
}

class Context {
  constructor(
    private readonly parsed: Parsed,
    private readonly markSystem: string,
  ) {}

  /** "Organization/x" for relative, absolute or typed references; undefined for urn/conditional ones. */
  key(ref: Reference, type: string, containerId?: string): string | undefined {
    const local = /^#([A-Za-z0-9\-.]{1,64})$/.exec(ref.reference ?? '');
    if (local) return containerId === undefined ? undefined : `${type}/${containedId(containerId, local[1]!)}`;
    const m = /(?:^|\/)([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(ref.reference ?? '');
    if (!m || m[1] !== type) return undefined;
    return `${type}/${m[2]}`;
  }

  itemName(code: CodeableConcept): string {
    return this.item(code).name;
  }

  lab(obs: Observation, report?: DiagnosticReport, group?: { id: string; name: string }, panel?: Observation): ExternalResult {
    const q = obs.valueQuantity;
    const value = q?.value ?? obs.valueString ?? obs.valueInteger ?? conceptText(obs.valueCodeableConcept) ?? (obs.valueBoolean === undefined ? undefined : String(obs.valueBoolean));
    const range = obs.referenceRange?.[0];
    const flag = obs.interpretation?.[0] ? (obs.interpretation[0].coding?.[0]?.code ?? obs.interpretation[0].text) : undefined;
    return clean({
      id: `Observation/${obs.id}`,
      category: 'lab',
      item: this.item(obs.code),
      value: q?.comparator && q.value !== undefined ? `${q.comparator}${q.value}` : value,
      unit: q ? (q.unit ?? q.code) : undefined,
      referenceRange: range && (range.low?.value !== undefined || range.high?.value !== undefined || range.text)
        ? clean({ low: range.low?.value, high: range.high?.value, text: range.text })
        : undefined,
      interpretation: flag,
      abnormal: flag === undefined ? undefined : !NORMAL_FLAGS.has(flag.toUpperCase()),
      collectedAt: obs.effectiveDateTime ?? obs.effectivePeriod?.start ?? panel?.effectiveDateTime ?? panel?.effectivePeriod?.start ?? report?.effectiveDateTime ?? report?.effectivePeriod?.start,
      // No effective time anywhere: `issued` is the clock (the verdict says so).
      reportedAt: obs.issued ?? panel?.issued ?? report?.issued,
      issuer: this.issuer(obs.performer, panel?.performer, report?.performer),
      reportNumber: firstValue(report?.identifier) ?? firstValue(panel?.identifier) ?? firstValue(obs.identifier),
      marks: this.marks(obs.meta?.tag, panel?.meta?.tag, report?.meta?.tag),
      status: leastComplete(leastComplete(obs.status, panel?.status), report?.status),
      report: report ? clean({ id: `DiagnosticReport/${report.id}`, name: this.item(report.code).name }) : group,
    } as ExternalResult);
  }

  imagingReport(report: DiagnosticReport): ExternalResult {
    const study = (report.imagingStudy ?? []).map((r) => this.parsed.ImagingStudy.get(this.key(r, 'ImagingStudy') ?? '')).find(Boolean);
    return clean({
      id: `DiagnosticReport/${report.id}`,
      category: 'imaging',
      item: this.item(report.code),
      collectedAt: report.effectiveDateTime ?? report.effectivePeriod?.start ?? study?.started,
      reportedAt: report.issued,
      issuer: this.issuer(report.performer),
      reportNumber: firstValue(report.identifier),
      marks: this.marks(report.meta?.tag),
      conclusion: report.conclusion?.trim() || undefined,
      imagesUrl: study ? this.imagesUrl(study) : undefined,
      status: report.status,
    } as ExternalResult);
  }

  /** An ImagingStudy no report points to: the exam happened, the report is not (yet) available. */
  imagingStudy(study: ImagingStudy): ExternalResult {
    const procedure = study.procedureCode?.[0];
    const modality = study.modality?.[0] ?? study.series?.[0]?.modality;
    const named = procedure && (procedure.text || procedure.coding?.some((c) => c.code || c.display)) ? procedure : undefined;
    const item = named ? this.item(named) : { name: study.description?.trim() || [modality?.display ?? modality?.code, study.series?.[0]?.bodySite?.display].filter(Boolean).join(' ') || '影像检查', codes: codesOf(modality ? { coding: [modality] } : undefined) };
    return clean({
      id: `ImagingStudy/${study.id}`,
      category: 'imaging',
      item,
      collectedAt: study.started,
      // An ImagingStudy names no performer; its location (often a conditional reference) is the best hint.
      issuer: study.location?.display?.trim() ? { identifiers: [], name: study.location.display.trim() } : { identifiers: [] },
      marks: this.marks(study.meta?.tag),
      imagesUrl: this.imagesUrl(study),
      status: study.status,
    } as ExternalResult);
  }

  private item(code: CodeableConcept): ExternalResult['item'] {
    const codes = codesOf(code);
    const name = normalizeSpace(code.text) || normalizeSpace(code.coding?.find((c) => c.display?.trim())?.display) || codes[0]?.code || '未命名项目';
    return { name, codes };
  }

  /**
   * 出具机构: the first performer that is an Organization, the analyte's own before its report's; a
   * Practitioner or PractitionerRole performer is resolved to its organization where the data allows
   * (PractitionerRole.organization; a Practitioner through a PractitionerRole naming it), else the
   * issuer stays unknown — never the practitioner's name.
   */
  private issuer(...lists: (Reference[] | undefined)[]): ExternalResult['issuer'] {
    const all = lists.flatMap((l) => l ?? []);
    const refs = all.filter((r) => isOrganizationRef(r)).concat(all.flatMap((r) => this.organizationOf(r)));
    for (const ref of refs) {
      const org = this.parsed.Organization.get(this.key(ref, 'Organization') ?? '');
      if (org) {
        const identifiers = (org.identifier ?? []).filter((i): i is InstitutionIdentifier => Boolean(i.value));
        return clean({ identifiers, name: org.name ?? ref.display });
      }
    }
    const ref = refs[0];
    if (!ref) return { identifiers: [] };
    const identifiers: InstitutionIdentifier[] = [];
    if (ref.identifier?.value) identifiers.push(clean({ system: ref.identifier.system, value: ref.identifier.value }));
    const conditional = /^Organization\?identifier=(.+)$/.exec(ref.reference ?? '');
    if (conditional) {
      const token = decodeOr(conditional[1]!);
      const bar = token.lastIndexOf('|');
      identifiers.push(bar >= 0 ? clean({ system: token.slice(0, bar) || undefined, value: token.slice(bar + 1) }) : { value: token });
    }
    return clean({ identifiers: identifiers.filter((i) => i.value), name: ref.display?.trim() || undefined });
  }

  /** The organization a Practitioner/PractitionerRole performer works for, when the data says. */
  private organizationOf(ref: Reference): Reference[] {
    const roleKey = this.key(ref, 'PractitionerRole');
    if (roleKey) {
      const org = this.parsed.PractitionerRole.get(roleKey)?.organization;
      return org ? [{ ...org, type: org.type ?? 'Organization' }] : [];
    }
    const practitioner = this.key(ref, 'Practitioner');
    if (!practitioner) return [];
    for (const role of this.parsed.PractitionerRole.values()) {
      if (role.organization && this.key(role.practitioner ?? {}, 'Practitioner') === practitioner) return [{ ...role.organization, type: role.organization.type ?? 'Organization' }];
    }
    return [];
  }

  private marks(...tagLists: ({ system?: string; code?: string; display?: string }[] | undefined)[]): string[] {
    const marks = new Set<string>();
    for (const tag of tagLists.flat()) {
      if (tag?.system !== this.markSystem) continue;
      const text = normalizeSpace(tag.display) || normalizeSpace(tag.code);
      if (text) marks.add(text);
    }
    return [...marks];
  }

  private imagesUrl(study: ImagingStudy): string | undefined {
    for (const ref of study.endpoint ?? []) {
      const endpoint = this.parsed.Endpoint.get(this.key(ref, 'Endpoint') ?? '');
      if (endpoint && /^https?:\/\//i.test(endpoint.address) && canParseUrl(endpoint.address)) return endpoint.address;
    }
    return undefined;
  }
}

function isOrganizationRef(ref: Reference): boolean {
  if (ref.type) return ref.type === 'Organization';
  const r = ref.reference ?? '';
  if (!r) return Boolean(ref.display || ref.identifier);
  return /(^|\/)Organization[/?]/.test(r);
}

function codesOf(code: CodeableConcept | undefined): ExternalResult['item']['codes'] {
  return (code?.coding ?? []).filter((c) => c.code?.trim()).map((c) => clean({ system: c.system, code: c.code!.trim(), display: c.display }));
}

function conceptText(c: CodeableConcept | undefined): string | undefined {
  return c ? (c.text ?? c.coding?.[0]?.display ?? c.coding?.[0]?.code) : undefined;
}

function firstValue(ids: { value?: string }[] | undefined): string | undefined {
  return ids?.find((i) => i.value?.trim())?.value?.trim();
}

function leastComplete(a: string, b: string | undefined): string {
  if (!b) return a;
  return completeness(b) < completeness(a) ? b : a;
}

function normalizeSpace(text: string | undefined): string {
  return (text ?? '').replace(/[\s\u3000]+/g, ' ').trim();
}

/** Drops keys whose value is undefined, so results stay small in IndexedDB and equal in tests. */
function clean<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** How complete a status is (own keys only: a status of `constructor` reads as final). */
function completeness(status: string): number {
  return Object.prototype.hasOwnProperty.call(COMPLETENESS, status) ? COMPLETENESS[status]! : 2;
}

/** Percent-decoding that keeps malformed text (`%E4%ZZ`) as written instead of throwing. */
function decodeOr(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
