import { z } from 'zod';
import { CalendarDate, Id } from './common.ts';

/** 政策依据: a published document a pack rule rests on; rules cite it by id. */
export const Source = z.strictObject({
  id: Id,
  title: z.string().trim().min(1),
  /** 发文机关, e.g. 湛江市卫生健康局. */
  issuer: z.string().trim().min(1),
  /** 文号, e.g. 国卫医政发〔2024〕37号; absent when the text carries none. */
  documentNumber: z.string().trim().min(1).optional(),
  date: CalendarDate.optional(),
  url: z.string().url().optional(),
  /** Why it is cited, or what is not yet verified. */
  note: z.string().optional(),
});
export type Source = z.infer<typeof Source>;
