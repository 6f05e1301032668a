import type { ExternalResult } from '../../domain/external-result';
import { referenceRangeText } from '../../decisions/citation';
import { matchCatalogItem, type RulePack } from '../../rules';

/** One analyte the trend can show (a panel card offers each of its members). */
export interface TrendAnalyte {
  id: string;
  name: string;
  /** Numeric results of the patient for it. */
  count: number;
}

/** One result on the chart, with its own lab's unit and reference range (seed 000, seed 003). */
export interface TrendPoint {
  resultId: string;
  /** Epoch ms of collection (else report) time. */
  time: number;
  /** China calendar day, YYYY-MM-DD. */
  date: string;
  value: number;
  unit?: string;
  low?: number;
  high?: number;
  rangeText?: string;
  issuer: string;
  /** Outside its own lab's range (or flagged by the lab when it gave no numbers). */
  outside: 'high' | 'low' | 'flag' | null;
}

export interface TrendData {
  analyte: TrendAnalyte;
  /** The unit most results use; the chart plots only those. */
  unit?: string;
  points: TrendPoint[];
  /** Results in another unit, listed in the table but not plotted (a different scale). */
  unplotted: TrendPoint[];
}

/** Catalog item id per lab result, by the pack's matching (codes, then names and aliases). */
export function itemIdsOf(results: readonly ExternalResult[], pack: RulePack): Map<string, string> {
  const ids = new Map<string, string>();
  for (const r of results) {
    if (r.category !== 'lab') continue;
    const m = matchCatalogItem(pack, { name: r.item.name, codes: r.item.codes });
    if (m) ids.set(r.id, m.item.id);
  }
  return ids;
}

/**
 * What the 趋势 of a card can show: the card's item, or for a panel (血常规) each member the
 * patient has numeric results for, the card's own analyte first.
 */
export function trendAnalytes(card: { item: { id: string | null }; results: readonly ExternalResult[] }, results: readonly ExternalResult[], pack: RulePack): TrendAnalyte[] {
  if (!card.item.id) return [];
  const ids = itemIdsOf(results, pack);
  const catalogItem = pack.catalog.find((i) => i.id === card.item.id);
  const wanted = catalogItem?.members.length ? catalogItem.members : [card.item.id];
  const first = card.results[0] ? ids.get(card.results[0].id) : undefined;
  const analytes = wanted.flatMap((id) => {
    const count = results.filter((r) => ids.get(r.id) === id && typeof r.value === 'number').length;
    const name = pack.catalog.find((i) => i.id === id)?.name ?? id;
    return count > 0 ? [{ id, name, count }] : [];
  });
  return analytes.sort((a, b) => Number(b.id === first) - Number(a.id === first));
}

/** The patient's numeric results for one analyte, across institutions, oldest first. */
export function trendSeries(analyte: TrendAnalyte, results: readonly ExternalResult[], pack: RulePack): TrendData {
  const ids = itemIdsOf(results, pack);
  const all = results
    .filter((r) => ids.get(r.id) === analyte.id && typeof r.value === 'number')
    .flatMap((r) => {
      const when = Date.parse(r.collectedAt ?? r.reportedAt ?? '');
      return Number.isNaN(when) ? [] : [toPoint(r, when)];
    })
    .sort((a, b) => a.time - b.time);
  const units = new Map<string, number>();
  for (const p of all) units.set(p.unit ?? '', (units.get(p.unit ?? '') ?? 0) + 1);
  const unit = [...units.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  return {
    analyte,
    ...(unit ? { unit } : {}),
    points: all.filter((p) => (p.unit ?? '') === unit),
    unplotted: all.filter((p) => (p.unit ?? '') !== unit),
  };
}

function toPoint(r: ExternalResult, time: number): TrendPoint {
  const value = r.value as number;
  const { low, high } = r.referenceRange ?? {};
  const outside = high !== undefined && value > high ? 'high' : low !== undefined && value < low ? 'low' : low === undefined && high === undefined && r.abnormal ? 'flag' : null;
  const rangeText = referenceRangeText(r);
  return {
    resultId: r.id,
    time,
    date: new Date(time + 8 * 3_600_000).toISOString().slice(0, 10),
    value,
    ...(r.unit ? { unit: r.unit } : {}),
    ...(low !== undefined ? { low } : {}),
    ...(high !== undefined ? { high } : {}),
    ...(rangeText ? { rangeText } : {}),
    issuer: r.issuer.name ?? r.issuer.identifiers[0]?.value ?? '—',
    outside,
  };
}
