import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { computeStats } from '../../../shared/stats/compute';
import { periodOfDays } from '../../../shared/stats/period';
import { loadBundledPacks } from '../../../shared/rules';
import { decision, event } from './fixtures';

const NOV = periodOfDays('2026-11-01', '2026-11-30');
const at = (day: number, hour = 10) => new Date(Date.UTC(2026, 10, day, hour - 8)).toISOString();

describe('computeStats on known data', () => {
  // 心血管内科: 4 recognized (¥20 each), 1 re-test; 呼吸内科: 1 recognized (¥60), 2 re-tests.
  const decisions = [
    ...[1, 2, 3, 4].map((d) => decision({ at: at(d), outcome: 'accepted', price: 20 })),
    decision({ at: at(5), outcome: 'overridden', reason: 2 }),
    decision({ dept: '呼吸内科', phys: '王芳', at: at(6), outcome: 'accepted', price: 60, item: 'lft' }),
    decision({ dept: '呼吸内科', phys: '王芳', at: at(7), outcome: 'overridden', reason: 2, item: 'lft' }),
    decision({ dept: '呼吸内科', phys: '王芳', at: at(8), outcome: 'overridden', reason: 5, item: 'lft' }),
    // Outside the period: ignored.
    decision({ at: '2026-10-31T15:59:59.000Z', outcome: 'accepted', price: 1000 }),
    decision({ at: '2026-11-30T16:00:00.000Z', outcome: 'accepted', price: 1000 }),
  ];
  const events = [
    event('viewed', at(1)),
    event('viewed', at(2)),
    event('prompted', at(1)),
    event('prompted', at(1), { trigger: 'order-select' }),
    event('prompted', at(2)),
    event('opened', at(2)),
    event('opened', at(3), { target: 'trend' }),
    event('opened', '2026-12-01T00:00:00.000Z', { target: 'trend' }),
  ];
  const stats = computeStats({ decisions, events, ...NOV });

  test('counts recognitions, re-tests and the rate recognized / (recognized + re-tested)', () => {
    expect(stats).toMatchObject({ decisions: 8, recognized: 5, retested: 3, revisions: 0 });
    expect(stats.rate).toBeCloseTo(5 / 8);
  });

  test('money saved is the sum of the recognized items’ prices', () => {
    expect(stats.saved).toBe(4 * 20 + 60);
    expect(stats.unpriced).toBe(0);
  });

  test('breaks down by department, physician and item', () => {
    expect(stats.byDepartment.map((g) => [g.name, g.decisions, g.recognized, g.retested, g.saved])).toEqual([
      ['心血管内科', 5, 4, 1, 80],
      ['呼吸内科', 3, 1, 2, 60],
    ]);
    expect(stats.byDepartment[0]!.rate).toBeCloseTo(0.8);
    expect(stats.byPhysician.map((g) => [g.name, g.detail])).toEqual([
      ['李明', '心血管内科'],
      ['王芳', '呼吸内科'],
    ]);
    expect(stats.byItem.map((g) => [g.name, g.rate])).toEqual([
      ['血细胞分析', 0.8],
      ['lft', 1 / 3],
    ]);
  });

  test('re-test reasons with their share', () => {
    expect(stats.reasons).toEqual([
      { code: 'RT-2', display: '原因2', count: 2, share: 2 / 3 },
      { code: 'RT-5', display: '原因5', count: 1, share: 1 / 3 },
    ]);
  });

  test('prompts and usage come from the audit events of the period', () => {
    expect(stats.prompts).toBe(3);
    expect(stats.promptsByTrigger).toEqual({ 'patient-view': 2, 'order-select': 1 });
    expect(stats.usage).toMatchObject({ views: 2, patients: 1, physicians: 1, opened: 2, openedBy: { images: 1, others: 0, trend: 1 } });
  });

  test('deviation: 心血管内科 (80 %) is within 20 points of 62.5 %; 呼吸内科 has fewer than 5 decisions', () => {
    expect(stats.byDepartment.every((g) => !g.deviation)).toBe(true);
  });

  test('an empty period has no rate rather than 0 %', () => {
    const empty = computeStats({ decisions: [], events: [], ...NOV });
    expect(empty).toMatchObject({ decisions: 0, rate: null, saved: 0, reasons: [], byDepartment: [] });
  });
});

