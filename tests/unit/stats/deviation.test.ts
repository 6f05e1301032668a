import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { flagDeviations, standardDeviation } from '../../../shared/stats/deviation';

const g = (decisions: number, rate: number | null) => ({ decisions, rate });

describe('deviation flag', () => {
  test('beyond 20 percentage points of the overall rate is flagged, in either direction', () => {
    const flags = flagDeviations([g(10, 0.9), g(10, 0.4), g(10, 0.75)], 0.65);
    expect(flags[0]).toMatchObject({ direction: 'above', byThreshold: true });
    expect(flags[1]).toMatchObject({ direction: 'below', byThreshold: true });
    expect(flags[1]!.difference).toBeCloseTo(-0.25);
    expect(flags[2]).toBeUndefined();
  });

  test('exactly 20 points is not beyond the threshold', () => {
    expect(flagDeviations([g(10, 0.8), g(10, 0.6)], 0.6)[0]).toBeUndefined();
  });

  test('groups with fewer than 5 decisions are never flagged', () => {
    expect(flagDeviations([g(4, 0), g(10, 0.9)], 0.9)[0]).toBeUndefined();
  });

  test('beyond 2 SD of the group rates flags even a difference under 20 points', () => {
    // Ten departments at 0.80–0.82 and one at 0.65: SD ≈ 0.046, difference ≈ 0.15.
    const groups = [...Array.from({ length: 10 }, (_, i) => g(20, 0.8 + (i % 3) / 100)), g(20, 0.65)];
    const rates = groups.map((x) => x.rate!);
    const overall = rates.reduce((a, b) => a + b, 0) / rates.length;
    const flags = flagDeviations(groups, overall);
    expect(flags[10]).toMatchObject({ direction: 'below', bySd: true, byThreshold: false });
    expect(flags.slice(0, 10).every((f) => f === undefined)).toBe(true);
  });

  test('standard deviation (population)', () => {
    expect(standardDeviation([0.5, 0.7])).toBeCloseTo(0.1);
    expect(standardDeviation([])).toBe(0);
  });

  test('no overall rate, no flags', () => {
    expect(flagDeviations([g(10, 1)], null)).toEqual([undefined]);
  });

  test('property: a group equal to the overall rate is never flagged', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), (rates, overall) => {
        const flags = flagDeviations([...rates.map((r) => g(10, r)), g(10, overall)], overall);
        expect(flags.at(-1)).toBeUndefined();
      }),
    );
  });
});
