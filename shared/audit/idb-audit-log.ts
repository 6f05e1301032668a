import type { AuditRow, AuditSettingRow, EventRow } from '../storage/db';
import { each } from '../storage/idb-lite';
import type { WidgetDb } from '../storage/widget-db';
import { RETENTION_KEY } from './retention';
import { StoredAuditLog, type AuditLogOptions } from './stored-audit-log';

export type IdbAuditLogOptions = AuditLogOptions;

/** The widget's audit trail (审计记录) in its own IndexedDB database, in the hospital's origin. */
export class IdbAuditLog extends StoredAuditLog {
  constructor(
    readonly db: WidgetDb,
    options: AuditLogOptions = {},
  ) {
    super(options);
  }

  protected async addRow(row: AuditRow): Promise<void> {
    await this.db.tx('audit', 'readwrite', (tx) => void tx.objectStore('audit').add(row));
  }

  protected async addEventRow(row: EventRow): Promise<void> {
    await this.db.tx('events', 'readwrite', (tx) => void tx.objectStore('events').put(row));
  }

  protected rowsBetween(from: number, to: number): Promise<AuditRow[]> {
    return this.db.read('audit', (s) => s.index('at').getAll(IDBKeyRange.bound(from, to, false, true)) as IDBRequest<AuditRow[]>);
  }

  protected deleteBefore(cutoff: number): Promise<number> {
    let deleted = 0;
    return this.db.tx('audit', 'readwrite', (tx) => {
      each(tx.objectStore('audit').index('at'), IDBKeyRange.upperBound(cutoff, true), (cursor) => {
        cursor.delete();
        deleted++;
      });
      return () => deleted;
    });
  }

  protected async readRetention(): Promise<unknown> {
    return (await this.db.read('settings', (s) => s.get(RETENTION_KEY) as IDBRequest<AuditSettingRow | undefined>))?.value;
  }

  protected async writeRetention(value: number): Promise<void> {
    await this.db.tx('settings', 'readwrite', (tx) => void tx.objectStore('settings').put({ key: RETENTION_KEY, value } satisfies AuditSettingRow));
  }
}
