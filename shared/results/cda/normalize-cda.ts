import { INSTITUTION_SYSTEM, ISSUER_LOCAL_ITEM_SYSTEM } from '../../domain/codes';
import { ExternalResult } from '../../domain/external-result';
import type { CdaAnalyte, CdaDocument, CdaExam } from './cda-document';

/** No name in the document (WS/T 500 has no item-name element): the code map names the item. */
export const UNNAMED = '项目名称未提供';

/** 017 检验结果代码 → the HL7 interpretation the panel reads: 正常 N, 异常 A (no direction), 不确定 IND. */
const RESULT_CODE_FLAG = { '1': 'N', '2': 'A', '3': 'IND' } as const;
const NORMAL = new Set(['N', 'NEG', 'ND']);

/**
 * One parsed document → ExternalResults: one per 检验报告 analyte, one per 检查报告 exam. Ids are
 * stable across fetches (issuer, report number, position), so decisions stay on their card.
 * Every result passes the ExternalResult schema or is counted in `dropped`.
 */
export function cdaResults(doc: CdaDocument): { results: ExternalResult[]; dropped: number } {
  const issuerId = doc.custodian.id;
  const key = `${issuerId ?? doc.custodian.name ?? '?'}/${doc.reportNumber ?? doc.documentId ?? '?'}`;
  const reportId = `CDA/${key}`;
  const issuer = {
    identifiers: issuerId ? [{ system: INSTITUTION_SYSTEM, value: issuerId }] : [],
    ...(doc.custodian.name ? { name: doc.custodian.name } : {}),
  };
  const base = {
    issuer,
    reportNumber: doc.reportNumber ?? doc.documentId,
    reportedAt: doc.reportedAt,
    marks: [] as string[],
    status: 'final',
  };
  const candidates: unknown[] =
    doc.kind === 'lab'
      ? doc.analytes.map((a, i) => labResult(a, i, reportId, doc.panelName ?? doc.title, base))
      : doc.exams.map((e, i) => imagingResult(e, i, reportId, base));
  const results: ExternalResult[] = [];
  let dropped = 0;
  for (const c of candidates) {
    const parsed = ExternalResult.safeParse(c);
    if (parsed.success) results.push(parsed.data);
    else dropped++;
  }
  return { results, dropped };
}

type Base = { issuer: ExternalResult['issuer']; reportNumber: string | undefined; reportedAt: string | undefined; marks: string[]; status: string };

function labResult(a: CdaAnalyte, i: number, reportId: string, reportName: string | undefined, base: Base): object {
  const interpretation = a.interpretation ?? (a.resultCode ? RESULT_CODE_FLAG[a.resultCode] : undefined);
  return clean({
    ...base,
    id: `${reportId}/${i}`,
    category: 'lab',
    item: itemOf(a.code, a.name),
    value: a.value,
    unit: a.unit,
    referenceRange: a.referenceRange,
    interpretation,
    abnormal: interpretation === undefined || interpretation === 'IND' ? undefined : !NORMAL.has(interpretation),
    // 采样时间 is the clock; a document without it gives the 检验时间 (the day the test ran).
    collectedAt: a.collectedAt ?? a.testedAt,
    receivedAt: a.receivedAt,
    specimen: a.specimen,
    report: clean({ id: reportId, name: reportName }),
  });
}

function imagingResult(e: CdaExam, i: number, reportId: string, base: Base): object {
  return clean({
    ...base,
    id: `${reportId}/${i}`,
    category: 'imaging',
    item: itemOf(e.code, e.name),
    // No 检查日期: collectedAt stays empty and the rules fall back to the report time, saying so.
    collectedAt: e.examinedAt,
    findings: e.findings,
    conclusion: e.conclusion,
    imagesUrl: e.imagesUrl,
    interpretation: e.resultCode ? RESULT_CODE_FLAG[e.resultCode] : undefined,
  });
}

function itemOf(code: string | undefined, name: string | undefined): ExternalResult['item'] {
  return {
    name: name ?? (code ? `${UNNAMED}（代码 ${code}）` : UNNAMED),
    codes: code ? [{ system: ISSUER_LOCAL_ITEM_SYSTEM, code }] : [],
  };
}

function clean<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
