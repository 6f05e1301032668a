import { evaluate } from '../../../shared/rules/index.ts';
import { demoPack, LOINC, NOW, result } from './fixtures.ts';

describe('prompts', () => {
  const results = [
    result({ id: 'alt-old', collectedAt: '2026-11-10T08:00:00+08:00' }),
    result({ id: 'alt-new', collectedAt: '2026-11-18T08:00:00+08:00' }),
    result({ id: 'alt-new-later', collectedAt: '2026-11-18T15:00:00+08:00' }),
    result({ id: 'alt-expired', collectedAt: '2026-10-01T08:00:00+08:00' }),
    result({ id: 'ast', code: '1920-8', name: 'AST' }),
    result({ id: 'k', code: '2823-3', name: '钾', collectedAt: '2026-11-20' }),
  ];

  it('without orders: recognizable results grouped by item, best first, in catalog order', () => {
    const { prompts } = evaluate({ packs: [demoPack], receivingInstitution: 'zj-rmyy', now: NOW, results });
    expect(prompts.orders).toEqual([]);
    expect(prompts.items.map((p) => p.item.id)).toEqual(['alt', 'ast', 'k']);
    expect(prompts.items[0]!.resultIds).toEqual(['alt-new-later', 'alt-new', 'alt-old']);
    expect(prompts.items[0]!.best.resultId).toBe('alt-new-later');
  });

  it('per order: the best recognizable result for the same item; a panel order also finds its members', () => {
    const { prompts } = evaluate({
      packs: [demoPack],
      receivingInstitution: 'zj-rmyy',
      now: NOW,
      results,
      orders: [{ name: '谷丙转氨酶' }, { name: '肝功能', code: '24325-3', codeSystem: LOINC }, { name: '血清淀粉样蛋白A' }, { name: '钠' }],
    });
    const [alt, lft, saa, na] = prompts.orders;
    expect(alt!.best?.resultId).toBe('alt-new-later');
    expect(alt!.matches).toEqual([{ packId: 'demo', itemId: 'alt', itemName: '丙氨酸氨基转移酶' }]);
    expect(lft!.resultIds).toEqual(['alt-new-later', 'alt-new', 'ast', 'alt-old']);
    expect(saa!.matches).toEqual([]);
    expect(saa!.best).toBeNull();
    expect(na!.matches).toHaveLength(1);
    expect(na!.best).toBeNull();
  });
});
