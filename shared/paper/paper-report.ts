import { z } from 'zod';
import { PatientIdentifier, Practitioner } from '../domain/encounter';
import { Code, InstitutionIdentifier, type ExternalResult } from '../domain/external-result';
import { CalendarDate } from '../rules/schema/common';
import type { RulePack } from '../rules';

/**
 * 实体检查结果: a paper report from another hospital that the patient brought, entered by the
 * physician. Until a hospital is connected to the platform, hospitals recognize each other's
 * results on paper (湛江 plan: "可凭实体检查结果进行互认"); patients also bring reports from
 * other provinces. The entry becomes ExternalResults (source 'paper') judged by the same engine.
 */
export const PaperValue = z.object({
  name: z.string().trim().min(1).max(64),
  value: z.string().trim().max(32).optional(),
  unit: z.string().trim().max(32).optional(),
  range: z.string().trim().max(64).optional(),
});
export type PaperValue = z.infer<typeof PaperValue>;

export const PaperReport = z.object({
  id: z.string().uuid(),
  patient: PatientIdentifier,
  /** When and by whom it was entered (UTC). */
  enteredAt: z.iso.datetime({ offset: false }),
  enteredBy: Practitioner,
  /** 出具机构: picked from the packs' institutions (id and identifiers), or typed (id null: an unknown issuer). */
  issuer: z.object({ id: z.string().max(128).nullable(), name: z.string().trim().min(1).max(128), identifiers: z.array(InstitutionIdentifier).max(10) }),
  /** The catalog item, as the pack names it. */
  item: z.object({ packId: z.string().min(1).max(64), id: z.string().min(1).max(128), name: z.string().min(1).max(128), category: z.enum(['lab', 'imaging']), codes: z.array(Code).max(20) }),
  collectedOn: CalendarDate,
  reportedOn: CalendarDate.optional(),
  /** 档案号 / report number as printed. */
  reportNumber: z.string().trim().min(1).max(128).optional(),
  /** The HR mark printed on the report (a pack's mark label), or null: none. */
  mark: z.string().trim().min(1).max(64).nullable(),
  values: z.array(PaperValue).max(40),
  conclusion: z.string().trim().min(1).max(2000).optional(),
});
export type PaperReport = z.infer<typeof PaperReport>;

/** What the entry form holds (strings as typed). */
export interface PaperDraft {
  institution: { id?: string; name: string };
  item: { packId: string; id: string } | null;
  collectedOn: string;
  reportedOn: string;
  reportNumber: string;
  mark: string | null;
  values: { name: string; value: string; unit: string; range: string }[];
  conclusion: string;
}

export type PaperField = 'institution' | 'item' | 'collectedOn' | 'reportedOn' | 'reportNumber' | 'values' | 'conclusion';
export type PaperProblemKey = 'paperErrInstitution' | 'paperErrItem' | 'paperErrCollected' | 'paperErrFuture' | 'paperErrReportBefore' | 'paperErrValueName' | 'paperErrTooLong';
export interface PaperProblem {
  field: PaperField;
  key: PaperProblemKey;
  vars?: Record<string, string | number>;
}

export type PaperCheck = { ok: true; report: PaperReport } | { ok: false; problems: PaperProblem[] };

/**
 * Checks a draft at the boundary and builds the report: an empty institution, an item not in the
 * active packs' catalogs, a missing or future date, a report date before the collection date, a
 * value row without a name each get their own message; nothing is built (so nothing is saved)
 * while any remains. `today` is the calendar day in the hospital's zone (YYYY-MM-DD).
 */
