import { z } from 'zod';
import { CalendarDate, Id } from './common.ts';

/** One line of an issuer's item dictionary and the catalog item it is (or is not). */
export const CodeMapEntry = z.strictObject({
  /** The issuer's own item code (检验/检查项目代码) as its documents carry it. */
  code: z.string().trim().min(1).max(64),
  /** The issuer's name for it, from its dictionary (for the reviewer; matching uses the code). */
  name: z.string().trim().min(1).max(128).optional(),
  /** 标本类别 in the issuer's dictionary (血清, 尿液 …): a result of another specimen never maps. */
  specimen: z.string().trim().min(1).max(32).optional(),
  unit: z.string().trim().min(1).max(32).optional(),
  /** The catalog item; absent: reviewed and not a catalog item. */
  item: Id.optional(),
  /** Drafted and not yet confirmed by a person: the engine ignores the line until this is false. */
  review: z.boolean().default(false),
  /** Why it needs review, or what the reviewer decided. */
  note: z.string().max(500).optional(),
});
export type CodeMapEntry = z.infer<typeof CodeMapEntry>;

/**
 * 项目对照表: a hospital's map from one issuer's local item codes to catalog items. WS/T 500
 * documents carry only the issuer's own code (DE04.30.019.00, no LOINC, often no name), so this is
 * how their results find their catalog item (docs/code-maps.md).
 */
export const CodeMap = z.strictObject({
  /** The issuing institution, by its id in this pack. */
  issuer: Id,
  /**
   * Code system the issuer's codes carry in results. Default: urn:huren:issuer-local-item (what
   * the CDA source writes); a FHIR platform may use the hospital's own system URI.
   */
  system: z.string().trim().min(1).max(256).optional(),
  /** When the dictionary was last reconciled. */
  updated: CalendarDate.optional(),
  entries: z.array(CodeMapEntry),
});
export type CodeMap = z.infer<typeof CodeMap>;
