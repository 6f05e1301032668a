/**
 * 偏离标记 (seed 000: 互认比例明显偏离平均水平). A group (a department or a physician) is flagged
 * when it has at least `minDecisions` decisions in the period and its recognition rate differs
 * from the overall rate of the period by more than `sdMultiple` standard deviations of the
 * eligible groups' rates, or by more than `thresholdPoints` percentage points. Both directions
 * count: an unusually high rate is as worth a look as a low one.
 *
 * Why both tests: with k groups, no group can lie more than √(k−1) population SDs from their
 * mean, so with five or fewer departments the SD test alone could never fire; the fixed
 * threshold covers small hospitals, the SD test larger ones.
 */
export interface DeviationRule {
  minDecisions: number;
  sdMultiple: number;
  /** Percentage points, e.g. 20 = 0.20 of rate. */
  thresholdPoints: number;
}

export const DEFAULT_DEVIATION_RULE: DeviationRule = { minDecisions: 5, sdMultiple: 2, thresholdPoints: 20 };

export interface Deviation {
  direction: 'above' | 'below';
  /** Group rate − overall rate. */
  difference: number;
  /** Which test fired (both may). */
  bySd: boolean;
  byThreshold: boolean;
}

export interface RatedGroup {
  decisions: number;
  rate: number | null;
}

/** Population standard deviation. */
export function standardDeviation(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
}

/** Flags per group (same order), `undefined` where the group is not flagged or not eligible. */
export function flagDeviations(groups: readonly RatedGroup[], overall: number | null, rule: DeviationRule = DEFAULT_DEVIATION_RULE): (Deviation | undefined)[] {
  const eligible = (g: RatedGroup) => g.decisions >= rule.minDecisions && g.rate !== null;
  const sd = standardDeviation(groups.filter(eligible).map((g) => g.rate!));
  const eps = 1e-9;
  return groups.map((g) => {
    if (overall === null || !eligible(g)) return undefined;
    const difference = g.rate! - overall;
    const distance = Math.abs(difference);
    const bySd = sd > 0 && distance > rule.sdMultiple * sd + eps;
    const byThreshold = distance > rule.thresholdPoints / 100 + eps;
    if (!bySd && !byThreshold) return undefined;
    return { direction: difference > 0 ? 'above' : 'below', difference, bySd, byThreshold };
  });
}
