import { evaluate } from '../../../shared/rules/index.ts';
import { readClock } from '../../../shared/rules/time/clock-reading.ts';
import { demoPack, result } from './fixtures.ts';

const judge = (collectedAt: string, now: string, over = {}) =>
  evaluate({ packs: [demoPack], receivingInstitution: 'zj-rmyy', now, results: [result({ collectedAt, ...over })] })
    .verdicts[0]!;

describe('参考时限: within N days iff T − D ≤ N', () => {
  it('day N is the last valid day, day N+1 is expired (ALT, 14 days)', () => {
    const onLastDay = judge('2026-11-01T08:00:00+08:00', '2026-11-15T23:59:59+08:00');
    expect(onLastDay.status).toBe('recognizable');
    expect(onLastDay.lastValidDay).toBe('2026-11-15');
    expect(onLastDay.daysLeft).toBe(0);
    const dayAfter = judge('2026-11-01T08:00:00+08:00', '2026-11-16T00:00:00+08:00');
    expect(dayAfter.status).toBe('expired');
    expect(dayAfter.daysLeft).toBe(-1);
    expect(dayAfter.reasonShort['zh-CN']).toBe('已超过参考时限（14天）');
    expect(dayAfter.explanation['zh-CN']).toContain('检验日期 2026-11-01，最后有效日 2026-11-15');
    expect(dayAfter.explanation['zh-CN']).toContain('互认助手演示规则包 2026.1-demo');
  });

  it('counts calendar days, not 24-hour periods: 23:59 to 00:00 is one day', () => {
    const v = judge('2026-11-01T23:59:00+08:00', '2026-11-15T00:01:00+08:00');
    expect(v.daysLeft).toBe(0);
    expect(v.status).toBe('recognizable');
  });

  it('per-item limit: potassium 7 days', () => {
    const k = { code: '2823-3', name: '钾' };
    expect(judge('2026-11-15T08:00:00+08:00', '2026-11-22T20:00:00+08:00', k).status).toBe('recognizable');
    expect(judge('2026-11-14T08:00:00+08:00', '2026-11-22T08:00:00+08:00', k).status).toBe('expired');
  });

  it('a UTC timestamp after 16:00Z falls on the next day in Asia/Shanghai', () => {
    // 2026-10-31T16:30Z is 2026-11-01 00:30 in Beijing: D = 11-01, last valid day 11-15.
    const v = judge('2026-10-31T16:30:00Z', '2026-11-15T12:00:00+08:00');
    expect(v.clockDate).toBe('2026-11-01');
    expect(v.status).toBe('recognizable');
    // 15:59Z is still 10-31 in Beijing: expired on 11-15.
    const w = judge('2026-10-31T15:59:00Z', '2026-11-15T12:00:00+08:00');
    expect(w.clockDate).toBe('2026-10-31');
    expect(w.status).toBe('expired');
  });

  it('"now" as a UTC instant is read on the Beijing calendar too', () => {
    // 2026-11-15T16:00Z is 2026-11-16 00:00 Beijing: the 11-01 result is one day past.
    expect(judge('2026-11-01T08:00:00+08:00', '2026-11-15T16:00:00Z').status).toBe('expired');
    expect(judge('2026-11-01T08:00:00+08:00', '2026-11-15T15:59:59Z').status).toBe('recognizable');
    expect(
      evaluate({ packs: [demoPack], receivingInstitution: 'zj-rmyy', now: new Date('2026-11-15T15:59:59Z'), results: [result({ collectedAt: '2026-11-01' })] })
        .verdicts[0]!.status,
    ).toBe('recognizable');
  });

  it('leap day: 2028-02-29 + 14 days is 2028-03-14', () => {
    // An alliance member (医联体), so the 2027 qualification end does not matter here.
    const ally = { org: 'zj-mzqrmyy' };
    const v = judge('2028-02-29T09:00:00+08:00', '2028-03-14T09:00:00+08:00', ally);
    expect(v.lastValidDay).toBe('2028-03-14');
    expect(v.status).toBe('recognizable');
    expect(judge('2028-02-29T09:00:00+08:00', '2028-03-15T09:00:00+08:00', ally).status).toBe('expired');
    // Across 2028-02-29 from February 20: 14 days later is 03-05 (29 days in February).
    expect(judge('2028-02-20', '2028-03-05', ally).lastValidDay).toBe('2028-03-05');
    expect(judge('2027-02-20', '2027-03-06', ally).lastValidDay).toBe('2027-03-06');
  });

  it('timestamps without an offset are Beijing wall time; date-only strings are calendar dates', () => {
    expect(judge('2026-11-01T23:30:00', '2026-11-15T10:00:00+08:00').clockDate).toBe('2026-11-01');
    expect(judge('2026-11-01', '2026-11-15T10:00:00+08:00').clockDate).toBe('2026-11-01');
  });

  it('a result dated after now is incomplete', () => {
    const v = judge('2026-11-22T11:00:00+08:00', '2026-11-22T10:00:00+08:00');
    expect(v.status).toBe('incomplete');
    expect(v.explanation['zh-CN']).toContain('晚于当前时间');
    expect(judge('2026-11-23', '2026-11-22T10:00:00+08:00').status).toBe('incomplete');
    // A date-only result dated today is not in the future.
    expect(judge('2026-11-22', '2026-11-22T10:00:00+08:00').status).toBe('recognizable');
    expect(judge('2026-11-22T10:00:00+08:00', '2026-11-22T10:00:00+08:00').status).toBe('recognizable');
  });

  it('missing or unreadable clock time is incomplete', () => {
    expect(judge('', '2026-11-22').status).toBe('incomplete');
    expect(judge('2026-02-30T08:00:00+08:00', '2026-11-22').status).toBe('incomplete');
    expect(judge('15/11/2026', '2026-11-22').status).toBe('incomplete');
  });

  it('reads clocks exactly', () => {
    expect(readClock('2026-11-01T00:00:00+08:00', 'Asia/Shanghai')?.day).toBe(readClock('2026-11-01', 'UTC')?.day);
    expect(readClock('2026-03-08T06:59:00Z', 'America/New_York')?.day).toBe(readClock('2026-03-08', 'UTC')?.day);
    expect(readClock('2026-03-08T04:59:00Z', 'America/New_York')?.day).toBe(readClock('2026-03-08', 'UTC')!.day - 1);
    expect(readClock('2026-13-01', 'UTC')).toBeNull();
    expect(readClock('2026-11-01T24:00:00Z', 'UTC')).toBeNull();
    expect(readClock('2026-11-01T08:00:00.123456+0530', 'UTC')?.day).toBe(readClock('2026-11-01', 'UTC')?.day);
  });
});

describe('clock basis', () => {
  it('a report-based pack counts from the report time, falling back to collection', () => {
    const json = structuredClone(demoPack);
    json.clock = { basis: 'report', timeZone: 'Asia/Shanghai' };
    const reported = evaluate({
      packs: [json],
      receivingInstitution: 'zj-rmyy',
      now: '2026-11-16T10:00:00+08:00',
      results: [
        result({ collectedAt: '2026-11-01T08:00:00+08:00', reportedAt: '2026-11-02T09:00:00+08:00' }),
        result({ collectedAt: '2026-11-01T08:00:00+08:00' }),
      ],
    }).verdicts;
    expect(reported[0]!.status).toBe('recognizable');
    expect(reported[0]!.clockDate).toBe('2026-11-02');
    expect(reported[0]!.explanation['zh-CN']).toContain('报告日期');
    expect(reported[1]!.status).toBe('expired');
  });
});
