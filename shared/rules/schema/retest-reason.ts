import { z } from 'zod';
import { BilingualText } from './common.ts';

/** 复检理由: why a physician re-tests a recognizable item; the wording is the region's own. */
export const RetestReason = z.strictObject({
  /** Stable code recorded with every decision, e.g. RT-1; never reused for another meaning. */
  code: z.string().regex(/^[A-Z][A-Z0-9]*-[0-9A-Za-z]+$/, 'expected a code such as RT-1'),
  label: BilingualText,
  /** 其他 needs a free-text explanation for the patient and the regulator. */
  commentRequired: z.boolean(),
});
export type RetestReason = z.infer<typeof RetestReason>;
