import { z } from 'zod';
import { BilingualText, Category, Id, PackCode } from './common.ts';

/** Result conditions under which an item is not recognized; any one that holds suffices. */
export const NegativeWhen = z
  .strictObject({
    /** Any of these encounter flags is set (e.g. pre-op for 术前/输血前). */
    anyFlag: z.array(Id).min(1).optional(),
    /** The issuing lab flagged the value abnormal (指标异常). */
    abnormal: z.literal(true).optional(),
  })
  .refine((w) => w.anyFlag !== undefined || w.abnormal !== undefined, {
    message: 'a condition needs anyFlag or abnormal',
  });
export type NegativeWhen = z.infer<typeof NegativeWhen>;

/** 项目级除外情形, e.g. 抗梅毒螺旋体特异性抗体：指标异常和术前输血前除外. */
export const ItemNegativeCondition = z.strictObject({
  when: NegativeWhen,
  reason: BilingualText,
  source: Id.optional(),
});
export type ItemNegativeCondition = z.infer<typeof ItemNegativeCondition>;

/** 互认项目: one entry of the 互认项目清单, with its 参考时限. */
export const CatalogItem = z.strictObject({
  id: Id,
  /** Official Chinese name (项目名称) as the list prints it. */
  name: z.string().trim().min(1),
  /** English name for logs and the English UI. */
  nameEn: z.string().trim().min(1).optional(),
  /** 别名/缩写: other names results use, e.g. 谷丙转氨酶, ALT. Exact names, never fragments. */
  aliases: z.array(z.string().trim().min(1)).default([]),
  category: Category,
  /** 专业分组, e.g. 临床化学, 临床血液体液 …, 普通放射, CT, MRI, 超声. */
  group: z.string().trim().min(1),
  codes: z.array(PackCode).default([]),
  /** 标本类别 the item is defined on (血清, 全血, 尿液 …): results of another specimen kind never match. */
  specimen: z.string().trim().min(1).max(32).optional(),
  /** 参考时限 in days; absent means the category default applies. */
  timeLimitDays: z.number().int().min(0).max(3650).optional(),
  /** 参考价格 in 元, for the money-saved figure. */
  price: z.number().min(0).optional(),
  negativeConditions: z.array(ItemNegativeCondition).default([]),
  /** 组合项目: a panel's member items, so an order for 肝功能 finds recognizable ALT, AST …. */
  members: z.array(Id).default([]),
  /** Source ids the entry (or its time limit) rests on. */
  sources: z.array(Id).default([]),
  note: z.string().optional(),
});
export type CatalogItem = z.infer<typeof CatalogItem>;
