import { describe, expect, test } from 'vitest';
import { BOM, csvField, toCsv, toJson } from '../../../shared/export/csv';

describe('CSV', () => {
  const csv = toCsv(
    [
      { name: '血细胞分析', issuer: '湛江中心人民医院, 检验科', note: '他说"复查"\n明天', n: 3 },
      { name: '=HYPERLINK("http://x")', issuer: '+86', note: '@SUM(A1)', n: -2 },
    ],
    [
      { header: '项目', value: (r) => r.name },
      { header: '机构', value: (r) => r.issuer },
      { header: '说明', value: (r) => r.note },
      { header: '次数', value: (r) => r.n },
    ],
  );

  test('starts with the UTF-8 BOM so Excel reads Chinese text', () => {
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const bytes = new TextEncoder().encode(csv);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  test('CRLF line ends, Chinese text as is', () => {
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('项目,机构,说明,次数');
    expect(lines.at(-1)).toBe('');
    expect(csv).toContain('血细胞分析');
  });

  test('RFC 4180 quoting: commas, quotes (doubled) and line breaks', () => {
    expect(csv).toContain('血细胞分析,"湛江中心人民医院, 检验科","他说""复查""\n明天",3\r\n');
  });

  test('formula injection: text starting with = + - @ is prefixed with an apostrophe; numbers stay numbers', () => {
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")",'+86,'@SUM(A1),-2\r\n`);
    expect(csvField('-1')).toBe("'-1");
    expect(csvField(-1)).toBe('-1');
    expect(csvField('\tcmd')).toBe("'\tcmd");
  });

  test('formula injection behind leading white space or in full-width forms is guarded too', () => {
    for (const payload of [' =1+1', '\n=HYPERLINK("x")', '\u3000=1', '\u200B=1', '\uFEFF+1', '\t@SUM(A1)', '＝1+1', '＋1', '－1', '＠A1', ' \u3000 -1']) {
      const field = csvField(payload);
      expect(field.replace(/^"/, ''), JSON.stringify(payload)).toMatch(/^'/);
    }
    for (const plain of ['血钾 4.1', 'A-1', '1-2', '李明']) expect(csvField(plain)).toBe(plain);
  });

  test('empty values', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField('')).toBe('');
  });

  test('a round trip through a strict RFC 4180 parser gives the fields back', () => {
    const rows = parse(csv.slice(1));
    expect(rows[1]).toEqual(['血细胞分析', '湛江中心人民医院, 检验科', '他说"复查"\n明天', '3']);
  });

  test('JSON is plain UTF-8 without a BOM', () => {
    const json = toJson({ 项目: '血细胞分析' });
    expect(json.charCodeAt(0)).toBe('{'.charCodeAt(0));
    expect(JSON.parse(json)).toEqual({ 项目: '血细胞分析' });
  });
});

function parse(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}
