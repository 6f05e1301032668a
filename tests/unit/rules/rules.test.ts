import { evaluate, EvaluationError, type EvaluationInput } from '../../../shared/rules/index.ts';
import { demoJsonCopy, demoPack, EXAM, NOW, packFrom, result } from './fixtures.ts';

const one = (r: ReturnType<typeof result>, more: Partial<EvaluationInput> = {}) =>
  evaluate({ packs: [demoPack], receivingInstitution: 'zj-rmyy', now: NOW, results: [r], ...more }).verdicts[0]!;

describe('recognizable', () => {
  it('a same-level qualified issuer within the limit', () => {
    const v = one(result());
    expect(v).toMatchObject({
      status: 'recognizable',
      item: { id: 'alt', name: '丙氨酸氨基转移酶', category: 'lab', group: '临床化学', price: 5 },
      matchedBy: 'code',
      issuer: { id: 'zj-zxyy', level: '三级甲等' },
      via: 'level',
      mark: '湛江市 HR',
      clockDate: '2026-11-15',
      timeLimitDays: 14,
      timeLimitFromDefault: true,
      lastValidDay: '2026-11-29',
      daysLeft: 7,
      pack: { id: 'demo', version: '2026.1-demo' },
      rule: 'time-limit',
    });
    expect(v.reasonShort).toEqual({ 'zh-CN': '可互认', en: 'Recognizable' });
    expect(v.explanation['zh-CN']).toBe(
      '可互认：检验日期 2026-11-15，参考时限 14 天，最后有效日 2026-11-29，剩余 7 天（互认助手演示规则包 2026.1-demo · 参考时限，自采样/检查时起算）',
    );
  });
});

describe('incomplete (结果信息不完整)', () => {
  it('a preliminary report is not a result to recognize', () => {
    expect(one(result({ status: 'preliminary' })).status).toBe('incomplete');
    expect(one(result({ status: 'amended' })).status).toBe('recognizable');
  });
  it('precedes every other rule', () => {
    expect(one(result({ collectedAt: undefined, org: 'nobody', name: '尿钾', code: null })).status).toBe('incomplete');
  });
});

describe('not-in-catalog (不在互认项目清单)', () => {
  it('items outside the catalog', () => {
    const v = one(result({ name: '降钙素原', code: '33959-8' }));
    expect(v.status).toBe('not-in-catalog');
    expect(v.reasonShort['zh-CN']).toBe('不在互认项目清单');
    expect(v.item).toBeNull();
  });
  it('an alliance member outside the catalog stays not-in-catalog when the pack says catalog-items', () => {
    expect(one(result({ org: 'zj-mzqrmyy', name: '降钙素原', code: null })).status).toBe('not-in-catalog');
  });
  it('alliance all-items recognizes an alliance member outside the catalog with the category default', () => {
    const json = demoJsonCopy();
    json.policy.alliance = 'all-items';
    const v = one(result({ org: 'zj-mzqrmyy', name: '降钙素原', code: null }), { packs: [packFrom(json)] });
    expect(v).toMatchObject({ status: 'recognizable', via: 'alliance', timeLimitDays: 14, timeLimitFromDefault: true });
    expect(v.item).toMatchObject({ id: null, name: '降钙素原' });
    // …but not from a non-member.
    expect(one(result({ name: '降钙素原', code: null }), { packs: [packFrom(json)] }).status).toBe('not-in-catalog');
  });
});

describe('negative-listed (负面清单)', () => {
  it('an encounter flag suppresses recognition for the whole pack (急诊急救)', () => {
    const v = one(result(), { flags: ['emergency'] });
    expect(v.status).toBe('negative-listed');
    expect(v.rule).toBe('negative-list:NL-EMERGENCY');
    expect(v.explanation['zh-CN']).toContain('急诊急救');
  });
  it('a scoped flag suppresses only its items (术前/输血前: 血常规, 凝血)', () => {
    expect(one(result({ code: '718-7', name: '血红蛋白' }), { flags: ['pre-op'] }).status).toBe('negative-listed');
    expect(one(result(), { flags: ['pre-op'] }).status).toBe('recognizable');
  });
  it('item-level conditions: 抗梅毒螺旋体特异性抗体 abnormal or before surgery/transfusion', () => {
    const tp = { name: '梅毒螺旋体特异性抗体', code: null };
    expect(one(result({ ...tp, abnormal: true })).rule).toBe('item-negative:tp-ab#0');
    expect(one(result({ ...tp, abnormal: false }), { flags: ['pre-op'] }).status).toBe('negative-listed');
    expect(one(result({ ...tp, abnormal: false })).status).toBe('recognizable');
  });
  it('unknown flags are ignored', () => {
    expect(one(result(), { flags: ['no-such-flag'] }).status).toBe('recognizable');
  });
  it('named items outside the catalog are negative-listed inside an all-items alliance', () => {
    const json = demoJsonCopy();
    json.policy.alliance = 'all-items';
    json.negativeList.push({ id: 'NL-BLOODGAS', names: ['血气分析'], reason: { 'zh-CN': '变化快', en: 'changes fast' } });
    const v = one(result({ org: 'zj-mzqrmyy', name: '血气分析', code: null }), { packs: [packFrom(json)] });
    expect(v.status).toBe('negative-listed');
    expect(v.rule).toBe('negative-list:NL-BLOODGAS');
  });
});

