import ExcelJS from 'exceljs';
import { toCsv, type Cell, type Column } from '../../shared/export/csv.ts';
import { RATES, type RateId } from '../../shared/stats/definitions.ts';
import type { RatedRow } from '../../shared/stats/groups.ts';
import type { DrilldownRow } from './drilldown.ts';

/** The columns of every exported table: the same names and figures as the screen (shared definitions). */
const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

export function measureColumns(groupTitle: string, locale: 'zh-CN' | 'en' = 'zh-CN'): Column<RatedRow>[] {
  const zh = locale === 'zh-CN';
  const rate = (id: RateId): Column<RatedRow> => ({ header: `${RATES[id].name[locale]} (%)`, value: (r) => pct(r.rates[id]) });
  return [
    { header: groupTitle, value: (r) => r.label || (zh ? '未填写' : '(not given)') },
    { header: zh ? '所属' : 'Within', value: (r) => r.detail },
    { header: zh ? '可互认外院报告（份）' : 'Reports shown', value: (r) => r.measures.reportsShown },
    { header: zh ? '已互认（份）' : 'Recognized', value: (r) => r.measures.reportsRecognized },
    { header: zh ? '复查（份）' : 'Re-tested', value: (r) => r.measures.reportsRetested },
    { header: zh ? '未处理（份）' : 'Undecided', value: (r) => r.measures.reportsUndecided },
    { header: zh ? '引用（份）' : 'Cited', value: (r) => r.measures.reportsCited },
    { header: zh ? '提醒（次）' : 'Prompts', value: (r) => r.measures.prompts },
    { header: zh ? '调阅（次）' : 'Views', value: (r) => r.measures.views },
    rate('recognitionRate'),
    rate('promptRate'),
    rate('decisionShare'),
    rate('citationRate'),
    { header: zh ? '节省费用（元）' : 'Saved (CNY)', value: (r) => r.measures.saved },
    {
      header: zh ? '偏离' : 'Deviation',
      value: (r) => (r.deviation ? `${r.deviation.direction === 'above' ? (zh ? '高于' : 'above') : zh ? '低于' : 'below'} ${Math.abs(Math.round(r.deviation.difference * 1000) / 10)}` : ''),
    },
  ];
}

export function drilldownColumns(locale: 'zh-CN' | 'en' = 'zh-CN'): Column<DrilldownRow>[] {
  const zh = locale === 'zh-CN';
  const outcome = (r: DrilldownRow) => (r.outcome === 'accepted' ? (zh ? '互认' : 'recognized') : r.outcome === 'overridden' ? (zh ? '复查' : 're-tested') : zh ? '未处理' : 'undecided');
  const cn = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : null);
  return [
    { header: zh ? '首次提示时间' : 'First shown', value: (r) => cn(r.shownAt) },
    { header: zh ? '决定时间' : 'Decided', value: (r) => cn(r.decidedAt) },
    { header: zh ? '科室' : 'Department', value: (r) => r.department },
    { header: zh ? '医师' : 'Physician', value: (r) => r.physician },
    { header: zh ? '患者证件号（脱敏）' : 'Patient (masked)', value: (r) => r.patient },
    { header: zh ? '项目' : 'Item', value: (r) => r.itemName },
    { header: zh ? '出具机构' : 'Issuer', value: (r) => r.issuerName },
    { header: zh ? '检查日期' : 'Result date', value: (r) => r.resultDate },
    { header: zh ? '档案号' : 'Report no.', value: (r) => r.reportNumber },
    { header: zh ? '结果' : 'Outcome', value: outcome },
    { header: zh ? '复查原因' : 'Reason', value: (r) => (r.reasonCode ? `${r.reasonCode} ${r.reasonDisplay ?? ''}`.trim() : null) },
    { header: zh ? '说明' : 'Comment', value: (r) => r.comment },
    { header: zh ? '已引用' : 'Cited', value: (r) => (r.cited ? (zh ? '是' : 'yes') : '') },
    { header: zh ? '提醒次数' : 'Prompts', value: (r) => r.prompts },
  ];
}

/** CSV: UTF-8 with BOM, CRLF, RFC 4180 quoting, formula guard (shared/export/csv.ts). */
export function asCsv<T>(rows: readonly T[], columns: readonly Column<T>[]): Buffer {
  return Buffer.from(toCsv(rows, columns), 'utf8');
}

/** XLSX (ExcelJS): one sheet, header row bold and frozen, numbers as numbers, text as text (never a formula). */
export async function asXlsx<T>(rows: readonly T[], columns: readonly Column<T>[], sheetName: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Huren Hub';
  const sheet = book.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(columns.map((c) => c.header)).font = { bold: true };
  for (const row of rows) {
    // Strings are written as plain text values: ExcelJS writes a formula only for { formula } cells.
    sheet.addRow(columns.map((c) => normalize(c.value(row))));
  }
  sheet.columns.forEach((col, i) => (col.width = Math.min(40, Math.max(8, String(columns[i]?.header ?? '').length * 2 + 2))));
  return Buffer.from(await book.xlsx.writeBuffer());
}

function normalize(cell: Cell): string | number | boolean | null {
  return cell === undefined ? null : cell;
}
