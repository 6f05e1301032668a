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
export function checkTimeLimit(
  clockDay: number,
  today: number,
  limitDays: number,
  category: Category,
  basis: 'collection' | 'report',
): { window: TimeWindow; failure: Outcome | null } {
  const window: TimeWindow = {
    clockDate: formatDay(clockDay),
    lastValidDay: formatDay(clockDay + limitDays),
    daysLeft: limitDays - (today - clockDay),
  };
  if (window.daysLeft >= 0) return { window, failure: null };
  const label = dateLabel(category, basis);
  return {
    window,
    failure: outcome(
      'expired',
      'time-limit',
      `${label.zh} ${window.clockDate}，最后有效日 ${window.lastValidDay}`,
      `${label.en} ${window.clockDate}, last valid day ${window.lastValidDay}`,
    ),
  };
}

/** 检验日期 / 检查日期 / 报告日期, as the physician reads it on the sheet. */
export function dateLabel(category: Category, basis: 'collection' | 'report'): { zh: string; en: string } {
  if (basis === 'report') return { zh: '报告日期', en: 'reported' };
  return category === 'lab' ? { zh: '检验日期', en: 'collected' } : { zh: '检查日期', en: 'examined' };
}
