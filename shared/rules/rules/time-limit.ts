import type { Category } from '../schema/common.ts';
import { formatDay } from '../time/calendar.ts';
import { outcome, type Outcome } from './outcome.ts';

export interface TimeWindow {
  clockDate: string;
  lastValidDay: string;
  daysLeft: number;
}

/**
 * 参考时限: with clock date D and today T (calendar days in the pack's zone), a result is within
 * an N-day limit iff T − D ≤ N. The last valid day is D + N.
 */
export function timeWindow(clockDay: number, today: number, limitDays: number): TimeWindow {
  return {
    clockDate: formatDay(clockDay),
    lastValidDay: formatDay(clockDay + limitDays),
    daysLeft: limitDays - (today - clockDay),
  };
}

/** The verdict the time limit gives: expired, or recognizable with the days left. */
export function timeOutcome(
  w: TimeWindow,
  limitDays: number,
  category: Category,
  basis: 'collection' | 'report',
): Outcome {
  const label = dateLabel(category, basis);
  if (w.daysLeft < 0) {
    return outcome(
      'expired',
      'time-limit',
      `${label.zh} ${w.clockDate}，最后有效日 ${w.lastValidDay}`,
      `${label.en} ${w.clockDate}, last valid day ${w.lastValidDay}`,
    );
  }
  return outcome(
    'recognizable',
    'time-limit',
    `${label.zh} ${w.clockDate}，参考时限 ${limitDays} 天，最后有效日 ${w.lastValidDay}，剩余 ${w.daysLeft} 天`,
    `${label.en} ${w.clockDate}, ${limitDays}-day limit, last valid day ${w.lastValidDay}, ${w.daysLeft} day(s) left`,
  );
}

/** 检验日期 / 检查日期 / 报告日期, as the physician reads it on the sheet. */
export function dateLabel(category: Category, basis: 'collection' | 'report'): { zh: string; en: string } {
  if (basis === 'report') return { zh: '报告日期', en: 'reported' };
  return category === 'lab' ? { zh: '检验日期', en: 'collected' } : { zh: '检查日期', en: 'examined' };
}
