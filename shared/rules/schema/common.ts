import { z } from 'zod';

/** A calendar date (日历日期) written YYYY-MM-DD; checked to exist (no 2025-02-29). */
export const CalendarDate = z.string().refine(isRealCalendarDate, {
  message: 'expected a calendar date YYYY-MM-DD that exists',
});

/** A label in both languages the product ships: the UI shows zh-CN, logs and docs use en. */
export const BilingualText = z.strictObject({
  'zh-CN': z.string().trim().min(1),
  en: z.string().trim().min(1),
});
export type BilingualText = z.infer<typeof BilingualText>;

/** 结果类别: 检验 (lab) or 检查 (imaging). Same words as ExternalResult.category. */
export const Category = z.enum(['lab', 'imaging']);
export type Category = z.infer<typeof Category>;

/** A code as written in the pack: LOINC or a local code system. */
export const PackCode = z.strictObject({
  system: z.string().trim().min(1),
  code: z.string().trim().min(1),
});
export type PackCode = z.infer<typeof PackCode>;

/** Ids are referenced from other parts of the pack, so keep them plain and stable. */
export const Id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'expected an id of letters, digits, . _ : - (max 64)');

export function isRealCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}
