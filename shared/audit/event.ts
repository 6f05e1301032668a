import { z } from 'zod';
import { Trigger } from '../domain/decision';
import { PatientIdentifier, Practitioner } from '../domain/encounter';
import { ResultSource } from '../domain/external-result';
import { CalendarDate } from '../rules/schema/common';

/** What a physician opened on the panel: a card's images (云胶片), the others list, a trend. */
export const OpenedTarget = z.enum(['images', 'others', 'trend']);
export type OpenedTarget = z.infer<typeof OpenedTarget>;

/** How a recognized result went into the record (引用): copied to the clipboard, or inserted into the note field. */
export const CitedHow = z.enum(['copied', 'inserted']);
export type CitedHow = z.infer<typeof CitedHow>;

const base = {
  /** UTC ISO time of the event. */
  at: z.iso.datetime({ offset: false }),
  /** 接诊医师/科室 as the host said (EncounterContext.user). */
  actor: Practitioner,
  /**
   * Whose results: the identifier in clear, so the hospital can answer "who viewed whose
   * results". The audit lives in extension-origin storage (or the hospital's own origin for
   * the widget) and is never written to the console; the hub keeps it sealed (docs/hub.md).
   */
  patient: PatientIdentifier,
};
export const AuditItem = z.object({ id: z.string().max(128).nullable(), name: z.string().min(1).max(128), category: z.enum(['lab', 'imaging']) });

/** The external result a card showed (出具机构, 档案号, clock date): what monitoring counts per report (份). */
export const ShownResult = z.object({
  id: z.string().min(1).max(256),
  reportNumber: z.string().max(128).optional(),
  date: CalendarDate.nullable(),
  issuer: z.object({ id: z.string().max(128).nullable(), name: z.string().max(128).nullable() }),
  /** 纸质 or platform (absent = platform). */
  source: ResultSource.optional(),
});
export type ShownResult = z.infer<typeof ShownResult>;

/** The panel showed this patient's external results (once per patient view): 调阅. */
export const ViewedEvent = z.object({ kind: z.literal('viewed'), ...base, resultCount: z.number().int().nonnegative() });
/** A "可互认" card was shown (once per card per patient view): the denominator of prompts (提醒). */
export const PromptedEvent = z.object({
  kind: z.literal('prompted'),
  ...base,
  card: z.string().uuid(),
  item: AuditItem,
  trigger: Trigger,
  /** Since the hub: which result the card offered, and under which pack (absent in older rows). */
  result: ShownResult.optional(),
  pack: z.object({ id: z.string().min(1).max(64), version: z.string().min(1).max(64) }).optional(),
});
/** The physician opened something about a result. */
export const OpenedEvent = z.object({ kind: z.literal('opened'), ...base, target: OpenedTarget, card: z.string().uuid().optional(), item: AuditItem.optional() });
/** A recognized result was cited into the record (引用). */
export const CitedEvent = z.object({ kind: z.literal('cited'), ...base, card: z.string().uuid(), decision: z.string().uuid().optional(), item: AuditItem, how: CitedHow });
/** A decision (or a revision) was stored. */
export const DecidedEvent = z.object({
  kind: z.literal('decided'),
  ...base,
  card: z.string().uuid(),
  decision: z.string().uuid(),
  outcome: z.enum(['accepted', 'overridden']),
  revises: z.string().uuid().optional(),
  reason: z.string().optional(),
  item: AuditItem,
});

/** How the patient authorized viewing their external results (患者授权): 口头同意, 扫码授权, 书面. */
export const ConsentMethod = z.enum(['verbal', 'qr', 'written']);
export type ConsentMethod = z.infer<typeof ConsentMethod>;

/**
 * 患者授权: the physician recorded that the patient agreed (or declined) to let their external
 * results be viewed; `actor` is who confirmed it, `at` when. Sent to the hub like the other events.
 */
export const ConsentEvent = z.object({ kind: z.literal('consent'), ...base, method: ConsentMethod, granted: z.boolean() });

/** The fields of a 患者身份不一致 (shared/domain/patient-check.ts), never their values. */
export const MismatchedField = z.enum(['name', 'gender', 'age', 'birthDate']);

/**
 * 患者身份不一致: the patient the page showed did not match what its 身份证号 or the platform says
 * (which fields, never their values); the panel showed a wrong-patient warning and nothing else.
 * `patient` is the identifier the page gave. Kept in the local trail only (not sent to the hub).
 */
export const PatientMismatchEvent = z.object({ kind: z.literal('patient-mismatch'), ...base, fields: z.array(MismatchedField).min(1).max(4) });

/** 审计记录: one thing a physician did with a patient's external results. */
export const AuditEvent = z.discriminatedUnion('kind', [ViewedEvent, PromptedEvent, OpenedEvent, CitedEvent, DecidedEvent, ConsentEvent, PatientMismatchEvent]);
export type AuditEvent = z.infer<typeof AuditEvent>;
export type AuditKind = AuditEvent['kind'];

/** What a caller records: the time is added by the log unless given. */
export type AuditInput = AuditEvent extends infer E ? (E extends AuditEvent ? Omit<E, 'at'> & { at?: string } : never) : never;

/** Where events go. `record` never rejects: auditing must not block the physician. */
export interface AuditLog {
  record(event: AuditInput): Promise<void>;
}

/** Fire-and-forget for UI code: never throws, never awaits. */
export function recordAudit(log: AuditLog | undefined, event: AuditInput): void {
  if (!log) return;
  try {
    void log.record(event).catch(() => undefined);
  } catch {
    // A broken log must not break the panel.
  }
}
