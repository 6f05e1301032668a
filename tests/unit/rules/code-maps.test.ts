import { ISSUER_LOCAL_ITEM_SYSTEM, NHSA_SERVICE_ITEM_SYSTEM } from '../../../shared/domain/codes.ts';
import { evaluate, parseRulePack } from '../../../shared/rules/index.ts';
import { demoJsonCopy, NOW, packFrom, result } from './fixtures.ts';

/** A CDA-style result: only the issuer's local code, maybe no name, with its specimen. */
const local = (code: string, over: Parameters<typeof result>[0] = {}) =>
  result({ code: null, name: '项目名称未提供（代码 x）', marks: ['湛江市 HR'], ...over, item: { name: over.name ?? '项目名称未提供（代码 x）', codes: [{ system: ISSUER_LOCAL_ITEM_SYSTEM, code }] } });

function packWithMap(entries: object[], extra: Record<string, unknown> = {}) {
  const json = demoJsonCopy();
  json.codeMaps = [{ issuer: 'zj-zxyy', updated: '2026-11-01', entries }, ...((extra.moreMaps as object[]) ?? [])];
  json.catalog.find((i: { id: string }) => i.id === 'k').specimen = '血清';
  return json;
}

const verdictOf = (json: Record<string, unknown>, r: ReturnType<typeof result>) =>
  evaluate({ packs: [packFrom(json)], receivingInstitution: 'zj-rmyy', now: NOW, results: [r] }).verdicts[0]!;

describe('项目对照表 (code maps)', () => {
  it("maps an issuer's local code to its catalog item", () => {
    const v = verdictOf(packWithMap([{ code: '5581', name: '丙氨酸氨基转移酶', item: 'alt' }]), local('5581'));
    expect(v.status).toBe('recognizable');
    expect(v.item?.id).toBe('alt');
    expect(v.matchedBy).toBe('code');
  });

  it('a code is only meaningful with its issuer: the same code from another issuer does not map', () => {
    const v = verdictOf(packWithMap([{ code: '5581', item: 'alt' }]), local('5581', { org: 'zj-mzqrmyy' }));
    expect(v.status).toBe('not-in-catalog');
  });

  it('lines still marked for review are ignored until a person confirms them', () => {
    const v = verdictOf(packWithMap([{ code: '5581', item: 'alt', review: true, note: 'name matched loosely' }]), local('5581'));
    expect(v.status).toBe('not-in-catalog');
  });

  it('a line reviewed as "not a catalog item" wins over a name that looks like one', () => {
    const v = verdictOf(packWithMap([{ code: '9001', name: '钾(急)' }]), local('9001', { name: '钾' }));
    expect(v.status).toBe('not-in-catalog');
  });

  it('never across specimens: a urine result does not count for the serum item, by code map or by name', () => {
    const json = packWithMap([{ code: '3001', name: '钾', specimen: '血清', item: 'k' }]);
    expect(verdictOf(json, local('3001', { specimen: '血清' })).item?.id).toBe('k');
    expect(verdictOf(json, local('3001', { specimen: '24小时尿' })).status).toBe('not-in-catalog');
    expect(verdictOf(json, result({ code: null, name: '钾', specimen: '尿液', marks: ['湛江市 HR'] })).status).toBe('not-in-catalog');
    expect(verdictOf(json, result({ code: null, name: '钾', specimen: '血清', marks: ['湛江市 HR'] })).item?.id).toBe('k');
  });

  it('a map whose line puts a urine code on the serum item is refused when the pack is read', () => {
    const parsed = parseRulePack(packWithMap([{ code: '3002', name: '尿钾', specimen: '尿液', item: 'k' }]));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems).toContainEqual({ path: 'codeMaps[0].entries[0].item', message: expect.stringContaining('specimen') });
  });

  it('names every problem with its path: unknown issuer, unknown item, duplicate code, second map for an issuer', () => {
    const json = packWithMap([{ code: 'A', item: 'nope' }, { code: 'A', item: 'alt' }], { moreMaps: [{ issuer: 'zj-zxyy', entries: [] }, { issuer: 'nowhere', entries: [] }] });
    const parsed = parseRulePack(json);
    expect(parsed.ok).toBe(false);
    const paths = parsed.ok ? [] : parsed.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['codeMaps[0].entries[0].item', 'codeMaps[0].entries[1].code', 'codeMaps[1].issuer', 'codeMaps[2].issuer']));
  });

  it('a map can name the code system a FHIR platform uses for the issuer', () => {
    const json = demoJsonCopy();
    json.codeMaps = [{ issuer: 'zj-zxyy', system: 'http://zxyy.example/lab-codes', entries: [{ code: 'ALT01', item: 'alt' }] }];
    const r = result({ code: null, marks: ['湛江市 HR'], item: { name: 'x', codes: [{ system: 'http://zxyy.example/lab-codes', code: 'ALT01' }] } });
    expect(verdictOf(json, r).item?.id).toBe('alt');
    const other = result({ code: null, marks: ['湛江市 HR'], item: { name: 'x', codes: [{ system: 'http://other.example', code: 'ALT01' }] } });
    expect(verdictOf(json, other).status).toBe('not-in-catalog');
  });
});

