import { ISSUER_LOCAL_ITEM_SYSTEM, NHSA_SERVICE_ITEM_SYSTEM } from '../domain/codes.ts';
import { normalizeItemName, normalizeMark } from './match/normalize-name.ts';
import { itemSpecimenClass, specimenClass, type SpecimenClass } from './match/specimen.ts';
import type { BilingualText, Category } from './schema/common.ts';
import type { CatalogItem, NegativeWhen } from './schema/catalog-item.ts';
import { levelRank, type Institution, type Qualification } from './schema/institution.ts';
import type { Mark } from './schema/meta.ts';
import type { AcceptedMark, NegativeEntry } from './schema/policy.ts';
import type { RulePack } from './schema/rule-pack.ts';
import { dayNumber } from './time/calendar.ts';
import type { RuleId, VerdictIssuer, VerdictItem } from './verdict.ts';

/** A negative-list entry or item condition, resolved to the items it covers. */
export interface CompiledNegative {
  rule: RuleId;
  when: NegativeWhen | undefined;
  reason: BilingualText;
}

export interface CompiledItem {
  item: CatalogItem;
  /** Position of the item's group in the catalog's groups (CompiledPack.groups). */
  groupIndex: number;
  /** 1 for lab, 2 for imaging: tested against CompiledQualification.categoryMask. */
  categoryBit: number;
  /** 1 << groupIndex for the first 31 groups (CompiledQualification.groupMask), else 0. */
  groupBit: number;
  limitDays: number;
  limitFromDefault: boolean;
  /** The item's 标本类别 kind, when the catalog names one. */
  specimenClass: SpecimenClass | undefined;
  negatives: CompiledNegative[];
  /** The negatives that can hold without encounter flags, in the same order. */
  negativesWithoutFlags: CompiledNegative[];
  /** The verdict's view of the item, shared by every verdict (read-only). */
  view: Readonly<VerdictItem>;
  byCode: { ci: CompiledItem; by: 'code' };
  byName: { ci: CompiledItem; by: 'name' };
}

/** A qualification with its scope as sets and its mark resolved. */
export interface CompiledQualification {
  q: Qualification;
  items: ReadonlySet<string> | null;
  groups: ReadonlySet<string> | null;
  categories: ReadonlySet<Category> | null;
  mark: Mark | undefined;
  /** The mark's label as the qualification states it (q.mark). */
  label: string;
  /** Coverage by category (CompiledItem.categoryBit), by the first 31 groups (groupBit) and by
   * group index beyond those (groupCovered, null when the qualification names none there). */
  categoryMask: number;
  groupMask: number;
  groupCovered: Uint8Array | null;
  /** Normalized spellings of the mark (label and aliases), as printed on a result. */
  markKeys: ReadonlySet<string>;
  /** validFrom and validUntil as day numbers (same order as the YYYY-MM-DD strings). */
  fromDay: number;
  untilDay: number;
  /** Position among the pack's qualifications, for per-evaluation tables. */
  index: number;
}

export interface CompiledInstitution {
  inst: Institution;
  /** Position in the pack's institutions, for per-receiver tables. */
  index: number;
  /** inst.alliances.length, so most issuers need no look at their alliances. */
  allianceCount: number;
  rank: number;
  qualifications: CompiledQualification[];
  view: Readonly<VerdictIssuer>;
}

/**
 * 规则包索引: a pack turned into lookup maps once, so evaluation is one pass over the results
 * with constant work per result. Built lazily and kept per pack object.
 */
