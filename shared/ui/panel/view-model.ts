import type { Decision, Trigger } from '../../domain/decision';
import type { Order } from '../../domain/encounter';
import type { ExternalResult } from '../../domain/external-result';
import { cardId } from '../../decisions/card-id';
import { panelCoverage, type Evaluation, type PanelCoverage, type RulePack, type Verdict } from '../../rules';

/** A "可互认" card: one catalog item (a panel or an exam), its best prior result, and what was decided. */
export interface CardModel {
  card: string;
  trigger: Trigger;
  /** The order being placed that this card answers (重复开单提醒). */
  order?: Order;
  packId: string;
  item: { id: string | null; name: string; category: 'lab' | 'imaging'; price: number | null };
  /** The verdict of the best result: dates, days left, mark, issuer. */
  verdict: Verdict;
  /** The results cited: the best one, and for a panel its members from the same report. */
  results: ExternalResult[];
  /** Latest decision on this card, if any: shown instead of a prompt. */
  decision?: Decision;
  /** For a panel (血脂): which members have a recognizable result; spared only when complete. */
  coverage?: PanelCoverage;
  /** True when the result lacked the pack's clock and was dated by the other one (FHIR issued, no 检查日期). */
  clockFallback?: boolean;
}

/** A result that cannot be recognized, with the reason (grouped per report to keep lists short). */
export interface OtherModel {
  key: string;
  name: string;
  verdict: Verdict;
  results: ExternalResult[];
}

export interface PanelModel {
  cards: CardModel[];
  others: OtherModel[];
  counts: { results: number; recognizable: number; decided: number };
}

/** Panel item per member item, from the packs' catalogs (血常规 ← 白细胞计数 …). */
function panelIndex(packs: readonly RulePack[]): Map<string, { id: string; name: string; price: number | null }> {
  const index = new Map<string, { id: string; name: string; price: number | null }>();
  for (const pack of packs) {
    for (const item of pack.catalog) {
      for (const member of item.members) {
        const key = `${pack.meta.id}\u0000${member}`;
        if (!index.has(key)) index.set(key, { id: item.id, name: item.name, price: item.price ?? null });
      }
    }
  }
  return index;
}

/**
 * Turns the engine's answer into what the panel shows: order-matched cards first (marked as a
 * duplicate order), then one card per recognizable item (a panel's analytes share one card),
 * then everything else with its reason. Pure; the panel memoizes it.
 */
