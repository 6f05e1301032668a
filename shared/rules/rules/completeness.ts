import type { ExternalResult } from '../../domain/external-result.ts';
import type { BilingualText } from '../schema/common.ts';
import type { Clock } from '../schema/meta.ts';
import { formatDay } from '../time/calendar.ts';
import { readClock, type ClockReading } from '../time/clock-reading.ts';
import { outcome, type Outcome } from './outcome.ts';

/** Report statuses that are not a final result (FHIR DiagnosticReport.status). */
const NOT_FINAL = new Set(['registered', 'partial', 'preliminary', 'cancelled', 'entered-in-error', 'unknown']);

/** A report status that is not a final result. */
export function notFinal(status: string | undefined): boolean {
  return status !== undefined && status !== 'final' && NOT_FINAL.has(status);
}

/**
 * The raw clock time a pack reads: its basis, else the other one. A result with no collection
 * time (FHIR without effective[x], a 检查报告 without 检查日期) is dated by its report time, and
 * the verdict's clockBasis says so; clockUsed tells which one the last call read.
 */
export function clockTime(result: ExternalResult, basis: 'collection' | 'report'): string | undefined {
  if (basis === 'collection') {
    const c = result.collectedAt;
    if (c !== undefined && !blank(c)) {
      clockUsed = 'collection';
      return c;
    }
    clockUsed = 'report';
    return result.reportedAt ?? c;
  }
  const r = result.reportedAt;
  if (r !== undefined && !blank(r)) {
    clockUsed = 'report';
    return r;
  }
  clockUsed = 'collection';
  return result.collectedAt ?? r;
}

/** Which clock the last clockTime call read. */
export let clockUsed: 'collection' | 'report' = 'collection';

/** Missing or blank (String.prototype.trim's whitespace): a digit first is the usual answer. */
export function blank(raw: string | undefined): raw is undefined {
  if (raw === undefined) return true;
  const c = raw.charCodeAt(0);
  return !(c >= 48 && c <= 57) && raw.trim() === '';
}

export function notFinalDetail(status: string): BilingualText {
  return { 'zh-CN': `报告状态为 ${status}，不是最终报告`, en: `report status is ${status}, not final` };
}

export function missingDetail(basis: 'collection' | 'report'): BilingualText {
  return basis === 'collection'
    ? { 'zh-CN': '缺少采样/检查时间', en: 'no collection or examination time' }
    : { 'zh-CN': '缺少报告时间', en: 'no report time' };
}

export function unreadableDetail(raw: string): BilingualText {
  return { 'zh-CN': `时间无法识别：${raw}`, en: `unreadable time: ${raw}` };
}

export function futureDetail(day: number): BilingualText {
  const d = formatDay(day);
  return { 'zh-CN': `日期 ${d} 晚于当前时间`, en: `dated ${d}, after the current time` };
}

/**
 * 结果完整性: a result needs a final status and a readable clock time that is not in the future.
 * Report-based packs fall back to the collection time when the report time is missing: it is
 * earlier, so the result can only look older, never fresher.
 */
export function checkCompleteness(
  result: ExternalResult,
  clock: Clock,
  now: ClockReading,
): ClockReading | Outcome {
  if (notFinal(result.status)) return incomplete(notFinalDetail(result.status!));
  const raw = clockTime(result, clock.basis);
  if (blank(raw)) return incomplete(missingDetail(clock.basis));
  const reading = readClock(raw, clock.timeZone);
  if (reading === null) return incomplete(unreadableDetail(raw));
  const future = reading.dateOnly ? reading.day > now.day : reading.wallMs > now.wallMs;
  if (future) return incomplete(futureDetail(reading.day));
  return reading;
}

function incomplete(detail: BilingualText): Outcome {
  return outcome('incomplete', 'completeness', detail['zh-CN'], detail.en);
}
