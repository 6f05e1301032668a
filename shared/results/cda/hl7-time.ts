/**
 * HL7 v3 TS (时间戳) → ISO 8601, keeping the precision that was sent: `YYYYMMDD` stays a date
 * (a D8 value is a day, not midnight UTC), `YYYYMMDDHH[MM[SS[.s]]]` becomes a date-time. An explicit
 * `±ZZZZ` is kept; without one the time is China Standard Time (+08:00), as WS/T 500 documents
 * are written. Anything else (placeholders, impossible dates) reads as undefined.
 */
export function hl7Time(value: string | undefined, defaultOffset = '+08:00'): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:\.(\d{1,4}))?)?)?)?([+-]\d{4})?$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  const date = `${y}-${mo}-${d}`;
  if (h === undefined) return date;
  if (Number(h) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59) return undefined;
  const offset = zone ? `${zone.slice(0, 3)}:${zone.slice(3)}` : defaultOffset;
  if (zone && (Number(zone.slice(1, 3)) > 14 || Number(zone.slice(3)) > 59)) return undefined;
  return `${date}T${h}:${mi ?? '00'}:${s ?? '00'}${frac ? `.${frac}` : ''}${offset}`;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