export function buildPanelModel(input: {
  evaluation: Evaluation;
  results: readonly ExternalResult[];
  packs: readonly RulePack[];
  decisions: ReadonlyMap<string, Decision>;
}): PanelModel {
  const { evaluation, decisions } = input;
  const byId = new Map(input.results.map((r) => [r.id, r]));
  const panels = panelIndex(input.packs);

  /** The best result's report-mates among the given recognizable results. */
  const cited = (best: Verdict, candidates: readonly string[]): ExternalResult[] => {
    const bestResult = byId.get(best.resultId)!;
    const report = bestResult.report?.id;
    if (!report) return [bestResult];
    const mates = candidates.map((id) => byId.get(id)).filter((r): r is ExternalResult => r?.report?.id === report);
    return [bestResult, ...mates.filter((r) => r.id !== bestResult.id)];
  };

  const cards: CardModel[] = [];
  const covered = new Set<string>();
  // Catalog items with a recognizable result, per pack: what a panel card covers.
  const recognizedItems = new Map<string, Set<string>>();
  for (const prompt of evaluation.prompts.items) {
    if (prompt.item.id === null) continue;
    const set = recognizedItems.get(prompt.packId) ?? new Set<string>();
    set.add(prompt.item.id);
    recognizedItems.set(prompt.packId, set);
  }
  const coverageOf = (packId: string, itemId: string | null): PanelCoverage | undefined => {
    const pack = input.packs.find((p) => p.meta.id === packId);
    if (!pack || itemId === null) return undefined;
    return panelCoverage(pack, itemId, recognizedItems.get(packId) ?? new Set()) ?? undefined;
  };

  const make = (packId: string, item: CardModel['item'], best: Verdict, resultIds: readonly string[], trigger: Trigger, order?: Order, coverage?: PanelCoverage): CardModel => {
    const card = cardId(packId, item.id, best.resultId);
    const model: CardModel = { card, trigger, order, packId, item, verdict: best, results: cited(best, resultIds), decision: decisions.get(card) };
    if (coverage) model.coverage = coverage;
    const basis = input.packs.find((p) => p.meta.id === packId)?.clock.basis;
    if (basis !== undefined && best.clockBasis !== null && best.clockBasis !== basis) model.clockFallback = true;
    return model;
  };

  for (const prompt of evaluation.prompts.orders) {
    if (!prompt.best) continue;
    const match = prompt.matches.find((m) => m.packId === prompt.best!.pack.id) ?? prompt.matches[0]!;
    const item = { id: match.itemId, name: match.itemName, category: prompt.best.item!.category, price: priceOf(input.packs, match.packId, match.itemId) };
    const key = `${match.packId}\u0000${match.itemId}`;
    if (covered.has(key)) continue;
    covered.add(key);
    const coverage = prompt.coverage?.panel.id === match.itemId ? prompt.coverage : coverageOf(match.packId, match.itemId);
    cards.push(make(match.packId, item, prompt.best, prompt.resultIds, 'order-select', prompt.order, coverage ?? undefined));
  }

  // Patient-view cards: analytes of one panel collapse into the panel's card.
  const grouped = new Map<string, { packId: string; item: CardModel['item']; best: Verdict; resultIds: string[] }>();
  for (const prompt of evaluation.prompts.items) {
    const panel = prompt.item.id ? panels.get(`${prompt.packId}\u0000${prompt.item.id}`) : undefined;
    const item = panel
      ? { id: panel.id, name: panel.name, category: prompt.item.category, price: panel.price }
      : { id: prompt.item.id, name: prompt.item.name, category: prompt.item.category, price: prompt.item.price };
    const key = `${prompt.packId}\u0000${item.id ?? `name:${item.name}`}`;
    const group = grouped.get(key);
    if (!group) grouped.set(key, { packId: prompt.packId, item, best: prompt.best, resultIds: [...prompt.resultIds] });
    else {
      group.resultIds.push(...prompt.resultIds);
      if ((prompt.best.daysLeft ?? 0) > (group.best.daysLeft ?? 0)) group.best = prompt.best;
    }
  }
  for (const [key, g] of grouped) {
    if (covered.has(key)) continue;
    cards.push(make(g.packId, g.item, g.best, g.resultIds, 'patient-view', undefined, coverageOf(g.packId, g.item.id)));
  }

  const othersByKey = new Map<string, OtherModel>();
  for (const verdict of evaluation.verdicts) {
    if (verdict.status === 'recognizable') continue;
    const result = byId.get(verdict.resultId);
    if (!result) continue;
    const key = `${result.report?.id ?? result.id}\u0000${verdict.status}`;
    const existing = othersByKey.get(key);
    if (existing) existing.results.push(result);
    else othersByKey.set(key, { key, name: result.report?.name ?? result.item.name, verdict, results: [result] });
  }
  const others = [...othersByKey.values()].sort((a, b) => (b.verdict.clockDate ?? '').localeCompare(a.verdict.clockDate ?? ''));

  const recognizable = evaluation.verdicts.filter((v) => v.status === 'recognizable').length;
  return {
    cards,
    others,
    counts: { results: input.results.length, recognizable, decided: cards.filter((c) => c.decision).length },
  };
}

function priceOf(packs: readonly RulePack[], packId: string, itemId: string): number | null {
  return packs.find((p) => p.meta.id === packId)?.catalog.find((i) => i.id === itemId)?.price ?? null;
}
