import { dayNumber, daysInMonth, MS_PER_DAY } from './calendar.ts';

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
  const wallMs = readWallMs(value, timeZone);
  if (Number.isNaN(wallMs)) return null;
  return { day: Math.floor(wallMs / MS_PER_DAY), wallMs, dateOnly: lastDateOnly };
}

/** Whether the last readWallMs that succeeded read a bare date. */
export let lastDateOnly = false;

/**
 * readClock without the record: the wall time in ms (as if UTC), NaN when unreadable; a bare
 * date reads as its midnight and sets lastDateOnly. The evaluation loop calls this once per
 * result, so it allocates nothing on the shapes platforms send.
 */
export function readWallMs(value: string, timeZone: string): number {
  const n = value.length;
  if ((n === 19 || n === 20 || n === 25) && value.charCodeAt(10) === 84) {
    const fast = secondsTime(value, n, timeZone);
    if (fast === fast) return fast;
  }
  const fields = scanIso(value) ?? matchIso(value.trim());
  if (fields === null) return NaN;
  const [year, month, date, hour, minute, second, millis, offsetMs] = fields;
  // Years before 1900 are typos in a results feed.
  if (year < 1900 || month < 1 || month > 12 || date < 1 || date > 31) return NaN;
  if (date > 28 && date > daysInMonth(year, month)) return NaN;
  const day = dayNumber(year, month, date);
  if (hour < 0) {
    lastDateOnly = true;
    return day * MS_PER_DAY;
  }
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  lastDateOnly = false;
  const fieldsMs = day * MS_PER_DAY + hour * 3_600_000 + minute * 60_000 + second * 1000 + millis;
  if (Number.isNaN(offsetMs)) return fieldsMs;
  const utcMs = fieldsMs - offsetMs;
  return utcMs + zoneOffsetMs(timeZone, utcMs);
}

/**
 * The commonest shape, YYYY-MM-DDTHH:MM:SS with nothing, Z or ±HH:MM after it, read with no
 * intermediate record; NaN sends anything else (and anything invalid) to the general path.
 */
function secondsTime(s: string, n: number, timeZone: string): number {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const year = d2(s, 0) * 100 + d2(s, 2);
  const month = d2(s, 5);
  const date = d2(s, 8);
  const hour = d2(s, 11);
  const minute = d2(s, 14);
  const second = d2(s, 17);
  if (year < 1900 || month < 1 || month > 12 || date < 1 || date > 31 || hour > 23 || minute > 59 || second > 59) return NaN;
  if (hour < 0 || minute < 0 || second < 0) return NaN;
  if (date > 28 && date > daysInMonth(year, month)) return NaN;
  const fieldsMs = dayNumber(year, month, date) * MS_PER_DAY + hour * 3_600_000 + minute * 60_000 + second * 1000;
  if (n === 19) {
    lastDateOnly = false;
    return fieldsMs;
  }
  let offsetMs = 0;
  if (n === 25) {
    const sign = s.charCodeAt(19);
    const oh = d2(s, 20);
    const om = d2(s, 23);
    if ((sign !== 43 && sign !== 45) || s.charCodeAt(22) !== 58 || oh < 0 || om < 0) return NaN;
    offsetMs = (oh * 60 + om) * 60_000;
    if (sign === 45) offsetMs = -offsetMs;
  } else if (s.charCodeAt(19) !== 90 && s.charCodeAt(19) !== 122) {
    return NaN;
  }
  lastDateOnly = false;
  const utcMs = fieldsMs - offsetMs;
  return utcMs + zoneOffsetMs(timeZone, utcMs);
}

/** Two decimal digits at i, or a negative number. */
function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1000;
}

/** [year, month, day, hour (−1: date only), minute, second, ms, offset ms (NaN: none)] */
type IsoFields = [number, number, number, number, number, number, number, number];

// One scratch record for the fast path: readClock runs once per result and must not allocate.
const scratch: IsoFields = [0, 0, 0, 0, 0, 0, 0, 0];
function fill(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, off: number): IsoFields {
  scratch[0] = y;
  scratch[1] = mo;
  scratch[2] = d;
  scratch[3] = h;
  scratch[4] = mi;
  scratch[5] = s;
  scratch[6] = ms;
  scratch[7] = off;
  return scratch;
}

