import type { ExternalResult } from '../../domain/external-result.ts';
import type { CompiledNegative, CompiledPack } from '../compile.ts';
import { normalizeItemName } from '../match/normalize-name.ts';
import type { BilingualText } from '../schema/common.ts';
import type { ItemMatch } from './catalog.ts';
import { outcome, type Outcome } from './outcome.ts';

/**
 * 负面清单: items never recognized, and situations (encounter flags such as 急诊急救, 术前/输血前,
 * or an abnormal result for named items) that suppress recognition. First entry that holds decides.
 */
export function checkNegativeList(
  result: ExternalResult,
  cp: CompiledPack,
  match: ItemMatch | null,
  flags: ReadonlySet<string>,
): Outcome | null {
  const e = firstNegative(result, cp, match, flags);
  if (e === null) return null;
  const d = negativeDetail(e, match?.ci.item.name ?? result.item.name, result.abnormal === true, flags, cp);
  return outcome('negative-listed', e.rule, d['zh-CN'], d.en);
}

/** The first entry that holds for the result, without building any text. */
export function firstNegative(
  result: ExternalResult,
  cp: CompiledPack,
  match: ItemMatch | null,
  flags: ReadonlySet<string>,
): CompiledNegative | null {
  const entries =
    match !== null ? (flags.size === 0 ? match.ci.negativesWithoutFlags : match.ci.negatives) : outsideCatalog(result, cp);
  const abnormal = result.abnormal === true;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (holds(e, flags, abnormal)) return e;
  }
  return null;
}

/** Why the entry holds: 「name」<why>：<reason>. */
export function negativeDetail(
  e: CompiledNegative,
  name: string,
  abnormal: boolean,
  flags: ReadonlySet<string>,
  cp: CompiledPack,
): BilingualText {
  const why = reason(e, flags, abnormal, cp)!;
  return { 'zh-CN': `「${name}」${why.zh}：${e.reason['zh-CN']}`, en: `"${name}" ${why.en}: ${e.reason.en}` };
}

function holds(e: CompiledNegative, flags: ReadonlySet<string>, abnormal: boolean): boolean {
  const when = e.when;
  if (when === undefined) return true;
  if (when.abnormal === true && abnormal) return true;
  const anyFlag = when.anyFlag;
  if (anyFlag !== undefined && flags.size > 0) {
    for (const f of anyFlag) if (flags.has(f)) return true;
  }
  return false;
}

function reason(
  e: CompiledNegative,
  flags: ReadonlySet<string>,
  abnormal: boolean,
  cp: CompiledPack,
): { zh: string; en: string } | null {
  const when = e.when;
  if (when === undefined) return { zh: '属负面清单项目', en: 'is on the negative list' };
  if (when.abnormal === true && abnormal) return { zh: '结果异常', en: 'is abnormal' };
  const anyFlag = when.anyFlag;
  if (anyFlag !== undefined && flags.size > 0) {
    for (const f of anyFlag) {
      if (!flags.has(f)) continue;
      const label = cp.flagLabels.get(f);
      return { zh: `在「${label?.['zh-CN'] ?? f}」情形下不予互认`, en: `is not recognized in "${label?.en ?? f}"` };
    }
  }
  return null;
}

function outsideCatalog(result: ExternalResult, cp: CompiledPack): CompiledNegative[] {
  const byName = cp.negativesByName.size > 0 ? cp.negativesByName.get(normalizeItemName(result.item.name)) : undefined;
  const byCategory = cp.negativesOutsideCatalog[result.category];
  return byName === undefined ? byCategory : [...byName, ...byCategory];
}
