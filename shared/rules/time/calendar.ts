/**
 * Calendar arithmetic on day numbers (days since 1970-01-01), so "T − D ≤ N" is integer math
 * with no clock and no DST surprises.
 */
export const MS_PER_DAY = 86_400_000;

/** Day number of a proleptic Gregorian date (integer arithmetic, no Date object). */
export function dayNumber(year: number, month: number, day: number): number {
  // Days from civil (H. Hinnant): years start in March so the leap day is the year's last.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Day numbers 0 … 109 572 (1970 – 2269) index an array; others go through a map.
const DENSE_DAYS = 109_573;
const denseStrings: (string | undefined)[] = [];
const dayStrings = new Map<number, string>();

/** YYYY-MM-DD of a day number; cached because verdicts repeat the same few dates. */
export function formatDay(day: number): string {
  if (day >= 0 && day < DENSE_DAYS) {
    const s = denseStrings[day];
    if (s !== undefined) return s;
    // Fill up to day so the array stays packed (no holes): at most DENSE_DAYS short strings.
    for (let d = denseStrings.length; d < day; d++) denseStrings.push(undefined);
    return (denseStrings[day] = isoDay(day));
  }
  let s = dayStrings.get(day);
  if (s === undefined) {
    s = isoDay(day);
    if (dayStrings.size > 20_000) dayStrings.clear();
    dayStrings.set(day, s);
  }
  return s;
}

function isoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