/**
 * Fast path for the shapes platforms send (2026-11-01, 2026-11-01T08:10:00.123+08:00, …Z):
 * reads characters in place, no regex and no substrings. Anything else goes to matchIso.
 */
function scanIso(s: string): IsoFields | null {
  const n = s.length;
  if (n < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  const year = num(s, 0, 4);
  const month = num(s, 5, 2);
  const date = num(s, 8, 2);
  if (year < 0 || month < 0 || date < 0) return null;
  if (n === 10) return fill(year, month, date, -1, 0, 0, 0, NaN);
  const t = s.charCodeAt(10);
  if ((t !== 84 && t !== 32) || n < 16 || s.charCodeAt(13) !== 58) return null;
  const hour = num(s, 11, 2);
  const minute = num(s, 14, 2);
  if (hour < 0 || minute < 0) return null;
  let i = 16;
  let second = 0;
  let millis = 0;
  if (i < n && s.charCodeAt(i) === 58) {
    second = num(s, 17, 2);
    if (second < 0) return null;
    i = 19;
    const c = s.charCodeAt(i);
    if (i < n && (c === 46 || c === 44)) {
      let scale = 100;
      for (i++; i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++) {
        millis += (s.charCodeAt(i) - 48) * scale;
        scale /= 10;
      }
      millis = Math.floor(millis);
    }
  }
  if (i === n) return fill(year, month, date, hour, minute, second, millis, NaN);
  const z = s.charCodeAt(i);
  if ((z === 90 || z === 122) && i + 1 === n) return fill(year, month, date, hour, minute, second, millis, 0);
  if (z !== 43 && z !== 45) return null;
  const oh = num(s, i + 1, 2);
  const rest = n - i - 3;
  const om = rest === 0 ? 0 : rest === 3 && s.charCodeAt(i + 3) === 58 ? num(s, i + 4, 2) : rest === 2 ? num(s, i + 3, 2) : -1;
  if (oh < 0 || om < 0) return null;
  const offset = (oh * 60 + om) * 60_000;
  return fill(year, month, date, hour, minute, second, millis, z === 45 ? -offset : offset);
}

function num(s: string, start: number, len: number): number {
  let v = 0;
  for (let i = start; i < start + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function matchIso(s: string): IsoFields | null {
  const m = ISO.exec(s);
  if (!m) return null;
  const hour = m[4] === undefined ? -1 : Number(m[4]);
  return [
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    hour,
    m[5] === undefined ? 0 : Number(m[5]),
    m[6] === undefined ? 0 : Number(m[6]),
    m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0')),
    m[8] === undefined ? NaN : offsetOfDesignator(m[8]),
  ];
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

// Zone offsets change only on quarter-hour instants, so one Intl call per quarter hour is exact.
// The answers are kept per zone in a direct-mapped table (slot = bucket mod size): a lookup is
// two typed-array reads, and 16 384 slots hold 170 consecutive days without a collision.
const BUCKET_MS = 900_000;
const SLOTS = 16_384;
const formatters = new Map<string, Intl.DateTimeFormat>();
interface ZoneTable {
  zone: string;
  buckets: Float64Array;
  offsets: Float64Array;
}
const tables = new Map<string, ZoneTable>();
let lastTable: ZoneTable | null = null;

function zoneTable(timeZone: string): ZoneTable {
  let t = tables.get(timeZone);
  if (t === undefined) {
    t = { zone: timeZone, buckets: new Float64Array(SLOTS).fill(NaN), offsets: new Float64Array(SLOTS) };
    tables.set(timeZone, t);
  }
  return t;
}

/** Offset of the zone from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
export function zoneOffsetMs(timeZone: string, utcMs: number): number {
  const t = lastTable !== null && lastTable.zone === timeZone ? lastTable : (lastTable = zoneTable(timeZone));
  const bucket = Math.floor(utcMs / BUCKET_MS);
  const slot = bucket & (SLOTS - 1);
  if (t.buckets[slot] === bucket) return t.offsets[slot]!;
  const offset = computeOffset(timeZone, bucket * BUCKET_MS);
  t.buckets[slot] = bucket;
  t.offsets[slot] = offset;
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
