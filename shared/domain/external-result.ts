import { z } from 'zod';

/** A coded concept as it arrives from a results platform (LOINC, local codes, …). */
export const Code = z.object({
  system: z.string().min(1).optional(),
  code: z.string().min(1),
  display: z.string().optional(),
});
export type Code = z.infer<typeof Code>;

/** An identifier of the issuing institution as written in results (e.g. 统一社会信用代码, 医疗机构登记号). */
export const InstitutionIdentifier = z.object({
  system: z.string().optional(),
  value: z.string().min(1),
});
export type InstitutionIdentifier = z.infer<typeof InstitutionIdentifier>;

/** 结果类别: 检验 (lab) or 检查 (imaging / exam: X 线, CT, MRI, 超声, 心电, 核医学). */
export const ResultCategory = z.enum(['lab', 'imaging']);
export type ResultCategory = z.infer<typeof ResultCategory>;

/** 结果来源: the results platform (互认平台), or a paper report entered by the physician (纸质). */
export const ResultSource = z.enum(['platform', 'paper']);
export type ResultSource = z.infer<typeof ResultSource>;

/** Each lab keeps its own reference range: ranges differ by instrument, reagent and method. */
export const ReferenceRange = z.object({
  low: z.number().optional(),
  high: z.number().optional(),
  text: z.string().optional(),
});
export type ReferenceRange = z.infer<typeof ReferenceRange>;

/**
 * 外院检查检验结果: one prior result from another hospital, normalized from whatever the
 * platform sent (FHIR R4 first). One lab analyte, one lab panel, or one imaging exam.
 */
export const ExternalResult = z.object({
  /** Stable id within the source, e.g. "Observation/abc"; used to key decisions. */
  id: z.string().min(1),
  category: ResultCategory,
  item: z.object({
    name: z.string().min(1),
    codes: z.array(Code).default([]),
  }),
  /** Numeric or text value as reported, with the lab's own unit and range. */
  value: z.union([z.number(), z.string()]).optional(),
  unit: z.string().optional(),
  referenceRange: ReferenceRange.optional(),
  /** HL7 interpretation code (N, H, L, A, HH, LL, …) where the lab gave one. */
  interpretation: z.string().optional(),
  /** True when the lab flagged the value abnormal (derived from interpretation). */
  abnormal: z.boolean().optional(),
  /** Sample collection / examination time (ISO 8601 with offset). */
  collectedAt: z.string().optional(),
  /** 接收标本时间: when the lab received the specimen (CDA 检验报告), shown, not a clock. */
  receivedAt: z.string().optional(),
  /** 标本类别 as the lab wrote it (血清, 尿液 …): a result never counts for an item of another specimen. */
  specimen: z.string().optional(),
  /** Report issue time (ISO 8601 with offset). */
  reportedAt: z.string().optional(),
  /** 出具机构 */
  issuer: z.object({
    identifiers: z.array(InstitutionIdentifier).default([]),
    name: z.string().optional(),
  }),
  /** 档案号 / report number, cited into the record when recognized. */
  reportNumber: z.string().optional(),
  /** 互认标识, e.g. "湛江市 HR", "鄂HR". */
  marks: z.array(z.string()).default([]),
  /** Imaging conclusion (检查结论/印象/主观提示); physicians' diagnoses are never part of a result. */
  conclusion: z.string().optional(),
  /** Imaging findings (检查所见/客观所见), plain text: shown as text, never as markup. */
  findings: z.string().optional(),
  /** 云胶片: link to view the images, when the platform offers one. */
  imagesUrl: z.string().url().optional(),
  /** Report-level status (final, amended, preliminary, registered, …). */
  status: z.string().optional(),
  /** Report this result belongs to (a lab panel), for grouping on screen. */
  report: z.object({ id: z.string(), name: z.string().optional() }).optional(),
  /** Where it came from: the results platform (absent = platform), or a paper report the patient brought (实体检查结果, entered by the physician). */
  source: ResultSource.optional(),
});
export type ExternalResult = z.infer<typeof ExternalResult>;
