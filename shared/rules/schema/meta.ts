import { z } from 'zod';
import { CalendarDate, Id } from './common.ts';
import { Source } from './source.ts';

/** 规则包信息: who published the rules, for which region, and since when. */
export const PackMeta = z.strictObject({
  id: Id,
  name: z.string().trim().min(1),
  /** 适用地区, e.g. 湛江市 / 广东省 / 国家; must be one of the pack's regions. */
  region: z.string().trim().min(1),
  /** 版本, cited in every explanation so a verdict can be traced to the rules in force. */
  version: z.string().trim().min(1),
  effectiveFrom: CalendarDate,
  effectiveUntil: CalendarDate.optional(),
  sources: z.array(Source).min(1, 'a pack must cite at least one source'),
  note: z.string().optional(),
});
export type PackMeta = z.infer<typeof PackMeta>;

/** 时限起算: regions differ on whether the clock starts at collection or at report. */
export const Clock = z.strictObject({
  basis: z.enum(['collection', 'report']),
  /** IANA zone whose calendar days count; 中国 uses Asia/Shanghai. */
  timeZone: z.string().default('Asia/Shanghai').refine(isKnownTimeZone, {
    message: 'unknown IANA time zone',
  }),
});
export type Clock = z.infer<typeof Clock>;

/** 参考时限默认值 per category, e.g. 湛江: 检验 14 天, 检查 30 天. */
export const Defaults = z.strictObject({
  timeLimitDays: z.strictObject({
    lab: z.number().int().min(0).max(3650),
    imaging: z.number().int().min(0).max(3650),
  }),
  /** Source id the defaults come from. */
  source: Id.optional(),
});
export type Defaults = z.infer<typeof Defaults>;

/** 地区: a region and the region it lies within, so a provincial mark covers its cities. */
export const Region = z.strictObject({
  name: z.string().trim().min(1),
  within: z.string().trim().min(1).optional(),
});
export type Region = z.infer<typeof Region>;

/** 互认标识, e.g. "湛江市 HR", valid inside its region unless a cross-region agreement says more. */
export const Mark = z.strictObject({
  label: z.string().trim().min(1),
  region: z.string().trim().min(1),
  /** Other spellings seen on result sheets, e.g. 湛江市HR. */
  aliases: z.array(z.string().trim().min(1)).default([]),
});
export type Mark = z.infer<typeof Mark>;

/** 情形标记: encounter flags the host may send (急诊急救, 术前/输血前 …). */
export const SituationFlag = z.strictObject({
  code: Id,
  label: z.strictObject({ 'zh-CN': z.string().min(1), en: z.string().min(1) }),
});
export type SituationFlag = z.infer<typeof SituationFlag>;

const zoneCache = new Map<string, boolean>();
function isKnownTimeZone(zone: string): boolean {
  let known = zoneCache.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    zoneCache.set(zone, known);
  }
  return known;
}
