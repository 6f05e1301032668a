import { HurenDb, type AuditRow, type EventRow } from '../storage/db';
import { RETENTION_KEY } from './retention';
import { StoredAuditLog, type AuditLogOptions } from './stored-audit-log';

export { clampRetention, DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from './retention';
export type DexieAuditLogOptions = AuditLogOptions;

/** The audit trail in the extension's own IndexedDB (Dexie), read by the statistics page. */
export class DexieAuditLog extends StoredAuditLog {
  constructor(
    readonly db: HurenDb = new HurenDb(),
    options: AuditLogOptions = {},
  ) {
    super(options);
  }

  protected async addRow(row: AuditRow): Promise<void> {
    await this.db.audit.add(row);
  }

  protected async addEventRow(row: EventRow): Promise<void> {
    await this.db.events.put(row);
  }

  protected rowsBetween(from: number, to: number): Promise<AuditRow[]> {
    return this.db.audit.where('at').between(from, to, true, false).sortBy('at');
  }

  protected deleteBefore(cutoff: number): Promise<number> {
    return this.db.audit.where('at').below(cutoff).delete();
  }

  protected async readRetention(): Promise<unknown> {
    return (await this.db.auditSettings.get(RETENTION_KEY))?.value;
  }

  protected async writeRetention(value: number): Promise<void> {
    await this.db.auditSettings.put({ key: RETENTION_KEY, value });
  }
}
