import { evaluate } from '../../../shared/rules/index.ts';
import { demoJsonCopy, demoPack, NOW, packFrom, result, zhanjiangPack } from './fixtures.ts';

/** A provincial cross-region pack listing one 茂名 hospital with its own catalog. */
function crossRegionPack() {
  const json = demoJsonCopy();
  json.meta.id = 'gd-cross';
  json.meta.name = '广东省跨市互认规则（测试）';
  json.meta.region = '广东省';
  json.institutions = [
    { ...json.institutions.find((i: any) => i.id === 'mm-rmyy'), qualifications: [
      { mark: '粤HR', validFrom: '2025-01-01', validUntil: '2027-12-31', categories: ['lab', 'imaging'] },
    ] },
    json.institutions.find((i: any) => i.id === 'zj-rmyy'),
  ];
  json.alliances = [];
  json.institutions[1].alliances = [];
  json.policy.acceptedMarks = [];
  json.negativeList = [];
  json.codeMaps = [];
  return packFrom(json);
}

describe('several packs at once', () => {
  const cross = crossRegionPack();

  it('each result is judged by the packs that list its issuer, and the verdict names the pack', () => {
    const { verdicts } = evaluate({
      packs: [demoPack, cross],
      receivingInstitution: 'zj-rmyy',
      now: NOW,
      results: [result({ org: 'zj-zxyy' }), result({ org: 'mm-rmyy', category: 'imaging', code: 'CT-CHEST', name: '胸部CT' })],
    });
    expect(verdicts[0]!.pack.id).toBe('demo');
    // The city pack refuses 茂名 imaging; the provincial pack accepts it with 粤HR: best verdict wins.
    expect(verdicts[1]).toMatchObject({ status: 'recognizable', pack: { id: 'gd-cross' }, mark: '粤HR' });
  });

  it('when no pack lists the issuer, every pack judges and the verdict is at best unknown-issuer', () => {
    const { verdicts } = evaluate({
      packs: [demoPack, cross],
      receivingInstitution: 'zj-rmyy',
      now: NOW,
      results: [result({ org: 'nobody' })],
    });
    expect(verdicts[0]!.status).toBe('unknown-issuer');
    expect(verdicts[0]!.pack.id).toBe('demo');
  });

  it('the receiving institution may be listed in one pack only', () => {
    const { verdicts } = evaluate({
      packs: [zhanjiangPack, demoPack],
      receivingInstitution: 'zj-rmyy',
      now: NOW,
      results: [result({ org: 'zj-zxyy' })],
    });
    expect(verdicts[0]).toMatchObject({ status: 'recognizable', pack: { id: 'demo' } });
  });

  it('pack order breaks ties', () => {
    const twin = packFrom({ ...demoJsonCopy(), meta: { ...demoJsonCopy().meta, id: 'demo-twin' } });
    const input = { receivingInstitution: 'zj-rmyy', now: NOW, results: [result({ org: 'zj-slxrmyy' })] };
    expect(evaluate({ ...input, packs: [demoPack, twin] }).verdicts[0]!.pack.id).toBe('demo');
    expect(evaluate({ ...input, packs: [twin, demoPack] }).verdicts[0]!.pack.id).toBe('demo-twin');
  });
});

describe('zhanjiang pack', () => {
  const run = (r: ReturnType<typeof result>, receivingInstitution = 'example-3a') =>
    evaluate({ packs: [zhanjiangPack], receivingInstitution, now: '2026-11-22T10:00:00+08:00', results: [r] }).verdicts[0]!;
  const ex = (org: string, more = {}) =>
    result({ issuer: { identifiers: [{ system: 'https://huren.example/fhir/sid/zhanjiang-example-org', value: org }] }, ...more });

  it('lab 14 / imaging 30 days, potassium 7 (湖北 limit, stricter)', () => {
    expect(run(ex('example-3b')).timeLimitDays).toBe(14);
    expect(run(ex('example-3b', { code: '2823-3', name: '钾' })).timeLimitDays).toBe(7);
    expect(run(ex('example-3b', { category: 'imaging', code: null, name: '头颅CT' })).timeLimitDays).toBe(30);
  });
  it('keeps 14 days where the 湖北 limit is looser (HbA1c)', () => {
    expect(run(ex('example-3b', { code: '4548-4', name: 'HbA1c' })).timeLimitDays).toBe(14);
  });
  it('同级互认、下级认上级 and the county mark valid only in its county', () => {
    expect(run(ex('example-2a')).status).toBe('recognizable'); // same alliance
    expect(run(ex('example-2-sx'), 'example-3b').status).toBe('issuer-not-qualified'); // 遂溪县 mark in the city
    expect(run(ex('example-3b'), 'example-2-sx').status).toBe('recognizable'); // city mark covers 遂溪县
  });
  it('医共体内全部项目互认, except pathology (方案第三条)', () => {
    expect(run(ex('example-1-sx', { name: '降钙素原', code: null }), 'example-2-sx')).toMatchObject({ status: 'recognizable', via: 'alliance' });
    expect(run(ex('example-1-sx', { name: '病理检查', code: null }), 'example-2-sx').status).toBe('negative-listed');
  });
});
