/**
 * 检查检验结果互认规则引擎 — public API. Pure: no DOM, no storage, no clock (now is an input).
 */
export { RulePack, type RulePackInput } from './schema/rule-pack.ts';
export { CatalogItem, ItemNegativeCondition, NegativeWhen } from './schema/catalog-item.ts';
export { Institution, InstitutionLevel, Qualification, Alliance, levelRank } from './schema/institution.ts';
export { PackMeta, Clock, Defaults, Region, Mark, SituationFlag } from './schema/meta.ts';
export { RecognitionPolicy, NegativeEntry, AcceptedMark } from './schema/policy.ts';
export { RetestReason } from './schema/retest-reason.ts';
export { Source } from './schema/source.ts';
export { BilingualText, Category, PackCode } from './schema/common.ts';
export { parseRulePack, type ParseRulePackResult } from './parse.ts';
export type { Problem } from './problems.ts';
export { evaluate, EvaluationError, type EvaluationInput, type Evaluation } from './evaluate.ts';
export { compilePack, compilePacks, type CompiledPack } from './compile.ts';
export { matchCatalogItem, type CatalogMatch, type ItemQuery } from './match/match-catalog-item.ts';
export { normalizeItemName, normalizeMark } from './match/normalize-name.ts';
export {
  VERDICT_STATUSES,
  reasonShort,
  type Verdict,
  type VerdictStatus,
  type VerdictItem,
  type VerdictIssuer,
  type PackRef,
  type RuleId,
} from './verdict.ts';
export type { Prompts, OrderPrompt, ItemPrompt } from './prompts.ts';
export { panelCoverage, type PanelCoverage, type CoveredItem } from './panel-coverage.ts';
export { CodeMap, CodeMapEntry } from './schema/code-map.ts';
export { specimenClass, nameSpecimen, specimensConflict, type SpecimenClass } from './match/specimen.ts';
export { EvaluationCase, parseCase, type ParseCaseResult } from './case.ts';
export { loadBundledPacks, bundledPackJson } from './bundled.ts';
