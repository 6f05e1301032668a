import fc from 'fast-check';
import type { ExternalResult } from '../../../shared/domain/external-result.ts';
import { evaluate, type RulePack } from '../../../shared/rules/index.ts';
import { demoJsonCopy, demoPack, ORG, packFrom } from './fixtures.ts';

const pack = demoPack;
const orgs = [...pack.institutions.map((i) => i.id), 'unknown-clinic'];
const DAY = 86_400_000;
const BASE = Date.UTC(2026, 0, 1);

/** Calendar date in Beijing, computed independently of the engine (Intl, not day numbers). */
const beijingDate = (ms: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
const daysBetween = (a: string, b: string) => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY;

const arbItem = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.constantFrom(...pack.catalog).chain((item) =>
    fc.record({
      category: fc.constant(item.category),
      name: fc.constantFrom(item.name, ...item.aliases),
      codes: fc.constantFrom(item.codes, []),
    }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      category: fc.constantFrom('lab' as const, 'imaging' as const),
      name: fc.constantFrom('降钙素原', '尿钾', '骨密度', '血清淀粉样蛋白A'),
      codes: fc.constant([] as { system: string; code: string }[]),
    }),
  },
);

const arbResult = (nowMs: number) =>
  fc
    .record({
      item: arbItem,
      org: fc.constantFrom(...orgs),
      ageMinutes: fc.integer({ min: -600, max: 45 * 24 * 60 }),
      format: fc.constantFrom('offset', 'utc', 'wall', 'date'),
      abnormal: fc.option(fc.boolean(), { nil: undefined }),
      status: fc.constantFrom(undefined, 'final', 'final', 'amended', 'preliminary'),
    })
    .map(({ item, org, ageMinutes, format, abnormal, status }): ExternalResult => {
      const t = nowMs - ageMinutes * 60_000;
      const iso = new Date(t).toISOString();
      const wall = new Date(t + 8 * 3_600_000).toISOString().slice(0, 19);
      const collectedAt =
        format === 'utc' ? iso : format === 'offset' ? `${wall}+08:00` : format === 'wall' ? wall : wall.slice(0, 10);
      return {
        id: `r-${t}-${org}-${item.name}`,
        category: item.category,
        item: { name: item.name, codes: item.codes.map((c) => ({ system: c.system, code: c.code })) },
        collectedAt,
        issuer: { identifiers: [{ system: ORG, value: org }] },
        marks: [],
        ...(abnormal === undefined ? {} : { abnormal }),
        ...(status === undefined ? {} : { status }),
      };
    });

const arbCase = fc.integer({ min: 0, max: 540 }).chain((day) => {
  const nowMs = BASE + day * DAY + 2 * 3_600_000;
  return fc.record({
    nowMs: fc.constant(nowMs),
    results: fc
      .array(arbResult(nowMs), { minLength: 1, maxLength: 25 })
      .map((rs) => rs.map((r, i) => ({ ...r, id: `${r.id}#${i}` }))),
    flags: fc.subarray(['emergency', 'pre-op', 'other']),
    receiver: fc.constantFrom('zj-rmyy', 'zj-mzqrmyy', 'zj-xsqsq', 'mm-rmyy'),
  });
});

const run = (packs: RulePack[], c: { nowMs: number; results: ExternalResult[]; flags: string[]; receiver: string }) =>
  evaluate({ packs, receivingInstitution: c.receiver, now: new Date(c.nowMs), flags: c.flags, results: c.results });

describe('properties', () => {
  it('a result older than its limit is never recognizable', () => {
    let recognized = 0;
    fc.assert(
      fc.property(arbCase, (c) => {
        const { verdicts } = run([pack], c);
        verdicts.forEach((v, i) => {
          if (v.status !== 'recognizable') return;
          recognized++;
          const r = c.results[i]!;
          const item = pack.catalog.find((x) => x.id === v.item?.id);
          const limit = item?.timeLimitDays ?? pack.defaults.timeLimitDays[item?.category ?? r.category];
          const d = r.collectedAt!.length === 10 ? r.collectedAt! : beijingDate(Date.parse(/Z|[+-]\d\d:\d\d$/.test(r.collectedAt!) ? r.collectedAt! : `${r.collectedAt}+08:00`));
          const age = daysBetween(d, beijingDate(c.nowMs));
          expect(age).toBeLessThanOrEqual(limit);
          expect(age).toBeGreaterThanOrEqual(0);
          expect(v.daysLeft).toBe(limit - age);
        });
      }),
      { numRuns: 300 },
    );
    // The property is not vacuous: plenty of generated results were recognizable.
    expect(recognized).toBeGreaterThan(100);
  });

  it('adding a negative-list entry never makes a verdict recognizable', () => {
    const arbEntry = fc.record({
      items: fc.option(fc.subarray(pack.catalog.map((i) => i.id), { minLength: 1 }), { nil: undefined }),
      groups: fc.option(fc.subarray([...new Set(pack.catalog.map((i) => i.group))], { minLength: 1 }), { nil: undefined }),
      categories: fc.option(fc.subarray(['lab', 'imaging'], { minLength: 1 }), { nil: undefined }),
      when: fc.option(
        fc.oneof(fc.constant({ abnormal: true }), fc.constant({ anyFlag: ['emergency'] }), fc.constant({ anyFlag: ['pre-op'], abnormal: true })),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(arbCase, arbEntry, (c, entry) => {
        const json = demoJsonCopy();
        const clean = Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined));
        json.negativeList.push({ id: 'NL-PROP', ...clean, reason: { 'zh-CN': '测试', en: 'test' } });
        const before = run([pack], c).verdicts;
        const after = run([packFrom(json)], c).verdicts;
        after.forEach((v, i) => {
          if (v.status === 'recognizable') expect(before[i]!.status).toBe('recognizable');
        });
      }),
      { numRuns: 150 },
    );
  });

  it("results' order does not change verdicts", () => {
    fc.assert(
      fc.property(
        arbCase.chain((c) => fc.shuffledSubarray(c.results, { minLength: c.results.length }).map((shuffled) => ({ c, shuffled }))),
        ({ c, shuffled }) => {
          const byId = (vs: ReturnType<typeof run>['verdicts']) => new Map(vs.map((v) => [v.resultId, v]));
          const a = byId(run([pack], c).verdicts);
          const b = byId(run([pack], { ...c, results: shuffled }).verdicts);
          expect(b).toEqual(a);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('evaluation is deterministic (also with a freshly parsed, uncompiled pack)', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const first = run([pack], c);
        expect(run([pack], c)).toEqual(first);
        expect(run([packFrom(demoJsonCopy())], c)).toEqual(first);
      }),
      { numRuns: 100 },
    );
  });

  it('one verdict per result, in input order, with a status from the fixed set', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const { verdicts } = run([pack], c);
        expect(verdicts.map((v) => v.resultId)).toEqual(c.results.map((r) => r.id));
      }),
      { numRuns: 100 },
    );
  });
});
