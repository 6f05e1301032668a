import { z } from 'zod';
import { PatientIdentifier, Practitioner } from './encounter';
import { ResultSource } from './external-result';
import { CalendarDate } from '../rules/schema/common';

/** Code system of Huren's re-test reason codes (the pack's `RT-n` codes). */
export const RETEST_REASON_SYSTEM = 'https://huren.example/fhir/CodeSystem/retest-reason';
/** Namespace of Huren's CDS Hooks feedback extensions (reverse-domain, as the spec asks). */
export const EXT = 'cn.huren.decision';

/** 提醒时机: when the patient was opened, or when a matching order was being placed. */
export const Trigger = z.enum(['patient-view', 'order-select']);
export type Trigger = z.infer<typeof Trigger>;

export const Coding = z.object({ system: z.string().min(1).max(256), code: z.string().min(1).max(64), display: z.string().min(1).max(200) });

/** What Huren adds to each feedback entry, so a hospital can file and count it. */
export const DecisionContext = z.object({
  /** 接诊机构: the hospital deciding (its institution id in the packs); absent in decisions stored before the hub. */
  hospital: z.string().trim().min(1).max(64).optional(),
  patient: PatientIdentifier,
  item: z.object({ id: z.string().max(128).nullable(), name: z.string().min(1).max(128), category: z.enum(['lab', 'imaging']) }),
  /** The prior external result the card showed (id in the source, 档案号, clock date). */
  result: z.object({
    id: z.string().min(1).max(256),
    reportNumber: z.string().max(128).optional(),
    date: CalendarDate.nullable(),
    /** 纸质 (a paper report the physician entered) or the platform; absent in decisions made before paper entry (= platform). */
    source: ResultSource.optional(),
  }),
  issuer: z.object({ id: z.string().max(128).nullable(), name: z.string().max(128).nullable() }),
  practitioner: Practitioner,
  pack: z.object({ id: z.string().min(1).max(64), version: z.string().min(1).max(64) }),
  trigger: Trigger,
  /** The decision this one revises, when the physician changes their mind. */
  revises: z.string().uuid().optional(),
  /** Money not spent on a repeated test (元), from the pack's item price; only for recognitions. */
  savedPrice: z.number().nonnegative().max(1_000_000).optional(),
});
export type DecisionContext = z.infer<typeof DecisionContext>;

/**
 * 互认/复查决定: a CDS Hooks 2.0 feedback entry. `accepted` = recognized (互认), with the
 * "recognize" suggestion; `overridden` = re-test (复查) with a reason from the pack.
 */
export const Decision = z
  .object({
    /** The decision's own id: the idempotency key when it is sent. */
    uuid: z.string().uuid(),
    /** The card the physician acted on (stable per patient and result). */
    card: z.string().uuid(),
    outcome: z.enum(['accepted', 'overridden']),
    acceptedSuggestions: z.array(z.object({ id: z.string().min(1).max(64) })).max(5).optional(),
    overrideReason: z
      .object({
        reason: Coding,
        userComment: z.string().trim().max(500).optional(),
      })
      .optional(),
    /** UTC, as CDS Hooks requires. */
    outcomeTimestamp: z.iso.datetime({ offset: false }),
    extension: z.object({ [EXT]: DecisionContext }),
  })
  .superRefine((d, ctx) => {
    if (d.outcome === 'accepted' && !d.acceptedSuggestions?.length) {
      ctx.addIssue({ code: 'custom', path: ['acceptedSuggestions'], message: 'a recognition names the accepted suggestion' });
    }
    if (d.outcome === 'overridden' && !d.overrideReason) {
      ctx.addIssue({ code: 'custom', path: ['overrideReason'], message: 'a re-test needs a reason' });
    }
  });
export type Decision = z.infer<typeof Decision>;

/** The suggestion a recognition accepts. */
export const RECOGNIZE_SUGGESTION = 'recognize';
