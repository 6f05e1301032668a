/** A statistics period: from ≤ t < to, epoch ms, on China's calendar (UTC+8, no DST). */
export interface Period {
  from: number;
  to: number;
  /** YYYY-MM-DD of the first and last day, for titles and file names. */
  firstDay: string;
  lastDay: string;
}

export type PeriodKind = 'week' | 'month' | 'custom';

const CN_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** Start (epoch ms) of a China calendar day given as YYYY-MM-DD. */
export function cnDayStart(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) - CN_OFFSET_MS;
}

/** The China calendar day (YYYY-MM-DD) of an instant. */
export function cnDay(t: number | Date): string {
  return new Date((typeof t === 'number' ? t : t.getTime()) + CN_OFFSET_MS).toISOString().slice(0, 10);
}

/** Inclusive China days → period. */
export function periodOfDays(firstDay: string, lastDay: string): Period {
  return { from: cnDayStart(firstDay), to: cnDayStart(lastDay) + DAY_MS, firstDay, lastDay };
}

/** 本周 (Monday to Sunday) or 本月, containing `now`. */
export function currentPeriod(kind: 'week' | 'month', now: Date): Period {
  const today = cnDay(now);
  const start = new Date(cnDayStart(today) + CN_OFFSET_MS);
  if (kind === 'week') {
    const back = (start.getUTCDay() + 6) % 7;
    const monday = cnDay(cnDayStart(today) - back * DAY_MS);
    return periodOfDays(monday, cnDay(cnDayStart(monday) + 6 * DAY_MS));
  }
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth();
  const first = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  const last = new Date(Date.UTC(y, m + 1, 0)).toISOString().slice(0, 10);
  return periodOfDays(first, last);
}