describe('医保 医疗服务项目 codes', () => {
  it('are accepted as a code system on catalog items, for results and orders', () => {
    const json = demoJsonCopy();
    json.catalog.find((i: { id: string }) => i.id === 'lipid').codes.push({ system: 'nhsa', code: '002503020010000' });
    const pack = packFrom(json);
    const r = result({ code: null, name: '血脂', marks: ['湛江市 HR'], item: { name: '血脂全套(院内)', codes: [{ system: NHSA_SERVICE_ITEM_SYSTEM, code: '002503020010000' }] } });
    const e = evaluate({ packs: [pack], receivingInstitution: 'zj-rmyy', now: NOW, results: [r], orders: [{ name: '院内套餐', code: '002503020010000', codeSystem: NHSA_SERVICE_ITEM_SYSTEM }] });
    expect(e.verdicts[0]!.item?.id).toBe('lipid');
    expect(e.prompts.orders[0]!.matches[0]!.itemId).toBe('lipid');
  });
});

describe('where the HR mark comes from', () => {
  it('says "result" when the report carries the mark, "pack" when only the qualification does', () => {
    const pack = packFrom(demoJsonCopy());
    const e = evaluate({ packs: [pack], receivingInstitution: 'zj-rmyy', now: NOW, results: [result({ marks: ['湛江市HR'] }), result({ marks: [] })] });
    expect(e.verdicts.map((v) => [v.status, v.mark, v.markSource])).toEqual([
      ['recognizable', '湛江市 HR', 'result'],
      ['recognizable', '湛江市 HR', 'pack'],
    ]);
  });

  it('requireMarkOnResult: a report without the mark is not recognizable', () => {
    const json = demoJsonCopy();
    json.policy.requireMarkOnResult = true;
    const e = evaluate({ packs: [packFrom(json)], receivingInstitution: 'zj-rmyy', now: NOW, results: [result({ marks: ['湛江市 HR'] }), result({ marks: [] })] });
    expect(e.verdicts.map((v) => v.status)).toEqual(['recognizable', 'issuer-not-qualified']);
    expect(e.verdicts[1]!.rule).toBe('mark-on-result');
  });
});

describe('the clock used', () => {
  it('without a collection time the report time is the clock, and the verdict says so', () => {
    const pack = packFrom(demoJsonCopy());
    const r = result({ collectedAt: undefined, reportedAt: '2026-11-20T16:00:00+08:00' });
    const v = evaluate({ packs: [pack], receivingInstitution: 'zj-rmyy', now: NOW, results: [r] }).verdicts[0]!;
    expect(v).toMatchObject({ status: 'recognizable', clockBasis: 'report', clockDate: '2026-11-20' });
    expect(v.explanation['zh-CN']).toContain('报告日期 2026-11-20');
    const withBoth = evaluate({ packs: [pack], receivingInstitution: 'zj-rmyy', now: NOW, results: [result({ reportedAt: '2026-11-20T16:00:00+08:00' })] }).verdicts[0]!;
    expect(withBoth).toMatchObject({ clockBasis: 'collection', clockDate: '2026-11-15' });
  });

  it('with neither time the result is incomplete', () => {
    const pack = packFrom(demoJsonCopy());
    const v = evaluate({ packs: [pack], receivingInstitution: 'zj-rmyy', now: NOW, results: [result({ collectedAt: undefined })] }).verdicts[0]!;
    expect(v.status).toBe('incomplete');
  });
});


