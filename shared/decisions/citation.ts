import type { ExternalResult } from '../domain/external-result';

/**
 * The results whose data a card and a citation show: a paper panel's own entry (血细胞分析, judged
 * as the catalog item, no value of its own) is left out when the rows entered from the report are
 * there, or it would read "血细胞分析 —" beside them.
 */
export function shownResults<R extends ExternalResult>(results: readonly R[]): readonly R[] {
  const shown = results.filter(
    (r) => !(r.source === 'paper' && r.category === 'lab' && r.value === undefined && results.some((o) => o !== r && o.report?.id !== undefined && o.report.id === r.report?.id)),
  );
  return shown.length > 0 ? shown : results;
}

/** One result's data as it reads in a record: "白细胞计数 6.2 10*9/L（参考 3.5–9.5）↑". */
export function resultData(r: ExternalResult): string {
  if (r.category === 'imaging') return `${r.item.name}：${r.conclusion ?? '（见报告）'}`;
  const value = r.value === undefined ? '—' : `${r.value}${r.unit ? ` ${r.unit}` : ''}`;
  const range = referenceRangeText(r);
  const flag = flagText(r);
  return `${r.item.name} ${value}${range ? `（参考 ${range}）` : ''}${flag ? ` ${flag}` : ''}`;
}

export function referenceRangeText(r: ExternalResult): string | undefined {
  const rr = r.referenceRange;
  if (!rr) return undefined;
  if (rr.text) return rr.text;
  if (rr.low !== undefined && rr.high !== undefined) return `${rr.low}–${rr.high}`;
  if (rr.low !== undefined) return `≥${rr.low}`;
  if (rr.high !== undefined) return `≤${rr.high}`;
  return undefined;
}

/** ↑ / ↓ / 异常 from the lab's own interpretation; nothing when normal or not given. */
export function flagText(r: ExternalResult): string | undefined {
  const code = r.interpretation?.toUpperCase();
  if (code === 'H' || code === 'HH' || code === 'HU') return '↑';
  if (code === 'L' || code === 'LL' || code === 'LU') return '↓';
  if (code === 'A' || code === 'AA' || code === 'POS' || r.abnormal) return '异常';
  return undefined;
}

export interface CitationInput {
  itemName: string;
  /** 检查日期: the clock date the rules used (YYYY-MM-DD). */
  date: string | null;
  issuerName: string;
  /** The cited results: one for an analyte or exam, several for a panel from one report. */
  results: readonly ExternalResult[];
  mark: string | null;
  /** 纸质: the result came from a paper report the patient brought (absent: the platform). */
  source?: 'platform' | 'paper';
}

/**
 * The text cited into the record on recognition (seed 001: 机构名称、检查日期、档案号、结果数据).
 * Plain text, so it goes into any note field as is.
 */
export function citationText(input: CitationInput): string {
  const first = input.results[0];
  const reportNumbers = [...new Set(input.results.map((r) => r.reportNumber).filter((n): n is string => !!n))];
  const paper = input.source === 'paper';
  const parts = [
    `【外院结果互认${paper ? '（纸质报告）' : ''}】${input.itemName}`,
    `机构名称：${input.issuerName}`,
    ...(paper ? ['结果来源：患者提供的纸质检查检验报告（医师录入）'] : []),
    `检查日期：${input.date ?? (first?.collectedAt ?? first?.reportedAt ?? '').slice(0, 10)}`,
    `档案号：${reportNumbers.join('、') || '未提供'}`,
    `结果：${shownResults(input.results).map(resultData).join('；')}`,
  ];
  const tail = input.mark ? `（互认标识：${input.mark}）` : '';
  return `${parts.join('\n')}\n经接诊医师判断予以互认，本次不重复检查${tail}。`;
}