export interface CompiledPack {
  pack: RulePack;
  ref: { id: string; name: string; version: string };
  itemsByCode: Map<string, Map<string, CompiledItem>>;
  /** Codes that arrive without a system: usable only when one item owns the code. */
  itemsByBareCode: Map<string, CompiledItem | null>;
  itemsByName: Map<string, CompiledItem>;
  /** Raw result name → match, since the same few names repeat across results. */
  nameCache: Map<string, CompiledItem | null>;
  institutionsById: Map<string, CompiledInstitution>;
  institutionsByIdentifier: Map<string, Map<string, CompiledInstitution>>;
  institutionsByBareValue: Map<string, CompiledInstitution | null>;
  institutionsByName: Map<string, CompiledInstitution | null>;
  /** Negative entries for results outside the catalog (alliance all-items), by category. */
  negativesOutsideCatalog: Record<Category, CompiledNegative[]>;
  negativesByName: Map<string, CompiledNegative[]>;
  marks: Map<string, Mark>;
  acceptedMarks: Map<string, AcceptedMark[]>;
  /** Region → itself and every region it lies within. */
  regionChain: Map<string, Set<string>>;
  flagLabels: Map<string, BilingualText>;
  /** Catalog position, so prompts follow the list's own order. */
  itemOrder: Map<string, number>;
  /** The catalog's item groups, in order of first appearance (CompiledItem.groupIndex). */
  groups: string[];
  itemsById: Map<string, CompiledItem>;
  /** How many qualifications the institutions hold in all (CompiledQualification.index). */
  qualificationCount: number;
  /** 项目对照表 by issuer (institution id); confirmed lines only. */
  codeMaps: Map<string, CompiledCodeMap>;
  /**
   * Answers that depend only on the pack, the issuer and the receiving institution, filled in as
   * evaluations meet issuers: by receiving institution (the one the receiver was built from).
   */
  byReceiver: Map<CompiledInstitution, ReceiverTables>;
}

/** One issuer's 项目对照表: its codes (in the code systems it uses) → catalog item, or null for "not a catalog item". */
export interface CompiledCodeMap {
  systems: ReadonlySet<string>;
  byCode: Map<string, { ci: CompiledItem | null; specimen: SpecimenClass | undefined }>;
}

export interface ReceiverTables {
  /** By CompiledInstitution.index: 0 not yet known, else how the issuer stands (judge.ts). */
  routes: Uint8Array;
  /** By CompiledQualification.index: whether its mark counts for the receiver (qualify). */
  markOk: Uint8Array;
}

