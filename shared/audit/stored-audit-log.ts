import type { AuditRow } from '../storage/db';
import { AuditEvent, type AuditInput, type AuditLog } from './event';
import { clampRetention, DAY_MS } from './retention';

export interface AuditLogOptions {
  now?: () => Date;
  /** New event ids (tests pass a counter). */
  uuid?: () => string;
}

/**
 * The audit trail's behaviour, whatever holds it (Dexie in the extension, plain IndexedDB in
 * the widget): events validated before they are written, old events purged on the first record
 * of each session and whenever retention changes, failures silent (no patient data in the console).
 */
export abstract class StoredAuditLog implements AuditLog {
  private purged = false;
  protected readonly now: () => Date;
  private readonly uuid: () => string;

  constructor(options: AuditLogOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.uuid = options.uuid ?? (() => crypto.randomUUID());
  }

  protected abstract addRow(row: AuditRow): Promise<void>;
  /** Rows with from ≤ at < to, oldest first. */
  protected abstract rowsBetween(from: number, to: number): Promise<AuditRow[]>;
  /** Deletes rows with at < cutoff; returns how many. */
  protected abstract deleteBefore(cutoff: number): Promise<number>;
  protected abstract readRetention(): Promise<unknown>;
  protected abstract writeRetention(days: number): Promise<void>;

  async record(input: AuditInput): Promise<void> {
    try {
      const parsed = AuditEvent.safeParse({ ...input, at: input.at ?? this.now().toISOString() });
      // An invalid event is dropped without echoing it: it may hold a patient identifier.
      if (!parsed.success) return;
      const event = parsed.data;
      await this.addRow({ id: this.uuid(), at: Date.parse(event.at), kind: event.kind, event });
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
    const rows = await this.rowsBetween(range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER);
    return rows.flatMap((r) => {
      const parsed = AuditEvent.safeParse(r.event);
      return parsed.success ? [parsed.data] : [];
    });
  }

  /** Deletes events older than `days` days; returns how many. */
  purgeOlderThan(days: number): Promise<number> {
    return this.deleteBefore(this.now().getTime() - days * DAY_MS);
  }

  /** Applies the configured retention. */
  async purge(): Promise<number> {
    return this.purgeOlderThan(await this.retentionDays());
  }

  async retentionDays(): Promise<number> {
    return clampRetention(await this.readRetention());
  }

  async setRetentionDays(days: number): Promise<number> {
    const value = clampRetention(days);
    await this.writeRetention(value);
    await this.purgeOlderThan(value);
    return value;
  }
}
