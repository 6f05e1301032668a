import { compilePack, normalizeSystem } from '../compile.ts';
import { matchName } from '../match/match-catalog-item.ts';
import { nameCandidates, normalizeItemName } from '../match/normalize-name.ts';
import { itemSpecimenClass, nameSpecimen, specimenClass, type SpecimenClass } from '../match/specimen.ts';
import type { CatalogItem } from '../schema/catalog-item.ts';
import type { CodeMap, CodeMapEntry } from '../schema/code-map.ts';
import type { RulePack } from '../schema/rule-pack.ts';
import { NHSA_SERVICE_ITEM_SYSTEM } from '../../domain/codes.ts';
import type { DictionaryRow } from './dictionary.ts';

export interface DraftSummary {
  lines: number;
  /** Mapped by an exact name (or 医保 code) with a compatible specimen: review false. */
  mapped: number;
  /** Lines a person must look at: a suggestion or nothing found, each with a note. */
  review: number;
  /** Lines whose suggestion was refused because the specimens differ. */
  crossSpecimen: number;
}

/**
 * 对照表草稿: an issuer's item dictionary matched to the pack's catalog by name (and 医保 code where
 * the dictionary has one). Only a whole-name match with a compatible specimen is taken as is;
 * everything else is marked `review: true` with a note saying why. Never across specimens: a urine
 * line is never put on a blood item, whatever its name.
 */
export function draftCodeMap(pack: RulePack, issuer: string, rows: readonly DictionaryRow[], today: string): { map: CodeMap; summary: DraftSummary } {
  const cp = compilePack(pack);
  const nhsa = cp.itemsByCode.get(normalizeSystem(NHSA_SERVICE_ITEM_SYSTEM));
  const summary: DraftSummary = { lines: rows.length, mapped: 0, review: 0, crossSpecimen: 0 };
  const seen = new Set<string>();
  const entries: CodeMapEntry[] = [];
  for (const row of rows) {
    if (seen.has(row.code)) {
      summary.lines--;
      continue; // the first line of a code wins; duplicates in a dictionary are the dictionary's problem
    }
    seen.add(row.code);
    const rowSpecimen = specimenClass(row.specimen) ?? nameSpecimen(row.name);
    const base: CodeMapEntry = { code: row.code, name: row.name, review: false, ...(row.specimen ? { specimen: row.specimen } : {}), ...(row.unit ? { unit: row.unit } : {}) };

    const byCode = row.nhsa ? nhsa?.get(row.nhsa) : undefined;
    const exact = byCode ?? matchName(cp, row.name) ?? undefined;
    let entry: CodeMapEntry;
    if (exact) {
      const item = exact.item;
      const conflict = crossing(rowSpecimen, item);
      if (conflict) {
        summary.crossSpecimen++;
        entry = { ...base, review: true, note: `「${row.name}」与「${item.name}」${conflict}，未对照` };
      } else if (item.category === 'lab' && rowSpecimen === undefined) {
        entry = { ...base, item: item.id, review: true, note: `名称与「${item.name}」一致，但字典未注明标本，请确认` };
      } else {
        entry = { ...base, item: item.id, note: byCode ? `医保编码 ${row.nhsa} 对应「${item.name}」` : `名称与「${item.name}」一致` };
      }
    } else {
      entry = suggest(cp, row, rowSpecimen, base, summary);
    }
    if (entry.review) summary.review++;
    else summary.mapped++;
    entries.push(entry);
  }
  return { map: { issuer, updated: today, entries }, summary };
}

/** Why a row's specimen cannot go on the item (or undefined when it can). */
function crossing(row: SpecimenClass | undefined, item: CatalogItem): string | undefined {
  // Lab catalog items without a stated specimen are blood tests unless their own name says otherwise.
  const itemClass = itemSpecimenClass(item);
  if (row !== undefined && itemClass !== undefined && row !== itemClass) return `标本不同（${row} / ${itemClass}）`;
  return undefined;
}

/** No whole-name match: offer the item a part of the name names, for a person to decide. */
function suggest(cp: ReturnType<typeof compilePack>, row: DictionaryRow, rowSpecimen: SpecimenClass | undefined, base: CodeMapEntry, summary: DraftSummary): CodeMapEntry {
  const normalized = normalizeItemName(row.name);
  const parts = nameCandidates(normalized).slice(1);
  // Specimen words and common qualifiers stripped: 血清钾 → 钾, 钾测定(急) → 钾.
  const stripped = normalized.replace(/^(血清|血浆|全血|静脉血|末梢血|动脉血|血|尿液?|24小时尿|随机尿|晨尿|脑脊液|粪便?|痰)/, '').replace(/\(.*\)$/, '');
  for (const candidate of [...parts, stripped]) {
    if (!candidate || candidate === normalized) continue;
    const hit = cp.itemsByName.get(candidate);
    if (!hit) continue;
    const conflict = crossing(rowSpecimen, hit.item);
    if (conflict) {
      summary.crossSpecimen++;
      return { ...base, review: true, note: `部分名称像「${hit.item.name}」，但${conflict}，未对照` };
    }
    return { ...base, item: hit.item.id, review: true, note: `建议：「${hit.item.name}」（仅部分名称相同，含限定词，请确认）` };
  }
  return { ...base, review: true, note: '未找到对应的互认项目（如确不在清单内，去掉 review 保留此行）' };
}
