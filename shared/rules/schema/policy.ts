import { z } from 'zod';
import { BilingualText, Category, Id } from './common.ts';
import { NegativeWhen } from './catalog-item.ts';

/** A cross-region agreement: marks of another region this pack accepts (跨区域互认). */
export const AcceptedMark = z.strictObject({
  mark: z.string().trim().min(1),
  /** Limit the agreement to lab or imaging; absent means both. */
  categories: z.array(Category).optional(),
  source: Id.optional(),
  note: z.string().optional(),
});
export type AcceptedMark = z.infer<typeof AcceptedMark>;

/** 互认原则: who recognizes whom. */
export const RecognitionPolicy = z.strictObject({
  /** same-or-higher = 同级互认、下级认上级; any = level does not matter. */
  levelRule: z.enum(['same-or-higher', 'any']),
  /**
   * 医联体内互认: all-items = every result of an alliance member, catalog or not;
   * catalog-items = catalog items regardless of level and qualification; none = no special rule.
   */
  alliance: z.enum(['all-items', 'catalog-items', 'none']),
  /** A mark is valid only where its region covers the receiving institution. */
  markValidOnlyInRegion: z.boolean(),
  /** Require the qualification's mark printed on the result itself. */
  requireMarkOnResult: z.boolean().default(false),
  acceptedMarks: z.array(AcceptedMark).default([]),
  /** 患者授权: external results are shown only after the patient's consent (江苏, 北京). Absent: the hospital's setting decides. */
  patientConsent: z.boolean().optional(),
  source: Id.optional(),
});
export type RecognitionPolicy = z.infer<typeof RecognitionPolicy>;

/** 负面清单条目: items or situations never recognized. Scope fields narrow; none means all items. */
export const NegativeEntry = z.strictObject({
  id: Id,
  items: z.array(Id).optional(),
  groups: z.array(z.string().trim().min(1)).optional(),
  categories: z.array(Category).optional(),
  /** Names of items outside the catalog (matched exactly after normalization). */
  names: z.array(z.string().trim().min(1)).optional(),
  /** Absent: always. Present: only when one of the conditions holds. */
  when: NegativeWhen.optional(),
  reason: BilingualText,
  source: Id.optional(),
});
export type NegativeEntry = z.infer<typeof NegativeEntry>;
