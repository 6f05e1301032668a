import type { ExternalResult } from '../../domain/external-result.ts';
import type { CompiledNegative, CompiledPack } from '../compile.ts';
import { normalizeItemName } from '../match/normalize-name.ts';
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
  const entries = match !== null ? match.ci.negatives : outsideCatalog(result, cp);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const why = holds(e, flags, result.abnormal === true, cp);
    if (why === null) continue;
    const name = match?.ci.item.name ?? result.item.name;
    return outcome(
      'negative-listed',
      e.rule,
      `「${name}」${why.zh}：${e.reason['zh-CN']}`,
      `"${name}" ${why.en}: ${e.reason.en}`,
    );
  }
  return null;
}

function holds(
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
