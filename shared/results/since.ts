/** Extra days fetched beyond the longest time limit, so clock-start differences (collection vs report time) never cut a result off. */
export const DEFAULT_MARGIN_DAYS = 7;

/**
 * Oldest date worth fetching: `now` minus the longest time limit of the active rule packs
 * (e.g. 60 days for HbA1c) minus a margin. Derived from the packs, never a constant.
 */
export function sinceFor(now: Date, maxLimitDays: number, marginDays = DEFAULT_MARGIN_DAYS): Date {
  if (!Number.isFinite(maxLimitDays) || maxLimitDays < 0) throw new RangeError('maxLimitDays must be a non-negative number');
  return new Date(now.getTime() - (maxLimitDays + Math.max(0, marginDays)) * 86_400_000);
}
