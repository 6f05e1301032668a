import { RATES, DEVIATION_RATE, type Measures, type RateId } from './definitions';
import { DEFAULT_DEVIATION_RULE, flagDeviations, type Deviation, type DeviationRule } from './deviation';

/** One row of a monitoring table: a group's measures, its rates, and a deviation flag where the rule fires. */
export interface RatedRow {
  key: string;
  label: string;
  detail?: string;
  measures: Measures;
  rates: Record<RateId, number | null>;
  deviation?: Deviation;
}

export function ratesOf(m: Measures): Record<RateId, number | null> {
  return Object.fromEntries(Object.values(RATES).map((r) => [r.id, r.compute(m)])) as Record<RateId, number | null>;
}

/**
 * Rates for each group and the deviation flags (the same for the screen and the exports): a group
 * with at least `rule.minDecisions` reports shown is flagged when its 互认率 lies more than
 * `sdMultiple` standard deviations of its peers' rates, or `thresholdPoints` points, from the
 * overall 互认率.
 */
export function rateRows(
  rows: readonly { key: string; label: string; detail?: string; measures: Measures }[],
  total: Measures,
  options: { rule?: DeviationRule; flag?: boolean } = {},
): RatedRow[] {
  const rule = options.rule ?? DEFAULT_DEVIATION_RULE;
  const rated = rows.map((r) => ({ ...r, rates: ratesOf(r.measures) }));
  if (options.flag === false) return rated;
  const flags = flagDeviations(
    rated.map((r) => ({ decisions: r.measures.reportsShown, rate: r.rates[DEVIATION_RATE] })),
    RATES[DEVIATION_RATE].compute(total),
    rule,
  );
  return rated.map((r, i) => (flags[i] ? { ...r, deviation: flags[i] } : r));
}

/** The rule as a sentence, shown on screen and in reports beside the flags. */
export function describeRule(rule: DeviationRule, locale: 'zh-CN' | 'en'): string {
  return locale === 'en'
    ? `Flagged: at least ${rule.minDecisions} reports shown, and a recognition rate more than ${rule.sdMultiple} standard deviations of the peers’ rates, or more than ${rule.thresholdPoints} percentage points, from the overall rate (above or below).`
    : `偏离标记：可互认报告不少于 ${rule.minDecisions} 份，且互认率与总体互认率相差超过同组 ${rule.sdMultiple} 个标准差，或超过 ${rule.thresholdPoints} 个百分点（高于或低于均标记）。`;
}
