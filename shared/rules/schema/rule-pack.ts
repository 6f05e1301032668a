import { z } from 'zod';
import { CatalogItem } from './catalog-item.ts';
import { CodeMap } from './code-map.ts';
import { Alliance, Institution } from './institution.ts';
import { Clock, Defaults, Mark, PackMeta, Region, SituationFlag } from './meta.ts';
import { NegativeEntry, RecognitionPolicy } from './policy.ts';
import { RetestReason } from './retest-reason.ts';

/**
 * 互认规则包: one region's three lists (项目清单, 机构清单, 负面清单), its recognition
 * principles, time limits and re-test reasons, as data a hospital's IT can read and update.
 */
export const RulePack = z.strictObject({
  /** Editors may point at a JSON schema; the engine ignores it. */
  $schema: z.string().optional(),
  formatVersion: z.literal(1),
  meta: PackMeta,
  clock: Clock,
  defaults: Defaults,
  regions: z.array(Region).min(1),
  marks: z.array(Mark).default([]),
  flags: z.array(SituationFlag).default([]),
  catalog: z.array(CatalogItem),
  alliances: z.array(Alliance).default([]),
  institutions: z.array(Institution),
  policy: RecognitionPolicy,
  negativeList: z.array(NegativeEntry).default([]),
  retestReasons: z.array(RetestReason).min(1, 'a pack must list its re-test reasons'),
  /** 项目对照表: per issuer, its local item codes → catalog items (WS/T 500 documents carry no LOINC). */
  codeMaps: z.array(CodeMap).default([]),
});
export type RulePack = z.infer<typeof RulePack>;
/** The JSON as written, before defaults are filled in. */
export type RulePackInput = z.input<typeof RulePack>;
