import Dexie, { liveQuery } from 'dexie';
import type { HurenDb } from '../storage/db';
import type { OutboxRow } from './drain';

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

export async function readOutboxStatus(db: HurenDb): Promise<OutboxStatus> {
  const status: OutboxStatus = { pending: 0 };
  await db.decisions
    .where('[state+nextAttemptAt]')
    .between(['pending', Dexie.minKey], ['pending', Dexie.maxKey])
    .each((row: OutboxRow) => {
      status.pending++;
      if (row.lastError && (row.lastAttemptAt ?? 0) >= (status.lastErrorAt ?? 0)) {
        status.lastError = row.lastError;
        status.lastErrorAt = row.lastAttemptAt;
      }
    });
  return status;
}

/** An OutboxService over a Dexie database; `kick` is how this shell wakes its sender. */
export function dexieOutbox(db: HurenDb, kick: () => void): OutboxService {
  return {
    status: () => readOutboxStatus(db),
    subscribe(listener) {
      const subscription = liveQuery(() => readOutboxStatus(db)).subscribe({ next: listener, error: () => {} });
      return () => subscription.unsubscribe();
    },
    kick,
  };
}
