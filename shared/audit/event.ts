import { z } from 'zod';
import { Trigger } from '../domain/decision';
import { PatientIdentifier, Practitioner } from '../domain/encounter';

/** What a physician opened on the panel: a card's images (云胶片), the others list, a trend. */
export const OpenedTarget = z.enum(['images', 'others', 'trend']);
export type OpenedTarget = z.infer<typeof OpenedTarget>;

const base = {
  /** UTC ISO time of the event. */
  at: z.iso.datetime({ offset: false }),
  /** 接诊医师/科室 as the host said (EncounterContext.user). */
  actor: Practitioner,
  /**
   * Whose results: the identifier in clear, so the hospital can answer "who viewed whose
   * results". The audit lives in extension-origin storage (or the hospital's own origin for
   * the widget) and is never written to the console.
   */
  patient: PatientIdentifier,
};
const item = z.object({ id: z.string().nullable(), name: z.string().min(1), category: z.enum(['lab', 'imaging']) });

/** 审计记录: one thing a physician did with a patient's external results. */
export const AuditEvent = z.discriminatedUnion('kind', [
  /** The panel showed this patient's external results (once per patient view). */
  z.object({ kind: z.literal('viewed'), ...base, resultCount: z.number().int().nonnegative() }),
  /** A "可互认" card was shown (once per card per patient view): the denominator of prompts. */
  z.object({ kind: z.literal('prompted'), ...base, card: z.string().uuid(), item, trigger: Trigger }),
  /** The physician opened something about a result. */
  z.object({ kind: z.literal('opened'), ...base, target: OpenedTarget, card: z.string().uuid().optional(), item: item.optional() }),
  /** A decision (or a revision) was stored. */
  z.object({
    kind: z.literal('decided'),
    ...base,
    card: z.string().uuid(),
    decision: z.string().uuid(),
    outcome: z.enum(['accepted', 'overridden']),
    revises: z.string().uuid().optional(),
    reason: z.string().optional(),
    item,
  }),
]);
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
