import { z } from 'zod';
import { ConsentMethod } from '../audit/event';
import { PatientIdentifier, Practitioner } from '../domain/encounter';
import type { RulePack } from '../rules';

/**
 * 患者授权: where the hospital (a setting) or a rule pack (policy.patientConsent) requires it, the
 * panel asks before its first request to the platform for a patient, makes none before, and keeps
 * the answer for the encounter: `rememberHours` (default 12, a clinic day; 0 = this patient view only).
 */
export interface ConsentPolicy {
  required: boolean;
  rememberHours: number;
}

export const ConsentSetting = z.object({
  required: z.boolean().default(false),
  rememberHours: z.number().int().min(0).max(720).default(12),
});
export type ConsentSetting = z.input<typeof ConsentSetting>;

export const DEFAULT_REMEMBER_HOURS = 12;

/** The hospital's setting, or any active pack that requires it. */
export function consentPolicy(setting: ConsentSetting | undefined, packs: readonly RulePack[]): ConsentPolicy {
  const s = ConsentSetting.parse(setting ?? {});
  const byPack = packs.some((p) => p.policy.patientConsent === true);
  return { required: s.required || byPack, rememberHours: s.rememberHours };
}

/** One patient's consent as recorded: who confirmed it, when, how, until when it counts. */
export const ConsentRecord = z.object({
  patient: PatientIdentifier,
  method: ConsentMethod,
  granted: z.boolean(),
  at: z.iso.datetime({ offset: false }),
  confirmedBy: Practitioner,
  /** Epoch ms after which it is asked again. */
  validUntil: z.number().int().nonnegative(),
});
export type ConsentRecord = z.infer<typeof ConsentRecord>;

/** Where consents are kept (extension: the background's IndexedDB; widget: its own database). */
export interface ConsentStore {
  /** The latest consent of this patient still valid at `now`, if any. */
  current(patient: PatientIdentifier, now: Date): Promise<ConsentRecord | null>;
  /** Resolves once durable. */
  record(consent: ConsentRecord): Promise<void>;
}

/** The stored record if valid at `now` (re-validated: an unreadable row asks again). */
export function validConsent(row: { consent: unknown } | undefined, now: Date): ConsentRecord | null {
  const parsed = ConsentRecord.safeParse(row?.consent);
  return parsed.success && parsed.data.validUntil > now.getTime() ? parsed.data : null;
}
