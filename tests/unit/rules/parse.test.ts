import { loadBundledPacks, parseRulePack } from '../../../shared/rules/index.ts';
import { demoJsonCopy, zhanjiangJsonCopy } from './fixtures.ts';

const problemsOf = (json: unknown) => {
  const parsed = parseRulePack(json);
  if (parsed.ok) throw new Error('expected the pack to be rejected');
  return parsed.problems;
};

describe('shipped packs', () => {
  it.each([
    ['zhanjiang', zhanjiangJsonCopy()],
    ['demo', demoJsonCopy()],
  ])('%s is valid', (_id, json) => {
    const parsed = parseRulePack(json);
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
  });

  it('loadBundledPacks validates both', () => {
    const packs = loadBundledPacks();
    expect(packs.zhanjiang.meta.id).toBe('zhanjiang');
    expect(packs.demo.meta.id).toBe('demo');
  });

  it.each([['zhanjiang'], ['demo']] as const)('%s carries the eight re-test reasons of the 湛江 plan', (id) => {
    const pack = loadBundledPacks()[id];
    expect(pack.retestReasons.map((r) => r.code)).toEqual(['RT-1', 'RT-2', 'RT-3', 'RT-4', 'RT-5', 'RT-6', 'RT-7', 'RT-8']);
    expect(pack.retestReasons[3]!.label['zh-CN']).toBe('患者处于急诊、急救等紧急状态下的');
    expect(pack.retestReasons[7]!.label['zh-CN']).toBe('其他情形确需复查的');
    expect(pack.retestReasons.filter((r) => r.commentRequired).map((r) => r.code)).toEqual(['RT-8']);
  });

  it('the zhanjiang pack cites the plan and defaults 14/30 days', () => {
    const pack = loadBundledPacks().zhanjiang;
    expect(pack.defaults.timeLimitDays).toEqual({ lab: 14, imaging: 30 });
    expect(pack.meta.sources[0]!.title).toBe('湛江市推进医疗机构检查检验结果互认工作实施方案');
    expect(pack.policy).toMatchObject({ levelRule: 'same-or-higher', alliance: 'all-items', markValidOnlyInRegion: true });
    expect(pack.marks.map((m) => m.label)).toContain('湛江市 HR');
    // Every catalog item cites a source, and items without a per-item limit say so.
    for (const item of pack.catalog) {
      expect(item.sources.length).toBeGreaterThan(0);
      if (item.timeLimitDays === undefined) expect(item.note).toMatch(/默认/);
    }
  });

  it('the demo pack lists the demo institutions with the identifiers the demo data uses', () => {
    const pack = loadBundledPacks().demo;
    const ids = pack.institutions.map((i) => i.id);
    expect(ids).toEqual(['zj-rmyy', 'zj-zxyy', 'zj-fybjy', 'zj-mzqrmyy', 'zj-xsqsq', 'zj-slxrmyy', 'mm-rmyy', 'gz-zsyy']);
    for (const inst of pack.institutions) {
      // The platform's org id (FHIR), and the custodian id its WS/T 500 documents carry (root 2.16.156.10011.1.5).
      expect(inst.identifiers).toEqual([{ system: 'https://huren.example/fhir/sid/org', value: inst.id }, { system: 'urn:oid:2.16.156.10011.1.5', value: expect.stringMatching(/^4408\d{9}$/) }]);
    }
    const names = pack.catalog.map((c) => c.name);
    for (const absent of ['血清淀粉样蛋白A', '降钙素原', '骨密度']) expect(names).not.toContain(absent);
    for (const item of pack.catalog) expect(item.price).toBeGreaterThan(0);
  });
});