export function checkPaperDraft(
  draft: PaperDraft,
  context: { packs: readonly RulePack[]; today: string; patient: PatientIdentifier; enteredBy: Practitioner; id: string; now: Date },
): PaperCheck {
  const problems: PaperProblem[] = [];
  const name = draft.institution.name.trim();
  if (!name) problems.push({ field: 'institution', key: 'paperErrInstitution' });
  if (name.length > 128) problems.push({ field: 'institution', key: 'paperErrTooLong', vars: { field: '出具机构' } });
  const pack = draft.item ? context.packs.find((p) => p.meta.id === draft.item!.packId) : undefined;
  const item = pack?.catalog.find((c) => c.id === draft.item!.id);
  if (!item || !pack) problems.push({ field: 'item', key: 'paperErrItem' });
  const collected = draft.collectedOn.trim();
  if (!CalendarDate.safeParse(collected).success) problems.push({ field: 'collectedOn', key: 'paperErrCollected' });
  else if (collected > context.today) problems.push({ field: 'collectedOn', key: 'paperErrFuture' });
  const reported = draft.reportedOn.trim();
  if (reported) {
    if (!CalendarDate.safeParse(reported).success) problems.push({ field: 'reportedOn', key: 'paperErrCollected' });
    else if (reported > context.today) problems.push({ field: 'reportedOn', key: 'paperErrFuture' });
    else if (CalendarDate.safeParse(collected).success && reported < collected) problems.push({ field: 'reportedOn', key: 'paperErrReportBefore' });
  }
  if (draft.reportNumber.trim().length > 128) problems.push({ field: 'reportNumber', key: 'paperErrTooLong', vars: { field: '档案号' } });
  const values = draft.values.filter((v) => v.name.trim() || v.value.trim() || v.unit.trim() || v.range.trim());
  values.forEach((v, i) => {
    if (!v.name.trim()) problems.push({ field: 'values', key: 'paperErrValueName', vars: { row: i + 1 } });
    else if (!PaperValue.safeParse(v).success) problems.push({ field: 'values', key: 'paperErrTooLong', vars: { field: `第 ${i + 1} 行结果` } });
  });
  if (draft.conclusion.trim().length > 2000) problems.push({ field: 'conclusion', key: 'paperErrTooLong', vars: { field: '检查结论' } });
  if (problems.length > 0 || !item || !pack) return { ok: false, problems };

  const institution = draft.institution.id ? context.packs.flatMap((p) => p.institutions).find((i) => i.id === draft.institution.id) : undefined;
  const optional = (text: string) => (text.trim() ? text.trim() : undefined);
  const report = PaperReport.parse({
    id: context.id,
    patient: context.patient,
    enteredAt: context.now.toISOString(),
    enteredBy: context.enteredBy,
    issuer: institution && institution.name === name
      ? { id: institution.id, name, identifiers: institution.identifiers.map((i) => (i.system ? { system: i.system, value: i.value } : { value: i.value })).slice(0, 10) }
      : { id: null, name, identifiers: [] },
    item: { packId: pack.meta.id, id: item.id, name: item.name, category: item.category, codes: item.codes.slice(0, 20).map((c) => ({ system: c.system, code: c.code })) },
    collectedOn: collected,
    ...(reported ? { reportedOn: reported } : {}),
    ...(optional(draft.reportNumber) ? { reportNumber: optional(draft.reportNumber) } : {}),
    mark: draft.mark?.trim() || null,
    values: values.map((v) => ({ name: v.name.trim(), ...(optional(v.value) ? { value: optional(v.value) } : {}), ...(optional(v.unit) ? { unit: optional(v.unit) } : {}), ...(optional(v.range) ? { range: optional(v.range) } : {}) })),
    ...(optional(draft.conclusion) ? { conclusion: optional(draft.conclusion) } : {}),
  });
  return { ok: true, report };
}

/** "3.5-9.5", "3.5～9.5", "<5", "≥1.2": a range the engine and the card can read; the text is kept too. */
function range(text: string | undefined): ExternalResult['referenceRange'] {
  if (!text) return undefined;
  const both = /^\s*(-?\d+(?:\.\d+)?)\s*[-–~～至]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (both) return { low: Number(both[1]), high: Number(both[2]), text };
  return { text };
}

const numeric = (v: string | undefined) => (v !== undefined && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);

/**
 * The report as ExternalResults (source 'paper'): one for the catalog item (judged like any
 * platform result), and for a panel one per value row, in the same report so the card cites them.
 * A single item's first value row is that result's value.
 */
export function paperResults(report: PaperReport, packs: readonly RulePack[]): ExternalResult[] {
  const reportRef = { id: `paper:${report.id}`, name: report.item.name };
  const base = {
    category: report.item.category,
    collectedAt: report.collectedOn,
    ...(report.reportedOn ? { reportedAt: report.reportedOn } : {}),
    issuer: { identifiers: report.issuer.identifiers, name: report.issuer.name },
    ...(report.reportNumber ? { reportNumber: report.reportNumber } : {}),
    marks: report.mark ? [report.mark] : [],
    status: 'final',
    report: reportRef,
    source: 'paper' as const,
  };
  const catalogItem = packs.find((p) => p.meta.id === report.item.packId)?.catalog.find((c) => c.id === report.item.id);
  const members = catalogItem?.members ?? [];
  const single = members.length === 0 ? report.values[0] : undefined;
  const main: ExternalResult = {
    ...base,
    id: `paper:${report.id}`,
    item: { name: report.item.name, codes: report.item.codes },
    ...(single?.value !== undefined ? { value: numeric(single.value) } : {}),
    ...(single?.unit ? { unit: single.unit } : {}),
    ...(single?.range ? { referenceRange: range(single.range) } : {}),
    ...(report.conclusion ? { conclusion: report.conclusion } : {}),
  };
  if (members.length === 0) return [main];
  const pack = packs.find((p) => p.meta.id === report.item.packId);
  const rows = report.values.map((v, i): ExternalResult => {
    const member = pack?.catalog.find((c) => members.includes(c.id) && (c.name === v.name || c.aliases.includes(v.name)));
    return {
      ...base,
      id: `paper:${report.id}#${i + 1}`,
      item: { name: member?.name ?? v.name, codes: member?.codes.map((c) => ({ system: c.system, code: c.code })) ?? [] },
      ...(v.value !== undefined ? { value: numeric(v.value) } : {}),
      ...(v.unit ? { unit: v.unit } : {}),
      ...(v.range ? { referenceRange: range(v.range) } : {}),
    };
  });
  return [main, ...rows];
}

/** Where paper reports are kept (extension: the background's IndexedDB; widget: its own database). */
export interface PaperStore {
  /** Resolves once the report is durable; the whole report or nothing. */
  save(report: PaperReport): Promise<void>;
  forPatient(patient: PatientIdentifier): Promise<PaperReport[]>;
}

/** Reports read back are validated again (one an older version wrote that no longer parses is left out). */
export function parsedPaperReports(rows: readonly { report: unknown }[]): PaperReport[] {
  return rows.flatMap((r) => {
    const parsed = PaperReport.safeParse(r.report);
    return parsed.success ? [parsed.data] : [];
  });
}
