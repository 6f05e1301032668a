import fc from 'fast-check';
import { evaluate, panelCoverage } from '../../../shared/rules/index.ts';
import { demoPack, LOINC, NOW, result } from './fixtures.ts';

/** 血脂 (lipid) = TC, TG, HDL-C, LDL-C in the demo pack. */
const LIPID = { tc: '2093-3', tg: '2571-8', hdl: '2085-9', ldl: '13457-7' } as const;
const analyte = (id: keyof typeof LIPID) => result({ code: LIPID[id], name: id, marks: ['湛江市 HR'], collectedAt: '2026-11-18T08:00:00+08:00' });

describe('组合项目: a panel order is spared only when every member is covered', () => {
  it('all four members recognizable → complete', () => {
    const e = evaluate({ packs: [demoPack], receivingInstitution: 'zj-rmyy', now: NOW, results: (['tc', 'tg', 'hdl', 'ldl'] as const).map(analyte), orders: [{ name: '血脂四项' }] });
    expect(e.prompts.orders[0]!.coverage).toMatchObject({ panel: { id: 'lipid' }, complete: true, missing: [] });
  });

  it('two members → incomplete, naming covered and missing members', () => {
    const e = evaluate({ packs: [demoPack], receivingInstitution: 'zj-rmyy', now: NOW, results: [analyte('tc'), analyte('tg')], orders: [{ name: '血脂' }] });
    const c = e.prompts.orders[0]!.coverage!;
    expect(c.complete).toBe(false);
    expect(c.covered.map((m) => m.name)).toEqual(['总胆固醇', '甘油三酯']);
    expect(c.missing.map((m) => m.name)).toEqual(['高密度脂蛋白胆固醇', '低密度脂蛋白胆固醇']);
    // The best result is still offered: the card says what is covered and what is not.
    expect(e.prompts.orders[0]!.best).not.toBeNull();
  });

  it('a member whose result is not recognizable (expired) is not covered', () => {
    const old = { ...analyte('ldl'), collectedAt: '2026-10-01T08:00:00+08:00' };
    const e = evaluate({ packs: [demoPack], receivingInstitution: 'zj-rmyy', now: NOW, results: [analyte('tc'), analyte('tg'), analyte('hdl'), old], orders: [{ name: '血脂' }] });
    expect(e.prompts.orders[0]!.coverage!.missing.map((m) => m.id)).toEqual(['ldl']);
  });

  it('a recognizable result for the panel itself covers every member', () => {
    expect(panelCoverage(demoPack, 'lipid', new Set(['lipid']))).toMatchObject({ complete: true });
  });

  it('an item without members has no coverage', () => {
    const e = evaluate({ packs: [demoPack], receivingInstitution: 'zj-rmyy', now: NOW, results: [analyte('tc')], orders: [{ name: '总胆固醇', code: '2093-3', codeSystem: LOINC }] });
    expect(e.prompts.orders[0]!.coverage).toBeNull();
  });

  it('property: complete ⇔ every member has a recognizable result', () => {
    fc.assert(
      fc.property(fc.subarray(['tc', 'tg', 'hdl', 'ldl'] as const), fc.subarray(['tc', 'tg', 'hdl', 'ldl'] as const), (fresh, stale) => {
        const results = [...fresh.map(analyte), ...stale.map((id) => ({ ...analyte(id), collectedAt: '2026-09-01T08:00:00+08:00' }))];
        const c = evaluate({ packs: [demoPack], receivingInstitution: 'zj-rmyy', now: NOW, results, orders: [{ name: '血脂' }] }).prompts.orders[0]!.coverage!;
        return c.complete === (new Set(fresh).size === 4) && c.covered.length + c.missing.length === 4 && c.covered.every((m) => (fresh as readonly string[]).includes(m.id));
      }),
    );
  });
});
