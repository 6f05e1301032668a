// @vitest-environment node
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { ISSUER_LOCAL_ITEM_SYSTEM } from '../../../shared/domain/codes.ts';
import { main } from '../../../shared/rules/codemap/cli.ts';
import { readDictionary } from '../../../shared/rules/codemap/dictionary.ts';
import { draftCodeMap } from '../../../shared/rules/codemap/draft.ts';
import { evaluate, nameSpecimen, parseRulePack, specimenClass } from '../../../shared/rules/index.ts';
import { demoPack, NOW, packFrom, result } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'huren-codemap-'));
const PACK = 'shared/rules/packs/demo.json';

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const CSV = [
  '\uFEFF项目代码,项目名称,标本类型,单位',
  '3001,钾,血清,mmol/L',
  '3002,尿钾,24小时尿,mmol/24h',
  '3003,钾（尿）,尿液,mmol/L',
  '3004,血清钾,血清,mmol/L',
  '3005,谷丙转氨酶(ALT),血清,U/L',
  '3006,降钙素原,血清,ng/mL',
  '3007,总胆固醇,,mmol/L',
  '3008,胸部CT平扫,,',
  '3009,钾(急诊),血清,mmol/L',
  '3010,"白细胞计数, 五分类",全血,10^9/L',
].join('\r\n');

describe('npm run codemap -- draft', () => {
  const csv = join(dir, 'dict.csv');
  writeFileSync(csv, CSV);

  it('maps whole names with a compatible specimen, marks everything else for review, never across specimens', () => {
    const out = join(dir, 'map.json');
    const r = run('draft', '--pack', PACK, '--issuer', 'zj-zxyy', '--dict', csv, '--out', out, '--today', '2026-11-30');
    expect(r.code).toBe(0);
    expect(r.out).toContain('10 lines: 4 mapped, 6 marked for review (review: true), 2 refused across specimens');
    const map = JSON.parse(readFileSync(out, 'utf8'));
    const line = (code: string) => map.entries.find((e: { code: string }) => e.code === code);
    expect(line('3001')).toMatchObject({ item: 'k', review: false, specimen: '血清' });
    expect(line('3004')).toMatchObject({ item: 'k', review: false });
    expect(line('3005')).toMatchObject({ item: 'alt', review: false });
    expect(line('3008')).toMatchObject({ item: 'ct-chest', review: false });
    // Urine lines: no item at all, even as a suggestion.
    expect(line('3002')).toMatchObject({ review: true });
    expect(line('3002').item).toBeUndefined();
    expect(line('3002').note).toContain('标本不同');
    expect(line('3003').item).toBeUndefined();
    // Uncertain lines carry a suggestion and a note, and stay out of the engine until confirmed.
    expect(line('3007')).toMatchObject({ item: 'tc', review: true, note: expect.stringContaining('未注明标本') });
    expect(line('3009')).toMatchObject({ item: 'k', review: true, note: expect.stringContaining('限定词') });
    expect(line('3006')).toMatchObject({ review: true });
    expect(line('3006').item).toBeUndefined();
    expect(line('3010').name).toBe('白细胞计数, 五分类');
  });

  it('apply puts the map into the pack; the engine then maps the issuer’s local codes (and ignores review lines)', () => {
    const map = join(dir, 'map2.json');
    run('draft', '--pack', PACK, '--issuer', 'zj-zxyy', '--dict', csv, '--out', map, '--today', '2026-11-30');
    const packOut = join(dir, 'pack.json');
    const r = run('apply', '--pack', PACK, '--map', map, '--out', packOut);
    expect(r.code).toBe(0);
    const pack = packFrom(JSON.parse(readFileSync(packOut, 'utf8')));
    const local = (code: string, specimen: string) => result({ code: null, marks: ['湛江市 HR'], specimen, item: { name: '项目名称未提供', codes: [{ system: ISSUER_LOCAL_ITEM_SYSTEM, code }] } });
    const { verdicts } = evaluate({ packs: [pack], receivingInstitution: 'zj-rmyy', now: NOW, results: [local('3001', '血清'), local('3007', '血清'), local('3002', '24小时尿')] });
    expect(verdicts.map((v) => v.item?.id ?? v.status)).toEqual(['k', 'not-in-catalog', 'not-in-catalog']);
  });

  it('check refuses a map a person edited to put a urine line on the serum item', () => {
    const map = join(dir, 'bad.json');
    writeFileSync(map, JSON.stringify({ issuer: 'zj-zxyy', entries: [{ code: '3002', name: '尿钾', specimen: '24小时尿', item: 'k' }] }));
    const r = run('check', '--pack', PACK, '--map', map);
    expect(r.code).toBe(1);
    expect(r.err).toContain('(map).entries[0].item');
  });

  it('usage and unreadable input', () => {
    expect(run('draft', '--pack', PACK).code).toBe(2);
    expect(run('draft', '--pack', PACK, '--issuer', 'nowhere', '--dict', csv).code).toBe(1);
    writeFileSync(join(dir, 'noheader.csv'), 'a,b\n1,2\n');
    expect(run('draft', '--pack', PACK, '--issuer', 'zj-zxyy', '--dict', join(dir, 'noheader.csv')).err).toContain('no header row');
  });
});

