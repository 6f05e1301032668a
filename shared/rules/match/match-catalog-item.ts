import { compilePack, systemKey, type CompiledItem, type CompiledPack } from '../compile.ts';
import type { CatalogItem } from '../schema/catalog-item.ts';
import type { RulePack } from '../schema/rule-pack.ts';
import { nameCandidates, normalizeItemName } from './normalize-name.ts';

/** What a result or an order says about its item. */
export interface ItemQuery {
  name: string;
  codes?: ReadonlyArray<{ system?: string | undefined; code: string }>;
}

export interface CatalogMatch {
  item: CatalogItem;
  by: 'code' | 'name';
}

/**
 * 项目匹配: codes first (system + code), then whole normalized names and aliases. A code without
 * a system counts only when exactly one catalog item carries it.
 */
export function matchCatalogItem(pack: RulePack, query: ItemQuery): CatalogMatch | null {
  const m = matchCompiled(compilePack(pack), query);
  return m === null ? null : { item: m.ci.item, by: m.by };
}

export function matchCompiled(
  cp: CompiledPack,
  query: ItemQuery,
): { ci: CompiledItem; by: 'code' | 'name' } | null {
  const codes = query.codes;
  if (codes !== undefined) {
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i]!;
      const hit =
        c.system === undefined
          ? cp.itemsByBareCode.get(c.code.trim())
          : cp.itemsByCode.get(systemKey(c.system))?.get(c.code.trim());
      if (hit) return hit.byCode;
    }
  }
  const ci = matchName(cp, query.name);
  return ci === null ? null : ci.byName;
}

/**
 * Whole-name match, cached per raw name on the compiled pack. "X(Y)" matches only when both X and
 * Y name the same item (谷丙转氨酶(ALT)): a part that names nothing or another specimen (尿钾(K),
 * 钾(尿), 钾(复查)) is a qualifier that must not be dropped, so the name matches nothing.
 */
export function matchName(cp: CompiledPack, name: string): CompiledItem | null {
  const cached = cp.nameCache.get(name);
  if (cached !== undefined) return cached;
  const normalized = normalizeItemName(name);
  const [whole, ...parts] = nameCandidates(normalized);
  let found: CompiledItem | null = cp.itemsByName.get(whole ?? '') ?? null;
  if (found === null && parts.length === 2) {
    const outer = cp.itemsByName.get(parts[0]!);
    const inner = cp.itemsByName.get(parts[1]!);
    found = outer !== undefined && outer === inner ? outer : null;
  }
  if (cp.nameCache.size > 50_000) cp.nameCache.clear();
  cp.nameCache.set(name, found);
  return found;
}
