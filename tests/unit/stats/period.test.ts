import { expect, test } from 'vitest';
import { cnDay, currentPeriod, periodOfDays } from '../../../shared/stats/period';

test('本周 runs Monday to Sunday on China time', () => {
  // 2026-11-22 is a Sunday; 01:00 on Monday 23rd China time is still the 22nd in UTC.
  expect(currentPeriod('week', new Date('2026-11-22T10:00:00+08:00'))).toMatchObject({ firstDay: '2026-11-16', lastDay: '2026-11-22' });
  expect(currentPeriod('week', new Date('2026-11-23T01:00:00+08:00'))).toMatchObject({ firstDay: '2026-11-23', lastDay: '2026-11-29' });
});

test('本月 covers the whole calendar month', () => {
  const p = currentPeriod('month', new Date('2026-02-10T10:00:00+08:00'));
  expect(p).toMatchObject({ firstDay: '2026-02-01', lastDay: '2026-02-28' });
  expect(new Date(p.from).toISOString()).toBe('2026-01-31T16:00:00.000Z');
  expect(new Date(p.to).toISOString()).toBe('2026-02-28T16:00:00.000Z');
});

test('custom days include the last day', () => {
  const p = periodOfDays('2026-11-01', '2026-11-01');
  expect(p.to - p.from).toBe(86_400_000);
  expect(cnDay(p.to - 1)).toBe('2026-11-01');
});
