import { HurenDb, type AuditRow } from '../storage/db';
import { AuditEvent, type AuditInput, type AuditLog } from './event';
import { clampRetention, DAY_MS, RETENTION_KEY } from './retention';

export { clampRetention, DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from './retention';

export interface DexieAuditLogOptions {
  now?: () => Date;
  /** New event ids (tests pass a counter). */
  uuid?: () => string;
}

/**
 * The audit trail in IndexedDB: the extension's own origin (or, for the widget, the hospital's).
 * Old events are purged on the first record of each session and whenever retention changes.
 */
export class DexieAuditLog implements AuditLog {
  private purged = false;
  private readonly now: () => Date;
  private readonly uuid: () => string;

  constructor(readonly db: HurenDb = new HurenDb(), options: DexieAuditLogOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.uuid = options.uuid ?? (() => crypto.randomUUID());
  }

  async record(input: AuditInput): Promise<void> {
    try {
      const parsed = AuditEvent.safeParse({ ...input, at: input.at ?? this.now().toISOString() });
      // An invalid event is dropped without echoing it: it may hold a patient identifier.
      if (!parsed.success) return;
      const event = parsed.data;
      const row: AuditRow = { id: this.uuid(), at: Date.parse(event.at), kind: event.kind, event };
      await this.db.audit.add(row);
      if (!this.purged) {
        this.purged = true;
        await this.purge();
      }
    } catch {
      // Auditing never blocks the physician; the failure is silent by design (no patient data in the console).
    }
  }

  /** Events with from ≤ at < to (epoch ms), oldest first. */
  async list(range: { from?: number; to?: number } = {}): Promise<AuditEvent[]> {
    const rows = await this.db.audit
      .where('at')
      .between(range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER, true, false)
      .sortBy('at');
    return rows.flatMap((r) => {
      const parsed = AuditEvent.safeParse(r.event);
      return parsed.success ? [parsed.data] : [];
    });
  }

  /** Deletes events older than `days` days; returns how many. */
  async purgeOlderThan(days: number): Promise<number> {
    const cutoff = this.now().getTime() - days * DAY_MS;
    return this.db.audit.where('at').below(cutoff).delete();
  }

  /** Applies the configured retention. */
  async purge(): Promise<number> {
    return this.purgeOlderThan(await this.retentionDays());
  }

  async retentionDays(): Promise<number> {
    const row = await this.db.auditSettings.get(RETENTION_KEY);
    return clampRetention(row?.value);
  }

  async setRetentionDays(days: number): Promise<number> {
    const value = clampRetention(days);
    await this.db.auditSettings.put({ key: RETENTION_KEY, value });
    await this.purgeOlderThan(value);
    return value;
  }
}
