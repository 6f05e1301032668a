import type { DecisionRow, EventRow } from '../storage/db';

/** What every outbox row has, whatever it carries: its idempotency key and its sending state. */
export interface OutboxFields {
  uuid: string;
  state: 'pending' | 'sent';
  attempts: number;
  /** Epoch ms before which the sender leaves it alone (backoff, or a lease while in flight). */
  nextAttemptAt: number;
  lastError?: string;
  sentAt?: number;
  lastAttemptAt?: number;
  /**
   * The endpoint (CDS service base URL) the row was made for, where the shell binds rows to one
   * (the widget: a host page names its endpoint); '' = made with none, never sent. Absent on rows
   * written before the binding, and in the extension (its endpoint is the hospital's setting).
   */
  target?: string;
}

/** A decision's outbox row as the sender writes it: the decision row plus when it was last tried. */
export type OutboxRow = DecisionRow & { lastAttemptAt?: number };
/** An event's outbox row (prompted, viewed, opened, cited, pack refusals: the hub's other streams). */
export type EventOutboxRow = EventRow & { lastAttemptAt?: number };

/** What the panel shows about decisions not yet at the hospital. */
export interface OutboxStatus {
  /** Decisions stored here and not yet acknowledged (2xx) by the hospital's endpoint. */
  pending: number;
  /** The most recent failure among them, e.g. "HTTP 503" or "timeout after 15000 ms". */
  lastError?: string;
  /** Epoch ms of that failed attempt. */
  lastErrorAt?: number;
}

/** The outbox as a shell gives it to the panel (PanelServices.outbox). */
export interface OutboxService {
  status(): Promise<OutboxStatus>;
  /** Calls back with the status now and on every change (from any tab or worker of the origin). */
  subscribe(listener: (status: OutboxStatus) => void): () => void;
  /** Asks the sender to try now, e.g. right after a decision was saved. */
  kick(): void;
}

/**
 * The storage the outbox sender (sender.ts) and the panel's outbox status need, whatever keeps
 * the rows: Dexie in the extension (dexie-store.ts), plain IndexedDB in the widget
 * (storage/widget-db.ts). "Pending, by due time" is the order everywhere: rows with
 * state 'pending', by nextAttemptAt, then uuid. Nothing is ever deleted.
 */
export interface OutboxStore<R extends OutboxFields = OutboxRow> {
  /** The database's name: one sender at a time per name (lock.ts). */
  readonly name: string;
  /**
   * In one transaction: up to `limit` pending rows due by `horizon` (nextAttemptAt ≤ horizon), in
   * due order, written back claimed (attempts + 1, nextAttemptAt = leaseUntil, lastAttemptAt = at);
   * returns them as written.
   */
  lease(horizon: number, limit: number, leaseUntil: number, at: number, target?: string): Promise<R[]>;
  /** Marks these rows sent at `at` and clears their last error. */
  markSent(uuids: readonly string[], at: number): Promise<void>;
  /** Sets when each row may be tried again and why it failed (attempts were counted by `lease`; `attempts` sets them back). */
  reschedule(rows: readonly { uuid: string; nextAttemptAt: number; lastError: string; attempts?: number }[]): Promise<void>;
  /** Every pending row due before `until` (nextAttemptAt < until) waits until `until`, attempts unchanged. */
  defer(until: number, target?: string): Promise<void>;
  /** nextAttemptAt of the first pending row, if any. */
  nextDueAt(target?: string): Promise<number | undefined>;
  /** Of these uuids, the rows still pending, with their nextAttemptAt (a revision waits for what it revises). */
  pendingAmong(uuids: readonly string[]): Promise<Map<string, number>>;
  /** Pending count and the latest failure among the pending rows. */
  status(): Promise<OutboxStatus>;
  /** Calls back with the status now and after every change of the rows, from any tab or worker of the origin. */
  watch(listener: (status: OutboxStatus) => void): () => void;
}

/**
 * Whether a row may go to `target`: every row when the sender names no target (the extension);
 * else rows made for that endpoint, and rows from before the binding (no `target` at all).
 */
export function forTarget(row: OutboxFields, target: string | undefined): boolean {
  return target === undefined || row.target === undefined || row.target === target;
}

/** Folds one pending row into a status (the same rule for every store). */
export function countPending(status: OutboxStatus, row: OutboxFields): void {
  status.pending++;
  if (row.lastError && (row.lastAttemptAt ?? 0) >= (status.lastErrorAt ?? 0)) {
    status.lastError = row.lastError;
    status.lastErrorAt = row.lastAttemptAt;
  }
}

/** An OutboxService over a store; `kick` is how this shell wakes its sender. */
export function outboxService(store: OutboxStore<OutboxFields>, kick: () => void): OutboxService {
  return { status: () => store.status(), subscribe: (listener) => store.watch(listener), kick };
}
