/** Byte order mark: Excel opens a UTF-8 CSV as UTF-8 (Chinese text intact) only with it. */
export const BOM = '\uFEFF';
const CRLF = '\r\n';

export type Cell = string | number | boolean | null | undefined;

/**
 * One CSV field, RFC 4180: quoted when it holds a comma, a quote, CR or LF (quotes doubled).
 * Text that a spreadsheet could run as a formula (CSV injection) is prefixed with ': one whose
 * first character after any leading white space (spaces, tab, CR, LF, U+3000, zero-width space,
 * BOM) is = + - @ or their full-width forms ＝ ＋ － ＠, or that starts with tab or CR.
 * Numbers are written as numbers.
 */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const FORMULA = /^(?:[\s\u3000\u200B\uFEFF]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r])/;

export interface Column<T> {
  header: string;
  value: (row: T) => Cell;
}

/** A whole CSV document: BOM, header line, one line per row, CRLF line ends (last line too). */
export function toCsv<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const lines = [columns.map((c) => csvField(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(c.value(row))).join(','));
  return BOM + lines.join(CRLF) + CRLF;
}

/** Pretty JSON for people and programs alike (no BOM: JSON parsers may reject one). */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
