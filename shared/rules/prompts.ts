import type { Order } from '../domain/encounter.ts';
import type { CompiledPack } from './compile.ts';
import type { ExternalResult } from '../domain/external-result.ts';
import { readClock } from './time/clock-reading.ts';
import { matchCompiled } from './match/match-catalog-item.ts';
import { normalizeItemName } from './match/normalize-name.ts';
import { VerdictRecord, type Verdict, type VerdictItem } from './verdict.ts';
import { panelCoverage, type PanelCoverage } from './panel-coverage.ts';

/** 开单提醒: for an order being placed, the best recognizable result for the same item. */
export interface OrderPrompt {
  orderIndex: number;
  order: Order;
  /** Catalog items the order matched, one per pack that lists it. */
  matches: { packId: string; itemId: string; itemName: string }[];
  /** The freshest recognizable result for the item, or null. */
  best: Verdict | null;
  /** Every recognizable result for the item, best first. */
  resultIds: string[];
  /**
   * For a panel order (血脂): which members have a recognizable result. The order may be spared only
   * when `complete`; null for an item without members.
   */
  coverage: PanelCoverage | null;
}

/** 就诊提醒: recognizable results grouped by item, for when the patient is opened. */
export interface ItemPrompt {
  packId: string;
  item: VerdictItem;
  best: Verdict;
  resultIds: string[];
}

export interface Prompts {
  orders: OrderPrompt[];
  items: ItemPrompt[];
}

/** A recognizable verdict and its wall time, to rank results of the same day. */
interface Judged {
  verdict: Verdict;
  wallMs: number;
}

/** Best first: most days left, then the later time that day, then result id for a stable order. */
function better(a: Judged, b: Judged): number {
  const d = (b.verdict.daysLeft ?? 0) - (a.verdict.daysLeft ?? 0);
  if (d !== 0) return d;
  if (a.wallMs !== b.wallMs) return b.wallMs - a.wallMs;
  return a.verdict.resultId < b.verdict.resultId ? -1 : a.verdict.resultId > b.verdict.resultId ? 1 : 0;
}

/**
 * Group key: the catalog item's view (one object per pack and item, so identity is enough), or
 * for an item outside the catalog the pack and its normalized name.
 */
function itemKey(v: Verdict): object | string {
  const item = v.item;
  if (item !== null && item.id !== null) return item;
  return `${v.pack.id}\u0000name:${normalizeItemName(item?.name ?? '')}`;
}

export function buildPrompts(
  verdicts: readonly Verdict[],
  results: readonly ExternalResult[],
  cps: readonly CompiledPack[],
  orders: readonly Order[],
): Prompts {
  const packs = new Map(cps.map((cp) => [cp.ref.id, cp.pack]));
  const groups = new Map<object | string, Judged[]>();
  for (let i = 0; i < verdicts.length; i++) {
    const verdict = verdicts[i]!;
    if (verdict.status !== 'recognizable') continue;
    let wallMs = VerdictRecord.wallMs(verdict);
    if (Number.isNaN(wallMs)) {
      const pack = packs.get(verdict.pack.id)!;
      const r = results[i]!;
      const raw = pack.clock.basis === 'collection' ? r.collectedAt : (r.reportedAt ?? r.collectedAt);
      wallMs = readClock(raw ?? '', pack.clock.timeZone)?.wallMs ?? 0;
    }
    const j: Judged = { verdict, wallMs };
    const key = itemKey(verdict);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [j]);
    else list.push(j);
  }
  for (const list of groups.values()) if (list.length > 1) list.sort(better);

  const packOrder = new Map(cps.map((cp, i) => [cp.ref.id, i]));
  const ranked = [...groups.values()].map((list) => {
    const best = list[0]!.verdict;
    const prompt: ItemPrompt = { packId: best.pack.id, item: best.item!, best, resultIds: list.map((j) => j.verdict.resultId) };
    const p = packOrder.get(prompt.packId) ?? 0;
    const cp = cps[p];
    const id = prompt.item.id;
    const position = id === null ? Number.MAX_SAFE_INTEGER : (cp?.itemOrder.get(id) ?? Number.MAX_SAFE_INTEGER);
    return { prompt, pack: p, position };
  });
  ranked.sort(
    (a, b) =>
      a.pack - b.pack ||
      a.position - b.position ||
      (a.prompt.item.name < b.prompt.item.name ? -1 : a.prompt.item.name > b.prompt.item.name ? 1 : 0),
  );
  const items = ranked.map((r) => r.prompt);

  const orderPrompts = orders.map((order, orderIndex): OrderPrompt => {
    const codes = order.code === undefined ? [] : [{ system: order.codeSystem, code: order.code }];
    const matches: OrderPrompt['matches'] = [];
    const found: Judged[] = [];
    let coverage: PanelCoverage | null = null;
    for (const cp of cps) {
      const m = matchCompiled(cp, { name: order.name, codes });
      if (m === null) continue;
      const item = m.ci.item;
      matches.push({ packId: cp.ref.id, itemId: item.id, itemName: item.name });
      // A panel order (肝功能) is answered by the panel's own results and by its members' results.
      for (const id of [item.id, ...item.members]) {
        const view = cp.itemsById.get(id)?.view;
        const list = view === undefined ? undefined : groups.get(view);
        if (list !== undefined) found.push(...list);
      }
      if (item.members.length > 0) {
        const recognizable = new Set(item.members.concat(item.id).filter((id) => {
          const view = cp.itemsById.get(id)?.view;
          return view !== undefined && groups.has(view);
        }));
        const c = panelCoverage(cp.pack, item.id, recognizable);
        // The most complete coverage across packs that list the panel.
        if (c !== null && (coverage === null || c.covered.length > coverage.covered.length)) coverage = c;
      }
    }
    found.sort(better);
    return { orderIndex, order, matches, best: found[0]?.verdict ?? null, resultIds: found.map((j) => j.verdict.resultId), coverage };
  });
  return { orders: orderPrompts, items };
}
