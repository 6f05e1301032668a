import type { AuditRow, AuditSettingRow } from '../storage/db';
import { each } from '../storage/idb-lite';
import type { WidgetDb } from '../storage/widget-db';
import { AuditEvent, type AuditInput, type AuditLog } from './event';
import { clampRetention, DAY_MS, RETENTION_KEY } from './retention';

export interface IdbAuditLogOptions {
  now?: () => Date;
  /** New event ids (tests pass a counter). */
  uuid?: () => string;
}

/**
 * The widget's audit trail (审计记录) in its own IndexedDB database, in the hospital's origin; the
 * same behaviour as the extension's DexieAuditLog. Old events are purged on the first record of
 * each session and whenever retention changes.
 */
export class IdbAuditLog implements AuditLog {
  private purged = false;
  private readonly now: () => Date;
  private readonly uuid: () => string;

  constructor(
    readonly db: WidgetDb,
    options: IdbAuditLogOptions = {},
  ) {
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
      await this.db.tx('audit', 'readwrite', (tx) => void tx.objectStore('audit').add(row));
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
    const keys = IDBKeyRange.bound(range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER, false, true);
    const rows = await this.db.read('audit', (s) => s.index('at').getAll(keys) as IDBRequest<AuditRow[]>);
    return rows.flatMap((r) => {
      const parsed = AuditEvent.safeParse(r.event);
      return parsed.success ? [parsed.data] : [];
    });
  }

  /** Deletes events older than `days` days; returns how many. */
  purgeOlderThan(days: number): Promise<number> {
    const cutoff = this.now().getTime() - days * DAY_MS;
    let deleted = 0;
    return this.db.tx('audit', 'readwrite', (tx) => {
      each(tx.objectStore('audit').index('at'), IDBKeyRange.upperBound(cutoff, true), (cursor) => {
        cursor.delete();
        deleted++;
      });
      return () => deleted;
    });
  }

  /** Applies the configured retention. */
  async purge(): Promise<number> {
    return this.purgeOlderThan(await this.retentionDays());
  }

  async retentionDays(): Promise<number> {
    const row = await this.db.read('settings', (s) => s.get(RETENTION_KEY) as IDBRequest<AuditSettingRow | undefined>);
    return clampRetention(row?.value);
  }

  async setRetentionDays(days: number): Promise<number> {
    const value = clampRetention(days);
    await this.db.tx('settings', 'readwrite', (tx) => void tx.objectStore('settings').put({ key: RETENTION_KEY, value } satisfies AuditSettingRow));
    await this.purgeOlderThan(value);
    return value;
  }
}
