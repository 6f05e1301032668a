import type { AuditRow, EventRow } from '../storage/db';
import { AuditEvent, type AuditInput, type AuditLog } from './event';
import { clampRetention, DAY_MS } from './retention';

export interface AuditLogOptions {
  now?: () => Date;
  /** New event ids (tests pass a counter). */
  uuid?: () => string;
  /**
   * Where the events go beside the local trail: the hub's events outbox (prompted, viewed,
   * opened, cited; decisions travel as feedback). `hospital()` names the receiving hospital, or
   * null when no hub is configured (then only the local trail keeps them); `queued` wakes the sender.
   */
  hub?: { hospital(): Promise<string | null> | string | null; queued?(): void; /** The endpoint the events are bound to (widget). */ target?: string };
}

/** The outbox row of an event for the hub; its uuid is the audit row's id. */
export function hubEventRow(uuid: string, hospital: string, event: Exclude<AuditEvent, { kind: 'decided' | 'patient-mismatch' }>, target?: string): EventRow {
  return { uuid, at: Date.parse(event.at), entry: { uuid, hospital, event }, state: 'pending', attempts: 0, nextAttemptAt: 0, ...(target !== undefined ? { target } : {}) };
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
  private readonly hub: AuditLogOptions['hub'];

  constructor(options: AuditLogOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.uuid = options.uuid ?? (() => crypto.randomUUID());
    this.hub = options.hub;
  }

  protected abstract addRow(row: AuditRow): Promise<void>;
  /** Adds an event to the hub's events outbox. */
  protected abstract addEventRow(row: EventRow): Promise<void>;
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
      const id = this.uuid();
      await this.addRow({ id, at: Date.parse(event.at), kind: event.kind, event });
      // Decisions travel as feedback; a 患者身份不一致 stays in the local trail (the hub takes no such event).
      if (this.hub && event.kind !== 'decided' && event.kind !== 'patient-mismatch') {
        const hospital = await this.hub.hospital();
        if (hospital !== null) {
          await this.addEventRow(hubEventRow(id, hospital, event, this.hub.target));
          this.hub.queued?.();
        }
      }
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