describe('unknown-issuer (出具机构不在互认机构清单)', () => {
  it('an issuer no pack lists', () => {
    const v = one(result({ org: 'some-clinic' }));
    expect(v.status).toBe('unknown-issuer');
    expect(v.issuer).toBeNull();
    expect(v.item?.id).toBe('alt');
  });
  it('an issuer without identifiers is found by its exact full name', () => {
    expect(one(result({ org: null, issuer: { identifiers: [], name: '湛江中心人民医院' } })).issuer?.id).toBe('zj-zxyy');
    expect(one(result({ org: null, issuer: { identifiers: [], name: '中心人民医院' } })).status).toBe('unknown-issuer');
  });
});

describe('issuer-not-qualified (出具机构未通过该项目质控)', () => {
  it('a qualification that had expired on the result date (遂溪县人民医院)', () => {
    const v = one(result({ org: 'zj-slxrmyy' }));
    expect(v.status).toBe('issuer-not-qualified');
    expect(v.rule).toBe('qualification');
    expect(v.explanation['zh-CN']).toContain('2025-12-31');
  });
  it('no qualification for the item group (霞山 community centre: no 临床免疫) — unless in the alliance', () => {
    const json = demoJsonCopy();
    json.institutions.find((i: any) => i.id === 'zj-xsqsq').alliances = [];
    const v = one(result({ org: 'zj-xsqsq', code: '3016-3', name: 'TSH' }), { packs: [packFrom(json)] });
    expect(v.status).toBe('issuer-not-qualified');
    expect(one(result({ org: 'zj-xsqsq', code: '3016-3', name: 'TSH' })).status).toBe('recognizable');
  });
  it('a city mark outside its city, unless a cross-region agreement accepts it for the category', () => {
    const lab = one(result({ org: 'mm-rmyy' }));
    expect(lab).toMatchObject({ status: 'recognizable', mark: '茂名市 HR' });
    const ct = one(result({ org: 'mm-rmyy', category: 'imaging', code: 'CT-CHEST', name: '胸部CT' }));
    expect(ct.status).toBe('issuer-not-qualified');
    expect(ct.rule).toBe('mark-region');
  });
  it('a provincial mark is valid in every city of the province', () => {
    expect(one(result({ org: 'gz-zsyy', category: 'imaging', code: 'US-ABD', name: '腹部超声' })).status).toBe('recognizable');
  });
  it('when the pack requires the mark on the result, a result without it is not qualified', () => {
    const json = demoJsonCopy();
    json.policy.requireMarkOnResult = true;
    const packs = [packFrom(json)];
    expect(one(result(), { packs }).rule).toBe('mark-on-result');
    expect(one(result({ marks: ['湛江市HR'] }), { packs }).status).toBe('recognizable');
  });
  it('marks valid anywhere when the pack does not limit them to their region', () => {
    const json = demoJsonCopy();
    json.policy.markValidOnlyInRegion = false;
    expect(one(result({ org: 'mm-rmyy', category: 'imaging', code: 'CT-CHEST', name: '胸部CT' }), { packs: [packFrom(json)] }).status).toBe('recognizable');
  });
});

describe('level-not-applicable (同级互认、下级认上级)', () => {
  const json = demoJsonCopy();
  json.institutions.find((i: any) => i.id === 'zj-mzqrmyy').alliances = [];
  const packs = [packFrom(json)];
  it('a 三级 receiver does not recognize a 二级 issuer outside its alliance', () => {
    const v = one(result({ org: 'zj-mzqrmyy' }), { packs });
    expect(v.status).toBe('level-not-applicable');
    expect(v.reasonShort['zh-CN']).toBe('不符合同级互认、下级认上级');
  });
  it('a 二级 receiver recognizes 三级 and 二级 results', () => {
    expect(one(result({ org: 'zj-zxyy' }), { packs, receivingInstitution: 'zj-mzqrmyy' }).status).toBe('recognizable');
    expect(one(result({ org: 'zj-mzqrmyy' }), { packs, receivingInstitution: 'zj-mzqrmyy' }).status).toBe('recognizable');
  });
  it('甲乙 do not matter: 三级 recognizes 三级甲等 and vice versa', () => {
    expect(one(result({ org: 'zj-fybjy' })).status).toBe('recognizable');
    expect(one(result({ org: 'zj-rmyy' }), { receivingInstitution: 'zj-fybjy' }).status).toBe('recognizable');
  });
  it('levelRule any ignores levels', () => {
    const j = structuredClone(json);
    j.policy.levelRule = 'any';
    expect(one(result({ org: 'zj-mzqrmyy' }), { packs: [packFrom(j)] }).status).toBe('recognizable');
  });
  it('inside the alliance the level does not matter', () => {
    expect(one(result({ org: 'zj-xsqsq' }))).toMatchObject({ status: 'recognizable', via: 'alliance' });
  });
});