/** Day number of a YYYY-MM-DD the schema has checked. */
function calendarDay(date: string): number {
  return dayNumber(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

const CATEGORY_BIT: Record<Category, number> = { lab: 1, imaging: 2 };

const compiled = new WeakMap<RulePack, CompiledPack>();

/** Compile once per pack object; later calls return the same index. */
export function compilePack(pack: RulePack): CompiledPack {
  let c = compiled.get(pack);
  if (c === undefined) {
    c = build(pack);
    compiled.set(pack, c);
  }
  return c;
}

export function compilePacks(packs: readonly RulePack[]): CompiledPack[] {
  return packs.map(compilePack);
}

/** Normalize a code system so http://loinc.org, LOINC and the LOINC OID agree. */
export function normalizeSystem(system: string): string {
  const s = system.trim().toLowerCase().replace(/\/+$/, '');
  if (s === 'loinc' || s === 'http://loinc.org' || s === 'urn:oid:2.16.840.1.113883.6.1') return 'http://loinc.org';
  if (s === 'nhsa' || s === '医保' || s === '医保医疗服务项目' || s === NHSA_SERVICE_ITEM_SYSTEM) return NHSA_SERVICE_ITEM_SYSTEM;
  return s;
}

const systems = new Map<string, string>();
/** normalizeSystem, memoized: results repeat the same few systems. */
export function systemKey(system: string): string {
  let key = systems.get(system);
  if (key === undefined) {
    key = normalizeSystem(system);
    if (systems.size > 1000) systems.clear();
    systems.set(system, key);
  }
  return key;
}

function build(pack: RulePack): CompiledPack {
  const itemsByCode = new Map<string, Map<string, CompiledItem>>();
  const itemsByBareCode = new Map<string, CompiledItem | null>();
  const itemsByName = new Map<string, CompiledItem>();
  const itemsById = new Map<string, CompiledItem>();

  const groupIndex = new Map<string, number>();
  for (const item of pack.catalog) {
    if (!groupIndex.has(item.group)) groupIndex.set(item.group, groupIndex.size);
    const explicit = item.timeLimitDays;
    const view = Object.freeze({ id: item.id, name: item.name, category: item.category, group: item.group, price: item.price ?? null });
    const ci = {
      item,
      groupIndex: groupIndex.get(item.group)!,
      categoryBit: CATEGORY_BIT[item.category],
      groupBit: groupIndex.get(item.group)! < 31 ? 1 << groupIndex.get(item.group)! : 0,
      limitDays: explicit ?? pack.defaults.timeLimitDays[item.category],
      limitFromDefault: explicit === undefined,
      specimenClass: itemSpecimenClass(item),
      negatives: [],
      negativesWithoutFlags: [],
      view,
    } as unknown as CompiledItem;
    ci.byCode = { ci, by: 'code' };
    ci.byName = { ci, by: 'name' };
    itemsById.set(item.id, ci);
    for (const code of item.codes) {
      const system = normalizeSystem(code.system);
      let bySystem = itemsByCode.get(system);
      if (bySystem === undefined) itemsByCode.set(system, (bySystem = new Map()));
      if (!bySystem.has(code.code)) bySystem.set(code.code, ci);
      const prior = itemsByBareCode.get(code.code);
      itemsByBareCode.set(code.code, prior === undefined || prior === ci ? ci : null);
    }
    for (const name of [item.name, ...item.aliases]) {
      const key = normalizeItemName(name);
      if (key !== '' && !itemsByName.has(key)) itemsByName.set(key, ci);
    }
  }

  const negativesOutsideCatalog: Record<Category, CompiledNegative[]> = { lab: [], imaging: [] };
  const negativesByName = new Map<string, CompiledNegative[]>();
  for (const entry of pack.negativeList) {
    const neg: CompiledNegative = { rule: `negative-list:${entry.id}`, when: entry.when, reason: entry.reason };
    for (const ci of itemsById.values()) if (coversItem(entry, ci.item)) ci.negatives.push(neg);
    for (const category of ['lab', 'imaging'] as const) {
      const scoped = entry.items === undefined && entry.groups === undefined && entry.names === undefined;
      if (scoped && (entry.categories === undefined || entry.categories.includes(category))) {
        negativesOutsideCatalog[category].push(neg);
      }
    }
    for (const name of entry.names ?? []) {
      const key = normalizeItemName(name);
      const list = negativesByName.get(key) ?? [];
      list.push(neg);
      negativesByName.set(key, list);
    }
  }
  for (const ci of itemsById.values()) {
    ci.item.negativeConditions.forEach((cond, i) => {
      ci.negatives.push({ rule: `item-negative:${ci.item.id}#${i}`, when: cond.when, reason: cond.reason });
    });
    ci.negativesWithoutFlags = ci.negatives.filter((n) => n.when === undefined || n.when.abnormal === true);
  }

  const institutionsById = new Map<string, CompiledInstitution>();
  const institutionsByIdentifier = new Map<string, Map<string, CompiledInstitution>>();
  const institutionsByBareValue = new Map<string, CompiledInstitution | null>();
  const institutionsByName = new Map<string, CompiledInstitution | null>();
  const marks = new Map<string, Mark>();
  for (const mark of pack.marks) {
    for (const label of [mark.label, ...mark.aliases]) marks.set(normalizeMark(label), mark);
  }
  let instIndex = 0;
  let qualificationCount = 0;
  for (const inst of pack.institutions) {
    const qualifications = inst.qualifications.map((q): CompiledQualification => {
      const mark = marks.get(normalizeMark(q.mark));
      let groupMask = 0;
      let groupCovered: Uint8Array | null = null;
      for (const g of q.groups ?? []) {
        const gi = groupIndex.get(g);
        if (gi === undefined) continue;
        if (gi < 31) groupMask |= 1 << gi;
        else (groupCovered ??= new Uint8Array(groupIndex.size))[gi] = 1;
      }
      return {
        q,
        items: q.items === undefined ? null : new Set(q.items),
        groups: q.groups === undefined ? null : new Set(q.groups),
        categories: q.categories === undefined ? null : new Set(q.categories),
        mark,
        label: q.mark,
        categoryMask: (q.categories ?? []).reduce((m, c) => m | CATEGORY_BIT[c], 0),
        groupMask,
        groupCovered,
        markKeys: new Set((mark === undefined ? [q.mark] : [mark.label, ...mark.aliases]).map(normalizeMark)),
        fromDay: calendarDay(q.validFrom),
        untilDay: calendarDay(q.validUntil),
        index: qualificationCount++,
      };
    });
    const view = Object.freeze({ id: inst.id, name: inst.name, level: inst.level, region: inst.region });
    const ci: CompiledInstitution = { inst, index: instIndex++, allianceCount: inst.alliances.length, rank: levelRank(inst.level), qualifications, view };
    institutionsById.set(inst.id, ci);
    for (const idf of inst.identifiers) {
      const system = idf.system === undefined ? '' : normalizeSystem(idf.system);
      let bySystem = institutionsByIdentifier.get(system);
      if (bySystem === undefined) institutionsByIdentifier.set(system, (bySystem = new Map()));
      bySystem.set(idf.value, ci);
      const prior = institutionsByBareValue.get(idf.value);
      institutionsByBareValue.set(idf.value, prior === undefined || prior === ci ? ci : null);
    }
    for (const name of [inst.name, ...inst.aliases]) {
      const key = normalizeItemName(name);
      const prior = institutionsByName.get(key);
      institutionsByName.set(key, prior === undefined || prior === ci ? ci : null);
    }
  }

  const acceptedMarks = new Map<string, AcceptedMark[]>();
  for (const accepted of pack.policy.acceptedMarks) {
    const mark = marks.get(normalizeMark(accepted.mark));
    const key = normalizeMark(mark?.label ?? accepted.mark);
    acceptedMarks.set(key, [...(acceptedMarks.get(key) ?? []), accepted]);
  }

  const parent = new Map(pack.regions.map((r) => [r.name, r.within]));
  const regionChain = new Map<string, Set<string>>();
  for (const r of pack.regions) {
    const chain = new Set<string>();
    for (let up: string | undefined = r.name; up !== undefined && !chain.has(up); up = parent.get(up)) chain.add(up);
    regionChain.set(r.name, chain);
  }

  const codeMaps = new Map<string, CompiledCodeMap>();
  for (const map of pack.codeMaps) {
    let compiledMap = codeMaps.get(map.issuer);
    if (compiledMap === undefined) codeMaps.set(map.issuer, (compiledMap = { systems: new Set(), byCode: new Map() }));
    (compiledMap.systems as Set<string>).add(normalizeSystem(map.system ?? ISSUER_LOCAL_ITEM_SYSTEM));
    for (const entry of map.entries) {
      if (entry.review || compiledMap.byCode.has(entry.code)) continue;
      const ci = entry.item === undefined ? null : (itemsById.get(entry.item) ?? null);
      compiledMap.byCode.set(entry.code, { ci, specimen: specimenClass(entry.specimen) });
    }
  }

  return {
    pack,
    ref: { id: pack.meta.id, name: pack.meta.name, version: pack.meta.version },
    itemsByCode,
    itemsByBareCode,
    itemsByName,
    nameCache: new Map(),
    institutionsById,
    institutionsByIdentifier,
    institutionsByBareValue,
    institutionsByName,
    negativesOutsideCatalog,
    negativesByName,
    marks,
    acceptedMarks,
    regionChain,
    flagLabels: new Map(pack.flags.map((f) => [f.code, f.label])),
    itemOrder: new Map(pack.catalog.map((item, i) => [item.id, i])),
    groups: [...groupIndex.keys()],
    itemsById,
    qualificationCount,
    codeMaps,
    byReceiver: new Map(),
  };
}

/** Entry scope: any of items/groups/names matches, within categories if given; no scope = all. */
function coversItem(entry: NegativeEntry, item: CatalogItem): boolean {
  if (entry.categories !== undefined && !entry.categories.includes(item.category)) return false;
  const scoped = entry.items !== undefined || entry.groups !== undefined || entry.names !== undefined;
  if (!scoped) return true;
  if (entry.items?.includes(item.id)) return true;
  if (entry.groups?.includes(item.group)) return true;
  if (entry.names !== undefined) {
    const names = new Set(entry.names.map(normalizeItemName));
    return [item.name, ...item.aliases].some((n) => names.has(normalizeItemName(n)));
  }
  return false;
}

/** coversQualification on the compiled item: bit tests, a set only for items. */
export function coversCompiled(cq: CompiledQualification, ci: CompiledItem): boolean {
  return (
    ((cq.categoryMask & ci.categoryBit) | (cq.groupMask & ci.groupBit)) !== 0 ||
    (cq.groupCovered !== null && cq.groupCovered[ci.groupIndex] === 1) ||
    (cq.items !== null && cq.items.has(ci.item.id))
  );
}

/** A qualification covers an item named in items, in one of its groups, or of its categories. */
export function coversQualification(cq: CompiledQualification, item: CatalogItem): boolean {
  return (
    (cq.items !== null && cq.items.has(item.id)) ||
    (cq.groups !== null && cq.groups.has(item.group)) ||
    (cq.categories !== null && cq.categories.has(item.category))
  );
}
