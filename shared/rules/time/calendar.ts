/**
 * Calendar arithmetic on day numbers (days since 1970-01-01), so "T − D ≤ N" is integer math
 * with no clock and no DST surprises.
 */
export const MS_PER_DAY = 86_400_000;

/** Day number of a proleptic Gregorian date. */
export function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

const dayStrings = new Map<number, string>();

/** YYYY-MM-DD of a day number; cached because verdicts repeat the same few dates. */
export function formatDay(day: number): string {
  let s = dayStrings.get(day);
  if (s === undefined) {
    s = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    if (dayStrings.size > 20_000) dayStrings.clear();
    dayStrings.set(day, s);
  }
  return s;
}
