import { unzipSync } from 'fflate';
import { attr, child, children, parseXml, textContent, type XmlElement } from '../../results/cda/xml.ts';

/** One line of an issuer's item dictionary (检验/检查项目字典). */
export interface DictionaryRow {
  /** 1-based line (CSV) or row (XLSX) number, for messages. */
  line: number;
  code: string;
  name: string;
  specimen?: string;
  unit?: string;
  /** 医保 医疗服务项目编码, when the dictionary has the column. */
  nhsa?: string;
}

export class DictionaryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DictionaryError';
  }
}

/** Header names hospitals use for each column (matched after trimming and lower-casing). */
const COLUMNS: Record<keyof Omit<DictionaryRow, 'line'>, string[]> = {
  code: ['code', '编码', '代码', '项目代码', '项目编码', '检验项目代码', '检查项目代码', '院内编码', '本院编码'],
  name: ['name', '名称', '项目名称', '检验项目名称', '检查项目名称', '项目'],
  specimen: ['specimen', '标本', '标本类型', '标本类别', '样本', '样本类型'],
  unit: ['unit', '单位', '计量单位', '结果单位'],
  nhsa: ['nhsa', '医保编码', '医保项目编码', '医疗服务项目编码', '国家医保编码'],
};

/** Reads a dictionary from CSV (UTF-8, with or without BOM, or GB18030) or XLSX bytes. */
export function readDictionary(bytes: Uint8Array, fileName: string): DictionaryRow[] {
  const table = /\.xlsx$/i.test(fileName) ? xlsxRows(bytes) : csvRows(decodeText(bytes));
  return rowsFrom(table);
}

function rowsFrom(table: string[][]): DictionaryRow[] {
  const headerAt = table.findIndex((r) => r.some((c) => COLUMNS.code.includes(norm(c))) && r.some((c) => COLUMNS.name.includes(norm(c))));
  if (headerAt < 0) throw new DictionaryError(`no header row with a code column (${COLUMNS.code.slice(0, 4).join('/')}) and a name column (${COLUMNS.name.slice(0, 3).join('/')})`);
  const header = table[headerAt]!.map(norm);
  const col = (key: keyof typeof COLUMNS) => header.findIndex((h) => COLUMNS[key].includes(h));
  const idx = { code: col('code'), name: col('name'), specimen: col('specimen'), unit: col('unit'), nhsa: col('nhsa') };
  const rows: DictionaryRow[] = [];
  for (let i = headerAt + 1; i < table.length; i++) {
    const r = table[i]!;
    const get = (j: number) => (j >= 0 ? (r[j] ?? '').trim() : '');
    const code = get(idx.code);
    const name = get(idx.name);
    if (!code && !name) continue;
    if (!code) throw new DictionaryError(`line ${i + 1}: "${name.slice(0, 40)}" has no code`);
    const row: DictionaryRow = { line: i + 1, code, name: name || code };
    if (get(idx.specimen)) row.specimen = get(idx.specimen);
    if (get(idx.unit)) row.unit = get(idx.unit);
    if (get(idx.nhsa)) row.nhsa = get(idx.nhsa);
    rows.push(row);
  }
  return rows;
}

function norm(s: string): string {
  return s.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '');
}

/** UTF-8 (BOM or not); a file that is not valid UTF-8 is read as GB18030 (Excel's CSV on Chinese Windows). */
function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** RFC 4180 CSV: quoted fields with "" escapes and line breaks, CRLF or LF. */
export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const SHEET = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** The first worksheet of an XLSX as rows of text (shared strings, inline strings, numbers). */
export function xlsxRows(bytes: Uint8Array): string[][] {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => f.name.startsWith('xl/') && f.name.endsWith('.xml') && f.originalSize < 64 * 1024 * 1024 });
  } catch {
    throw new DictionaryError('not an XLSX file (unreadable zip)');
  }
  const xml = (name: string): XmlElement | undefined => (files[name] ? parseXml(files[name]!, { maxBytes: 64 * 1024 * 1024, maxElements: 5_000_000 }) : undefined);
  const shared = (children(xml('xl/sharedStrings.xml'), SHEET, 'si') ?? []).map((si) => textContent(si, ''));
  const sheetPath = firstSheetPath(xml('xl/workbook.xml'), xml('xl/_rels/workbook.xml.rels')) ?? 'xl/worksheets/sheet1.xml';
  const sheet = xml(sheetPath);
  if (!sheet) throw new DictionaryError('XLSX has no worksheet');
  const rows: string[][] = [];
  for (const r of children(child(sheet, SHEET, 'sheetData'), SHEET, 'row')) {
    const cells: string[] = [];
    for (const c of children(r, SHEET, 'c')) {
      const ref = attr(c, 'r') ?? '';
      const colIndex = columnIndex(ref.replace(/\d+$/, '')) ?? cells.length;
      const type = attr(c, 't');
      const v = textContent(child(c, SHEET, 'v'));
      const value = type === 's' ? (shared[Number(v)] ?? '') : type === 'inlineStr' ? textContent(child(c, SHEET, 'is'), '') : v;
      cells[colIndex] = value;
    }
    rows.push(Array.from(cells, (x) => x ?? ''));
  }
  return rows;
}

function firstSheetPath(workbook: XmlElement | undefined, rels: XmlElement | undefined): string | undefined {
  const first = child(child(workbook, SHEET, 'sheets'), SHEET, 'sheet');
  const id = first?.attrs.get(`{${REL}}id`);
  if (!id) return undefined;
  const target = children(rels, PKG_REL, 'Relationship').find((r) => attr(r, 'Id') === id);
  const t = attr(target, 'Target');
  return t ? (t.startsWith('/') ? t.slice(1) : `xl/${t}`) : undefined;
}

function columnIndex(letters: string): number | undefined {
  if (!/^[A-Z]{1,3}$/.test(letters)) return undefined;
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}
