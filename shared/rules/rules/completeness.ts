import type { ExternalResult } from '../../domain/external-result.ts';
import type { Clock } from '../schema/meta.ts';
import { formatDay } from '../time/calendar.ts';
import { readClock, type ClockReading } from '../time/clock-reading.ts';
import { outcome, type Outcome } from './outcome.ts';

/** Report statuses that are not a final result (FHIR DiagnosticReport.status). */
const NOT_FINAL = new Set(['registered', 'partial', 'preliminary', 'cancelled', 'entered-in-error', 'unknown']);

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
  if (result.status !== undefined && NOT_FINAL.has(result.status)) {
    return outcome('incomplete', 'completeness', `报告状态为 ${result.status}，不是最终报告`, `report status is ${result.status}, not final`);
  }
  const raw = clock.basis === 'collection' ? result.collectedAt : (result.reportedAt ?? result.collectedAt);
  if (raw === undefined || raw.trim() === '') {
    return clock.basis === 'collection'
      ? outcome('incomplete', 'completeness', '缺少采样/检查时间', 'no collection or examination time')
      : outcome('incomplete', 'completeness', '缺少报告时间', 'no report time');
  }
  const reading = readClock(raw, clock.timeZone);
  if (reading === null) {
    return outcome('incomplete', 'completeness', `时间无法识别：${raw}`, `unreadable time: ${raw}`);
  }
  const future = reading.dateOnly ? reading.day > now.day : reading.wallMs > now.wallMs;
  if (future) {
    const d = formatDay(reading.day);
    return outcome('incomplete', 'completeness', `日期 ${d} 晚于当前时间`, `dated ${d}, after the current time`);
  }
  return reading;
}