describe('bad packs are rejected with the path of each problem', () => {
  it('wrong types', () => {
    const json = demoJsonCopy();
    json.catalog[3].timeLimitDays = '14';
    json.institutions[0].level = '特级';
    expect(problemsOf(json)).toEqual(
      expect.arrayContaining([
        { path: 'catalog[3].timeLimitDays', message: expect.stringMatching(/number/) },
        { path: 'institutions[0].level', message: expect.any(String) },
      ]),
    );
  });

  it('negative limits', () => {
    const json = demoJsonCopy();
    json.catalog[0].timeLimitDays = -1;
    json.defaults.timeLimitDays.imaging = -30;
    const paths = problemsOf(json).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['catalog[0].timeLimitDays', 'defaults.timeLimitDays.imaging']));
  });

  it('unknown item ids and groups in qualifications', () => {
    const json = demoJsonCopy();
    json.institutions[1].qualifications.push({ items: ['alt', 'no-such-item'], groups: ['不存在的组'], mark: '湛江市 HR', validFrom: '2025-01-01', validUntil: '2025-12-31' });
    const problems = problemsOf(json);
    expect(problems).toContainEqual({ path: 'institutions[1].qualifications[1].items[1]', message: 'unknown catalog item id "no-such-item"' });
    expect(problems).toContainEqual({ path: 'institutions[1].qualifications[1].groups[0]', message: expect.stringContaining('不存在的组') });
  });

  it('duplicate ids, codes, names and reason codes', () => {
    const json = demoJsonCopy();
    json.catalog.push({ ...json.catalog[6] });
    json.institutions.push({ ...json.institutions[0] });
    json.retestReasons.push({ ...json.retestReasons[0] });
    const problems = problemsOf(json).map((p) => `${p.path}: ${p.message}`);
    expect(problems.some((p) => p.startsWith(`catalog[${json.catalog.length - 1}].id: duplicate id "alt"`))).toBe(true);
    expect(problems.some((p) => p.includes('code http://loinc.org|1742-6 is also on catalog[6]'))).toBe(true);
    expect(problems.some((p) => p.includes('ambiguous match'))).toBe(true);
    expect(problems.some((p) => p.startsWith(`institutions[${json.institutions.length - 1}].id: duplicate id "zj-rmyy"`))).toBe(true);
    expect(problems.some((p) => p.startsWith('retestReasons[8].code: duplicate code "RT-1"'))).toBe(true);
  });

  it('unknown references: marks, regions, alliances, flags, sources, members', () => {
    const json = demoJsonCopy();
    json.institutions[0].qualifications[0].mark = '火星 HR';
    json.institutions[0].region = '火星市';
    json.institutions[0].alliances = ['nope'];
    json.negativeList[0].when.anyFlag = ['not-a-flag'];
    json.catalog[0].sources = ['nowhere'];
    json.catalog[0].members = ['ghost'];
    json.regions.push({ name: 'A', within: 'B' }, { name: 'B', within: 'A' });
    const paths = problemsOf(json).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'institutions[0].qualifications[0].mark',
        'institutions[0].region',
        'institutions[0].alliances[0]',
        'negativeList[0].when.anyFlag[0]',
        'catalog[0].sources[0]',
        'catalog[0].members[0]',
        `regions[${json.regions.length - 2}].within`,
      ]),
    );
  });

  it('unknown fields, impossible dates and bad time zones', () => {
    const json = demoJsonCopy();
    json.catalog[0].timelimitdays = 7;
    json.institutions[0].qualifications[0].validUntil = '2025-02-30';
    json.clock.timeZone = 'Asia/Zhanjiang';
    const problems = problemsOf(json);
    expect(problems).toContainEqual({ path: 'catalog[0]', message: expect.stringContaining('timelimitdays') });
    expect(problems).toContainEqual({ path: 'institutions[0].qualifications[0].validUntil', message: expect.stringContaining('calendar date') });
    expect(problems).toContainEqual({ path: 'clock.timeZone', message: 'unknown IANA time zone' });
  });

  it('not an object at all', () => {
    expect(problemsOf(null)[0]!.path).toBe('(root)');
    expect(problemsOf([])[0]!.path).toBe('(root)');
    expect(problemsOf('pack')[0]!.path).toBe('(root)');
  });
});
