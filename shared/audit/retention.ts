/** Audit retention, shared by the Dexie audit log (extension) and the widget's IndexedDB one. */

export const DAY_MS = 86_400_000;
/** How long audit events are kept unless the hospital sets otherwise (审计记录保留天数). */
export const DEFAULT_RETENTION_DAYS = 180;
export const MIN_RETENTION_DAYS = 7;
export const MAX_RETENTION_DAYS = 3650;
/** The settings row holding the retention. */
export const RETENTION_KEY = 'retentionDays';

/** A whole number of days in [7, 3650]; anything else means the default. */
export function clampRetention(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_RETENTION_DAYS;
  return Math.min(MAX_RETENTION_DAYS, Math.max(MIN_RETENTION_DAYS, Math.round(value)));
}
