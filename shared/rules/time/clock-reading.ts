import { dayNumber, MS_PER_DAY } from './calendar.ts';

/** A time read on the pack's wall clock: its calendar day and its wall time in ms (as if UTC). */
export interface ClockReading {
  day: number;
  wallMs: number;
  /** A bare YYYY-MM-DD: the day is known, the hour is not. */
  dateOnly: boolean;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * Read an ISO 8601 timestamp in a time zone. With an offset or Z it is an instant, shown on the
 * zone's wall clock; without one it is already wall time in the zone; a bare date is a calendar
 * date. Returns null for anything else, including impossible dates.
 */
export function readClock(value: string, timeZone: string): ClockReading | null {
  const m = ISO.exec(value.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const date = Number(m[3]);
  // Years before 1900 are typos in a results feed, and Date.UTC maps 0–99 to 19xx.
  if (year < 1900 || month < 1 || month > 12 || date < 1 || date > 31) return null;
  const day = dayNumber(year, month, date);
  if (new Date(day * MS_PER_DAY).getUTCDate() !== date) return null;
  if (m[4] === undefined) return { day, wallMs: day * MS_PER_DAY, dateOnly: true };

  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (hour > 23 || minute > 59 || second > 59) return null;
  const fieldsMs = day * MS_PER_DAY + hour * 3_600_000 + minute * 60_000 + second * 1000 + millis;
  const zone = m[8];
  if (zone === undefined) return { day, wallMs: fieldsMs, dateOnly: false };

  const utcMs = fieldsMs - offsetOfDesignator(zone);
  return fromInstant(utcMs, timeZone);
}

/** An instant on the zone's wall clock. */
export function fromInstant(utcMs: number, timeZone: string): ClockReading {
  const wallMs = utcMs + zoneOffsetMs(timeZone, utcMs);
  return { day: Math.floor(wallMs / MS_PER_DAY), wallMs, dateOnly: false };
}

function offsetOfDesignator(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes) * 60_000;
}

// Zone offsets change only on quarter-hour instants, so one Intl call per quarter hour is exact;
// the cache keeps evaluation linear and cheap (Intl formatting costs microseconds).
const BUCKET_MS = 900_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Map<number, number>>();

/** Offset of the zone from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
export function zoneOffsetMs(timeZone: string, utcMs: number): number {
  let byBucket = offsets.get(timeZone);
  if (byBucket === undefined) {
    byBucket = new Map();
    offsets.set(timeZone, byBucket);
  }
  const bucket = Math.floor(utcMs / BUCKET_MS);
  let offset = byBucket.get(bucket);
  if (offset === undefined) {
    offset = computeOffset(timeZone, bucket * BUCKET_MS);
    if (byBucket.size > 100_000) byBucket.clear();
    byBucket.set(bucket, offset);
  }
  return offset;
}

function computeOffset(timeZone: string, utcMs: number): number {
  let fmt = formatters.get(timeZone);
  if (fmt === undefined) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, fmt);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  // utcMs is a bucket start, a whole second, so the difference is the exact offset.
  return wall - utcMs;
}
