import fc from 'fast-check';
import { compilePack, matchCatalogItem, normalizeItemName, type RulePack } from '../../../shared/rules/index.ts';
import { demoPack, zhanjiangPack } from './fixtures.ts';

/**
 * 名称限定词: a bracketed or suffixed part that names nothing, or another specimen, must never be
 * dropped to match a (serum) catalog item. Properties over every lab item and alias of both
 * shipped packs, every non-blood specimen word and every way results write qualifiers.
 */

const SPECIMENS = ['尿', '尿液', '24小时尿', '随机尿', '晨尿', '脑脊液', '胸水', '腹水', '浆膜腔积液', '粪便', '大便', '痰', '唾液', '骨髓', '精液', '关节液', '分泌物'];
const OPEN_CLOSE: [string, string][] = [['(', ')'], ['（', '）'], ['[', ']'], ['【', '】'], ['〔', '〕'], ['［', '］']];

/** Ways a qualified name is written: prefix, suffix after a separator, bracketed after or before. */
const TEMPLATES: ((name: string, q: string, o: string, c: string) => string)[] = [
  (n, q) => `${q}${n}`,
  (n, q) => `${n}${q}`,
  (n, q) => `${n}-${q}`,
  (n, q) => `${n}_${q}`,
  (n, q) => `${n} ${q}`,
  (n, q) => `${n}：${q}`,
  (n, q) => `${q}:${n}`,
  (n, q, o, c) => `${n}${o}${q}${c}`,
  (n, q, o, c) => `${o}${q}${c}${n}`,
  (n, q, o, c) => `${q}${n}${o}${n}${c}`,
  (n, q) => `${q}${n}测定`,
];

function labNames(pack: RulePack): { id: string; name: string }[] {
  return pack.catalog.filter((i) => i.category === 'lab').flatMap((i) => [i.name, ...i.aliases].map((name) => ({ id: i.id, name })));
}

/** The item a name matches only if that item itself lists the whole name (a genuine urine item, say). */
function allowed(pack: RulePack, query: string, matchedId: string): boolean {
  const whole = normalizeItemName(query);
  const item = pack.catalog.find((i) => i.id === matchedId)!;
  return [item.name, ...item.aliases].some((n) => normalizeItemName(n) === whole);
}

describe.each([
  ['demo', demoPack],
  ['zhanjiang', zhanjiangPack],
])('qualifiers never dropped (%s pack)', (_, pack) => {
  const names = labNames(pack);

  it('a specimen word before, after or in brackets never yields the serum item', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.constantFrom(...SPECIMENS), fc.constantFrom(...TEMPLATES), fc.constantFrom(...OPEN_CLOSE), (n, q, tpl, [o, c]) => {
        const query = tpl(n.name, q, o, c);
        const hit = matchCatalogItem(pack, { name: query });
        // Either nothing, or an item whose own names contain the whole qualified name.
        return hit === null || allowed(pack, query, hit.item.id);
      }),
      { numRuns: 3000 },
    );
  });

  it('the exhaustive cross product of names, specimens and bracket shapes', () => {
    let checked = 0;
    for (const n of names) {
      for (const q of SPECIMENS) {
        for (const [o, c] of OPEN_CLOSE) {
          for (const query of [`${n.name}${o}${q}${c}`, `${q}${n.name}${o}${n.name}${c}`, `24小时${q}${n.name}`]) {
            const hit = matchCatalogItem(pack, { name: query });
            if (hit !== null) expect(allowed(pack, query, hit.item.id), `${query} → ${hit.item.id}`).toBe(true);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('a bracketed part that names nothing blocks the match, whichever side it is on', () => {
    const cp = compilePack(pack);
    const cjk = fc.string({ unit: fc.constantFrom(...'复查急诊空腹餐后定量定性测试比值浓度活性指数'.split('')), minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.constantFrom(...names), cjk, fc.constantFrom(...OPEN_CLOSE), fc.boolean(), (n, q, [o, c], inside) => {
        // Only qualifiers that really name nothing in this catalog.
        fc.pre(!cp.itemsByName.has(normalizeItemName(q)) && normalizeItemName(q).replace(/(测定|检测|检查)$/, '') !== '');
        const query = inside ? `${n.name}${o}${q}${c}` : `${q}${o}${n.name}${c}`;
        const hit = matchCatalogItem(pack, { name: query });
        return hit === null || allowed(pack, query, hit.item.id);
      }),
      { numRuns: 2000 },
    );
  });

  it('two names of the same item in "X(Y)" still match it (谷丙转氨酶(ALT))', () => {
    for (const item of pack.catalog.filter((i) => i.aliases.length > 0)) {
      const [alias] = item.aliases;
      const hit = matchCatalogItem(pack, { name: `${item.name}（${alias}）` });
      expect(hit?.item.id, `${item.name}（${alias}）`).toBe(item.id);
    }
  });
});

describe('named cases from the issue', () => {
  const id = (name: string) => matchCatalogItem(demoPack, { name })?.item.id ?? null;
  it.each(['尿钾（K）', '钾（尿）', '24小时尿钾', '尿钾(K)', '尿钾', '脑脊液蛋白', '尿肌酐', '尿葡萄糖'])('%s does not match a serum item', (name) => {
    expect(id(name)).toBeNull();
  });
  it('血钾(K) matches the serum item; 尿素 and 尿酸 are serum items by their own names', () => {
    expect(id('血钾(K)')).toBe('k');
    expect(id('尿素')).toBe('urea');
    expect(id('尿酸')).toBe('ua');
  });
});
