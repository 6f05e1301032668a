import { matchCatalogItem, normalizeItemName } from '../../../shared/rules/index.ts';
import { demoPack, LOINC, zhanjiangPack } from './fixtures.ts';

const byName = (name: string, pack = demoPack) => matchCatalogItem(pack, { name })?.item.id ?? null;

describe('normalizeItemName', () => {
  it('folds full-width, case, spaces, bracket shapes, 的 and colons', () => {
    expect(normalizeItemName('ＡＬＴ')).toBe('alt');
    expect(normalizeItemName(' 谷丙 转氨酶 ')).toBe('谷丙转氨酶');
    expect(normalizeItemName('谷丙转氨酶（ALT）')).toBe(normalizeItemName('谷丙转氨酶(alt)'));
    expect(normalizeItemName('谷丙转氨酶【ALT】')).toBe(normalizeItemName('谷丙转氨酶(ALT)'));
    expect(normalizeItemName('血清的钾')).toBe('血清钾');
    expect(normalizeItemName('钾：血清')).toBe(normalizeItemName('钾:血清'));
    expect(normalizeItemName('血钾测定')).toBe('血钾');
    expect(normalizeItemName('胸部CT检查')).toBe('胸部ct');
  });
});

describe('matchCatalogItem', () => {
  it('matches codes first, system and code', () => {
    expect(matchCatalogItem(demoPack, { name: '随便写的名字', codes: [{ system: LOINC, code: '1742-6' }] })).toMatchObject({
      item: { id: 'alt' },
      by: 'code',
    });
    // The code wins over a name that names another item.
    expect(matchCatalogItem(demoPack, { name: '钾', codes: [{ system: 'http://loinc.org/', code: '1742-6' }] })?.item.id).toBe('alt');
    expect(matchCatalogItem(demoPack, { name: 'x', codes: [{ system: 'LOINC', code: '2823-3' }] })?.item.id).toBe('k');
  });

  it('a code in another system does not match; then the name decides', () => {
    expect(matchCatalogItem(demoPack, { name: '谷丙转氨酶', codes: [{ system: 'urn:local', code: '1742-6' }] })).toMatchObject({
      item: { id: 'alt' },
      by: 'name',
    });
    expect(matchCatalogItem(demoPack, { name: '不认识', codes: [{ system: 'urn:local', code: '1742-6' }] })).toBeNull();
  });

  it('a code without a system matches when one item carries it', () => {
    expect(matchCatalogItem(demoPack, { name: '', codes: [{ code: 'CT-CHEST' }] })?.item.id).toBe('ct-chest');
  });

  it('matches official names, aliases and abbreviations', () => {
    for (const n of ['丙氨酸氨基转移酶', '谷丙转氨酶', 'ALT', 'alt', 'ＡＬＴ', '谷丙转氨酶(ALT)', '丙氨酸氨基转移酶（ALT）']) {
      expect(byName(n)).toBe('alt');
    }
    expect(byName('血常规')).toBe('cbc');
    expect(byName('胸部 CT')).toBe('ct-chest');
    expect(byName('胸片')).toBe('dr-chest');
  });

  it('never matches a fragment that changes the meaning: 血钾 ≠ 尿钾', () => {
    expect(byName('血钾')).toBe('k');
    expect(byName('尿钾')).toBeNull();
    expect(byName('尿钾测定')).toBeNull();
    expect(byName('24小时尿钾')).toBeNull();
    expect(byName('血钾', zhanjiangPack)).toBe('k');
    expect(byName('尿钾', zhanjiangPack)).toBeNull();
    expect(byName('尿肌酐')).toBeNull();
    expect(byName('尿素')).toBe('urea');
    expect(byName('尿酸')).toBe('ua');
    expect(byName('糖化血红蛋白')).toBe('hba1c');
    expect(byName('血红蛋白')).toBe('hgb');
  });

  it('refuses "X(Y)" unless both parts name the same item: a qualifier is never dropped', () => {
    expect(byName('钾(钠)')).toBeNull();
    expect(byName('钾(复查)')).toBeNull();
    expect(byName('血钾(K)')).toBe('k');
    expect(byName('尿钾(K)')).toBeNull();
    expect(byName('钾（尿）')).toBeNull();
    expect(byName('K(尿)')).toBeNull();
  });
});