describe('expired (已超过参考时限)', () => {
  it('imaging uses its own 30-day default', () => {
    const ct = (collectedAt: string) =>
      one(result({ category: 'imaging', code: 'CT-CHEST', name: '胸部CT', collectedAt, org: 'zj-zxyy' }));
    expect(ct('2026-10-23T10:00:00+08:00').status).toBe('recognizable');
    const v = ct('2026-10-22T10:00:00+08:00');
    expect(v.status).toBe('expired');
    expect(v.reasonShort['zh-CN']).toBe('已超过参考时限（30天）');
    expect(v.explanation['zh-CN']).toContain('检查日期 2026-10-22');
  });
  it('HbA1c keeps 60 days', () => {
    expect(one(result({ code: '4548-4', name: 'HbA1c', collectedAt: '2026-09-23' })).status).toBe('recognizable');
    expect(one(result({ code: '4548-4', name: 'HbA1c', collectedAt: '2026-09-22' })).status).toBe('expired');
  });
  it('imaging codes in the local exam system match', () => {
    expect(one(result({ category: 'imaging', item: { name: '?', codes: [{ system: EXAM, code: 'ECG-12' }] } })).item?.id).toBe('ecg-12');
  });
});

describe('answers remembered within one evaluation stay per result', () => {
  it('qualification validity is judged per result date (same issuer and item)', () => {
    const { verdicts } = evaluate({
      packs: [demoPack],
      receivingInstitution: 'zj-mzqrmyy',
      now: '2026-01-05T10:00:00+08:00',
      results: [
        result({ org: 'zj-slxrmyy', collectedAt: '2025-12-31T23:00:00+08:00' }),
        result({ org: 'zj-slxrmyy', collectedAt: '2026-01-01T08:00:00+08:00' }),
        result({ org: 'zj-slxrmyy', collectedAt: '2025-12-30T08:00:00+08:00' }),
      ],
    });
    expect(verdicts.map((v) => v.status)).toEqual(['recognizable', 'issuer-not-qualified', 'recognizable']);
  });

  it('the mark printed on each result counts per result when the pack requires it', () => {
    const json = demoJsonCopy();
    json.policy.requireMarkOnResult = true;
    const { verdicts } = evaluate({
      packs: [packFrom(json)],
      receivingInstitution: 'zj-rmyy',
      now: NOW,
      results: [result({ marks: ['湛江市 HR'] }), result({ marks: [] }), result({ marks: ['湛江市ＨＲ'] })],
    });
    expect(verdicts.map((v) => v.status)).toEqual(['recognizable', 'issuer-not-qualified', 'recognizable']);
  });
});

describe('inputs that cannot be evaluated', () => {
  const base = { packs: [demoPack], receivingInstitution: 'zj-rmyy', now: NOW, results: [result()] };
  const problemsOf = (input: EvaluationInput) => {
    try {
      evaluate(input);
    } catch (e) {
      if (e instanceof EvaluationError) return e.problems.map((p) => p.path);
      throw e;
    }
    return [];
  };
  it('no pack, an unknown receiving institution, an unreadable now', () => {
    expect(problemsOf({ ...base, packs: [] })).toEqual(['packs']);
    expect(problemsOf({ ...base, receivingInstitution: 'nowhere' })).toEqual(['receivingInstitution']);
    expect(problemsOf({ ...base, now: 'yesterday' })).toEqual(['now']);
    expect(problemsOf({ ...base, now: new Date(Number.NaN) })).toEqual(['now']);
  });
  it('the receiving institution may be given by an identifier value', () => {
    const json = demoJsonCopy();
    json.institutions[0].identifiers = [{ system: 'urn:oid:example', value: '12440800455858123X' }];
    const v = evaluate({ ...base, packs: [packFrom(json)], receivingInstitution: '12440800455858123X' }).verdicts[0]!;
    expect(v.status).toBe('recognizable');
  });
  it('no results: no verdicts, no prompts', () => {
    expect(evaluate({ ...base, results: [] })).toEqual({ verdicts: [], prompts: { orders: [], items: [] } });
  });
});
