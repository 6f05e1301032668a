import { z } from 'zod';

/** How a patient is identified in the EMR page (身份证号, 健康卡号, 门诊号 …). */
export const PatientIdentifier = z.object({
  /** FHIR identifier system URI configured per site; absent when the page does not say. */
  system: z.string().min(1).max(256).optional(),
  value: z.string().trim().min(1, 'patient identifier is empty').max(64),
});
export type PatientIdentifier = z.infer<typeof PatientIdentifier>;

/** The patient as read from the EMR page, shown in the panel header so the physician can confirm. */
export const PatientContext = z.object({
  identifier: PatientIdentifier,
  name: z.string().trim().max(64).optional(),
  gender: z.string().trim().max(8).optional(),
  age: z.string().trim().max(16).optional(),
});
export type PatientContext = z.infer<typeof PatientContext>;

/** An order being placed (开立中的医嘱/申请单), matched against the catalog by code or name. */
export const Order = z.object({
  name: z.string().trim().min(1).max(128),
  code: z.string().trim().max(64).optional(),
  codeSystem: z.string().trim().max(256).optional(),
});
export type Order = z.infer<typeof Order>;

/** Who is deciding: 接诊医师 and 科室. */
export const Practitioner = z.object({
  physician: z.string().trim().max(64).optional(),
  department: z.string().trim().max(64).optional(),
});
export type Practitioner = z.infer<typeof Practitioner>;

/** Everything the host (EMR page or in-house EMR) tells Huren about the current encounter. */
export const EncounterContext = z.object({
  patient: PatientContext,
  orders: z.array(Order).max(200).default([]),
  user: Practitioner.default({}),
  /** Encounter situations that suppress recognition (急诊急救, 术前/输血前 …); codes from the rule pack. */
  flags: z.array(z.string().max(64)).max(32).default([]),
});
export type EncounterContext = z.infer<typeof EncounterContext>;
