import { z } from 'zod';
import { CalendarDate, Category, Id } from './common.ts';

/** 医疗机构等级: 三级/二级/一级 with 甲乙丙 where given; 未定级 ranks below 一级. */
export const InstitutionLevel = z.enum([
  '三级甲等', '三级乙等', '三级丙等', '三级',
  '二级甲等', '二级乙等', '二级丙等', '二级',
  '一级甲等', '一级乙等', '一级丙等', '一级',
  '未定级',
]);
export type InstitutionLevel = z.infer<typeof InstitutionLevel>;

/** An identifier as results carry it (统一社会信用代码, 医疗机构登记号, platform org id). */
export const PackIdentifier = z.strictObject({
  system: z.string().trim().min(1).optional(),
  value: z.string().trim().min(1),
});
export type PackIdentifier = z.infer<typeof PackIdentifier>;

/** 互认资质: items that passed 室间质评, the mark they carry, and for how long. */
export const Qualification = z
  .strictObject({
    items: z.array(Id).optional(),
    groups: z.array(z.string().trim().min(1)).optional(),
    categories: z.array(Category).optional(),
    /** Label of one of the pack's marks, e.g. "湛江市 HR". */
    mark: z.string().trim().min(1),
    validFrom: CalendarDate,
    validUntil: CalendarDate,
    source: Id.optional(),
  })
  .refine((q) => q.items !== undefined || q.groups !== undefined || q.categories !== undefined, {
    message: 'a qualification must name items, groups or categories',
  })
  .refine((q) => q.validFrom <= q.validUntil, {
    message: 'validFrom is after validUntil',
    path: ['validUntil'],
  });
export type Qualification = z.infer<typeof Qualification>;

/** 互认机构: one entry of the 医疗机构清单. */
export const Institution = z.strictObject({
  id: Id,
  name: z.string().trim().min(1),
  /** Other names results print (简称, former names); matched exactly after normalization. */
  aliases: z.array(z.string().trim().min(1)).default([]),
  identifiers: z.array(PackIdentifier).default([]),
  level: InstitutionLevel,
  region: z.string().trim().min(1),
  /** 医联体/医共体 ids from the pack's alliances. */
  alliances: z.array(Id).default([]),
  qualifications: z.array(Qualification).default([]),
  note: z.string().optional(),
});
export type Institution = z.infer<typeof Institution>;

/** 医联体 / 医共体 / 城市医疗集团. */
export const Alliance = z.strictObject({
  id: Id,
  name: z.string().trim().min(1),
  kind: z.enum(['医联体', '医共体', '城市医疗集团', '专科联盟']),
});
export type Alliance = z.infer<typeof Alliance>;

/** 级别序数: 三级 3 > 二级 2 > 一级 1 > 未定级 0; 甲乙丙 do not change it. */
export function levelRank(level: InstitutionLevel): number {
  if (level.startsWith('三级')) return 3;
  if (level.startsWith('二级')) return 2;
  if (level.startsWith('一级')) return 1;
  return 0;
}
