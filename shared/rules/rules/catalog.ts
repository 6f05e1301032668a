import type { ExternalResult } from '../../domain/external-result.ts';
import type { CompiledItem, CompiledPack } from '../compile.ts';
import { matchCompiled } from '../match/match-catalog-item.ts';
import type { BilingualText } from '../schema/common.ts';
import { outcome, type Outcome } from './outcome.ts';

export interface ItemMatch {
  ci: CompiledItem;
  by: 'code' | 'name';
}

export function notInCatalogDetail(name: string): BilingualText {
  return { 'zh-CN': `「${name}」不在互认项目清单内`, en: `"${name}" is not in the recognition catalog` };
}

/**
 * 互认项目清单: the result's item must be in the catalog. An alliance member's result outside the
 * catalog passes when the pack recognizes all items inside an alliance (医联体内全部项目互认).
 */
export function checkCatalog(
  result: ExternalResult,
  cp: CompiledPack,
  allianceAllItems: boolean,
): { match: ItemMatch | null } | Outcome {
  const match = matchCompiled(cp, { name: result.item.name, codes: result.item.codes });
  if (match !== null || allianceAllItems) return { match };
  const d = notInCatalogDetail(result.item.name);
  return outcome('not-in-catalog', 'catalog', d['zh-CN'], d.en);
}
