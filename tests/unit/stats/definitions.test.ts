import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { EMPTY_MEASURES, RATES, ratio, type Measures } from '../../../shared/stats/definitions';
import { ratesOf } from '../../../shared/stats/groups';
import { isView, measuresOf, reportFacts } from '../../../shared/stats/report-facts';
import { KNOWN_DECISIONS, KNOWN_EVENTS, KNOWN_NOVEMBER } from './known-scenario';

const november = (t: number) => t >= Date.UTC(2026, 9, 31, 16) && t < Date.UTC(2026, 10, 30, 16);

describe('definitions on known data', () => {
  const facts = reportFacts(KNOWN_DECISIONS, KNOWN_EVENTS);
  const inNov = facts.filter((f) => november(f.firstShownAt));
  const views = KNOWN_EVENTS.filter((e) => isView(e) && november(Date.parse(e.at))).length;
  const m = measuresOf(inNov, views);

  test('the month’s counts: per report (份), latest decision, first shown', () => {
    expect(m).toEqual(KNOWN_NOVEMBER);
  });

  test('互认率 = recognized ÷ reports shown as recognizable = 3/5', () => {
    expect(RATES.recognitionRate.compute(m)).toBe(0.6);
  });

  test('同期互认率 = 采纳 ÷ 提醒 = 3/5; not computed without prompts', () => {
    expect(RATES.promptRate.compute(m)).toBe(0.6);
    expect(RATES.promptRate.compute({ ...m, prompts: 0 })).toBeNull();
  });

  test('决定中互认占比 = 3/(3+1); 引用率 = 1/3; 互认 ÷ 调阅 = 3/4; 提醒未处理占比 = 1/5', () => {
    expect(RATES.decisionShare.compute(m)).toBe(0.75);
    expect(RATES.citationRate.compute(m)).toBeCloseTo(1 / 3);
    expect(RATES.recognitionPerView.compute(m)).toBe(0.75);
    expect(RATES.undecidedShare.compute(m)).toBe(0.2);
  });

  test('a revision replaces what it revises; a prompt without a result is not counted; a re-tested card is never cited', () => {
    const r5 = facts.find((f) => f.resultId === 'DiagnosticReport/R5')!;
    expect([r5.outcome, r5.decision]).toEqual(['accepted', '00000000-0000-4000-8000-00000000d006']);
    expect(facts.some((f) => f.resultId.includes('undefined'))).toBe(false);
    expect(facts.find((f) => f.resultId === 'DiagnosticReport/R2')!.cited).toBe(false);
    expect(facts.find((f) => f.resultId === 'DiagnosticReport/R1')).toMatchObject({ cited: true, prompts: 2 });
  });

  test('a report belongs to the month it was first shown: R6 (shown in October, decided in November) is October’s', () => {
    const r6 = facts.find((f) => f.resultId === 'DiagnosticReport/R6')!;
    expect(november(r6.firstShownAt)).toBe(false);
    expect(r6.outcome).toBe('accepted');
  });

  test('no rate is shown for nothing', () => {
    for (const r of Object.values(RATES)) expect(r.compute(EMPTY_MEASURES)).toBeNull();
  });
});

describe('properties', () => {
  const measures = fc
    .record({
      reportsRecognized: fc.nat(50),
      reportsRetested: fc.nat(50),
      reportsUndecided: fc.nat(50),
      extraPrompts: fc.nat(100),
      views: fc.nat(100),
      citedShare: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(
      (x): Measures => ({
        reportsShown: x.reportsRecognized + x.reportsRetested + x.reportsUndecided,
        reportsRecognized: x.reportsRecognized,
        reportsRetested: x.reportsRetested,
        reportsUndecided: x.reportsUndecided,
        reportsCited: Math.floor(x.reportsRecognized * x.citedShare),
        prompts: x.reportsRecognized + x.reportsRetested + x.reportsUndecided + x.extraPrompts,
        views: x.views,
        saved: 0,
      }),
    );

  test('互认率, 同期互认率, 决定中互认占比 and 引用率 are shares in [0, 1] or null; 同期 never exceeds 互认率 when every report was prompted', () => {
    fc.assert(
      fc.property(measures, (m) => {
        const r = ratesOf(m);
        for (const id of ['recognitionRate', 'promptRate', 'decisionShare', 'citationRate', 'undecidedShare'] as const) {
          const v = r[id];
          expect(v === null || (v >= 0 && v <= 1)).toBe(true);
        }
        if (r.promptRate !== null && r.recognitionRate !== null) expect(r.promptRate).toBeLessThanOrEqual(r.recognitionRate + 1e-12);
        expect(r.recognitionRate).toEqual(ratio(m.reportsRecognized, m.reportsShown));
      }),
    );
  });
});
