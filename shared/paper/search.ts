import type { RulePack } from '../rules';
import { normalizeItemName } from '../rules';

/**
 * Search of the paper entry's pickers, as EMR order entry works: by name, by alias, and by 拼音首字母
 * (血常规 → xcg, 湛江中心人民医院 → zjzxrmyy). `initials` comes from pinyin-pro, loaded by the shell
 * only when the form opens (it is large); without it, names and aliases still match.
 */
export type Initials = (text: string) => string;

export interface Choice {
  key: string;
  label: string;
  /** Shown after the label: the alias that matched, the group, the level. */
  detail?: string;
}

export interface InstitutionChoice extends Choice {
  id: string;
  name: string;
}

export interface ItemChoice extends Choice {
  packId: string;
  id: string;
  name: string;
  category: 'lab' | 'imaging';
  members: string[];
}

interface Indexed<T> {
  value: T;
  names: string[];
  initials: string[];
}

const fold = (text: string) => normalizeItemName(text).toLowerCase();

function rank<T extends Choice>(entries: readonly Indexed<T>[], query: string, limit: number): T[] {
  const q = fold(query);
  const letters = query.trim().toLowerCase().replace(/\s+/g, '');
  if (!q) return entries.slice(0, limit).map((e) => e.value);
  const scored: { value: T; score: number }[] = [];
  for (const e of entries) {
    let score = Infinity;
    e.names.forEach((n, i) => {
      const f = fold(n);
      if (f === q) score = Math.min(score, i === 0 ? 0 : 1);
      else if (f.startsWith(q)) score = Math.min(score, 2);
      else if (f.includes(q)) score = Math.min(score, 4);
    });
    if (/^[a-z0-9]+$/.test(letters)) {
      for (const ini of e.initials) {
        if (ini === letters) score = Math.min(score, 1);
        else if (ini.startsWith(letters)) score = Math.min(score, 3);
        else if (ini.includes(letters)) score = Math.min(score, 5);
      }
    }
    if (score < Infinity) scored.push({ value: e.value, score });
  }
  return scored.sort((a, b) => a.score - b.score || a.value.label.length - b.value.label.length).slice(0, limit).map((s) => s.value);
}

/** The institutions of the active packs (once each, by id), searchable by name, alias and initials. */
export function institutionIndex(packs: readonly RulePack[], initials?: Initials) {
  const seen = new Map<string, Indexed<InstitutionChoice>>();
  for (const pack of packs) {
    for (const inst of pack.institutions) {
      if (seen.has(inst.id)) continue;
      const names = [inst.name, ...inst.aliases];
      seen.set(inst.id, {
        value: { key: inst.id, id: inst.id, name: inst.name, label: inst.name, detail: `${inst.level} · ${inst.region}` },
        names,
        initials: initials ? names.map((n) => initials(n)) : [],
      });
    }
  }
  const entries = [...seen.values()];
  return { search: (query: string, limit = 8) => rank(entries, query, limit), size: entries.length };
}

/** The catalog items of the active packs, searchable by name, alias and initials. */
export function itemIndex(packs: readonly RulePack[], initials?: Initials) {
  const entries: Indexed<ItemChoice>[] = [];
  for (const pack of packs) {
    for (const item of pack.catalog) {
      const names = [item.name, ...item.aliases];
      entries.push({
        value: { key: `${pack.meta.id}/${item.id}`, packId: pack.meta.id, id: item.id, name: item.name, category: item.category, members: item.members, label: item.name, detail: [item.aliases.slice(0, 2).join('、'), item.group].filter(Boolean).join(' · ') },
        names,
        initials: initials ? names.map((n) => initials(n)) : [],
      });
    }
  }
  return { search: (query: string, limit = 8) => rank(entries, query, limit), size: entries.length };
}