describe('dictionaries as hospitals export them', () => {
  it('GB18030 CSV (Excel on Chinese Windows)', () => {
    // "项目代码,项目名称,标本\n1,钾,血清" in GB18030.
    const gbk = new Uint8Array([0xcf, 0xee, 0xc4, 0xbf, 0xb4, 0xfa, 0xc2, 0xeb, 0x2c, 0xcf, 0xee, 0xc4, 0xbf, 0xc3, 0xfb, 0xb3, 0xc6, 0x2c, 0xb1, 0xea, 0xb1, 0xbe, 0x0a, 0x31, 0x2c, 0xbc, 0xd8, 0x2c, 0xd1, 0xaa, 0xc7, 0xe5]);
    expect(readDictionary(gbk, 'd.csv')).toEqual([{ line: 2, code: '1', name: '钾', specimen: '血清' }]);
  });

  it('XLSX: shared strings (rich text runs), inline strings, numbers, gaps', () => {
    const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const xlsx = zipSync({
      '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
      'xl/workbook.xml': strToU8(`<?xml version="1.0"?><workbook ${ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="字典" sheetId="1" r:id="rId1"/></sheets></workbook>`),
      'xl/_rels/workbook.xml.rels': strToU8('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
      'xl/sharedStrings.xml': strToU8(`<?xml version="1.0"?><sst ${ns}><si><t>编码</t></si><si><t>名称</t></si><si><t>标本</t></si><si><r><t>谷丙</t></r><r><rPr><b/></rPr><t>转氨酶</t></r></si><si><t>血清</t></si></sst>`),
      'xl/worksheets/sheet1.xml': strToU8(`<?xml version="1.0"?><worksheet ${ns}><sheetData>` +
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>' +
        '<row r="2"><c r="A2"><v>5581</v></c><c r="B2" t="s"><v>3</v></c><c r="C2" t="s"><v>4</v></c></row>' +
        '<row r="4"><c r="A4" t="inlineStr"><is><t>X9</t></is></c><c r="B4" t="inlineStr"><is><t>胸片</t></is></c></row>' +
        '</sheetData></worksheet>'),
    });
    expect(readDictionary(xlsx, 'dict.xlsx')).toEqual([
      { line: 2, code: '5581', name: '谷丙转氨酶', specimen: '血清' },
      { line: 3, code: 'X9', name: '胸片' },
    ]);
  });
});

describe('property: a drafted line is never put on an item of another specimen', () => {
  const labNames = demoPack.catalog.filter((i) => i.category === 'lab').flatMap((i) => [i.name, ...i.aliases]);
  const specimens = ['尿', '尿液', '24小时尿', '脑脊液', '胸水', '粪便', '痰', '血清', '全血', '血浆', ''];
  it('holds for names with and without specimen words and qualifiers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ name: fc.constantFrom(...labNames), spec: fc.constantFrom(...specimens), prefix: fc.constantFrom('', '尿', '血清', '脑脊液'), suffix: fc.constantFrom('', '(尿)', '（急）', '(K)', '测定') }), { minLength: 1, maxLength: 30 }),
        (lines) => {
          const rows = lines.map((l, i) => ({ line: i + 2, code: `C${i}`, name: `${l.prefix}${l.name}${l.suffix}`, ...(l.spec ? { specimen: l.spec } : {}) }));
          const { map } = draftCodeMap(demoPack, 'zj-zxyy', rows, '2026-11-30');
          for (const e of map.entries) {
            if (!e.item) continue;
            const rowClass = specimenClass(e.specimen) ?? nameSpecimen(e.name ?? '');
            const item = demoPack.catalog.find((i) => i.id === e.item)!;
            const itemClass = specimenClass(item.specimen) ?? nameSpecimen(item.name) ?? 'blood';
            if (rowClass !== undefined && rowClass !== itemClass) return false;
          }
          // And the pack with the draft stays valid (its specimen check agrees).
          return parseRulePack({ ...demoPack, codeMaps: [map] }).ok;
        },
      ),
      { numRuns: 300 },
    );
  });
});