describe('revisions', () => {
  test('a revision replaces the outcome it revises: the card counts once', () => {
    const first = decision({ at: at(3), outcome: 'overridden', reason: 1 });
    const revised = decision({ at: at(3, 11), outcome: 'accepted', price: 20, card: first.card, revises: first.uuid });
    const stats = computeStats({ decisions: [first, revised], events: [], ...NOV });
    expect(stats).toMatchObject({ decisions: 1, recognized: 1, retested: 0, revisions: 1, saved: 20, reasons: [] });
  });

  test('a report counts in the period it was first shown, with its latest outcome', () => {
    const first = decision({ at: at(30), outcome: 'accepted', price: 20 });
    const revised = decision({ at: '2026-12-02T02:00:00.000Z', outcome: 'overridden', reason: 3, card: first.card, revises: first.uuid });
    expect(computeStats({ decisions: [first, revised], events: [], ...NOV })).toMatchObject({ decisions: 1, recognized: 0, retested: 1, revisions: 0 });
    const dec = computeStats({ decisions: [first, revised], events: [], ...periodOfDays('2026-12-01', '2026-12-31') });
    expect(dec).toMatchObject({ decisions: 0, revisions: 1 });
  });

  test('money saved is the price each recognition carries (the pack’s price when decided); unpriced ones are counted', () => {
    const d = decision({ at: at(4), outcome: 'accepted', price: 60 });
    const noPrice = decision({ at: at(4), outcome: 'accepted', item: 'not-in-pack' });
    const stats = computeStats({ decisions: [d, noPrice], events: [], ...NOV });
    expect(stats.saved).toBe(60);
    expect(stats.unpriced).toBe(1);
  });
});

describe('properties', () => {
  const arb = fc.array(
    fc.record({
      day: fc.integer({ min: 1, max: 60 }),
      accepted: fc.boolean(),
      dept: fc.constantFrom('心血管内科', '呼吸内科', '消化内科'),
      price: fc.integer({ min: 0, max: 500 }),
      reviseOf: fc.option(fc.nat(), { nil: undefined }),
    }),
    { maxLength: 40 },
  );

  test('rates lie in [0, 1], counts add up, and each card counts at most once across periods', () => {
    fc.assert(
      fc.property(arb, (specs) => {
        const all: ReturnType<typeof decision>[] = [];
        specs.forEach((s, i) => {
          const target = s.reviseOf !== undefined && all.length ? all[s.reviseOf % all.length] : undefined;
          const time = new Date(Date.UTC(2026, 10, s.day, 2, 0, i)).toISOString();
          all.push(
            decision({
              at: target && time <= target.outcomeTimestamp ? new Date(Date.parse(target.outcomeTimestamp) + 1000).toISOString() : time,
              outcome: s.accepted ? 'accepted' : 'overridden',
              dept: s.dept,
              price: s.price,
              ...(target ? { card: target.card, revises: target.uuid } : {}),
            }),
          );
        });
        const months = [periodOfDays('2026-11-01', '2026-11-30'), periodOfDays('2026-12-01', '2026-12-31'), periodOfDays('2027-01-01', '2027-01-31')];
        const per = months.map((p) => computeStats({ decisions: all, events: [], ...p }));
        const cards = new Set(all.map((d) => d.card)).size;
        expect(per.reduce((a, s) => a + s.decisions, 0)).toBe(cards);
        for (const s of per) {
          expect(s.recognized + s.retested).toBe(s.decisions);
          for (const r of [s.rate, ...s.byDepartment.map((g) => g.rate)]) if (r !== null) expect(r >= 0 && r <= 1).toBe(true);
          expect(s.byDepartment.reduce((a, g) => a + g.decisions, 0)).toBe(s.decisions);
          expect(s.saved).toBeCloseTo(s.byDepartment.reduce((a, g) => a + g.saved, 0));
        }
      }),
    );
  });
});
