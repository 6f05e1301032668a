import Dexie, { liveQuery, type Table } from 'dexie';
import type { HurenDb } from '../storage/db';
import { countPending, forTarget, type EventOutboxRow, type OutboxFields, type OutboxRow, type OutboxStatus, type OutboxStore } from './store';

/**
 * An outbox over a Dexie table with a [state+nextAttemptAt] index: the extension's `decisions`
 * (the default) or its `events`. `name` keys the sender lock, so each table has its own sender.
 */
export function dexieOutboxStore(db: HurenDb): OutboxStore<OutboxRow>;
export function dexieOutboxStore<R extends OutboxFields>(db: HurenDb, table: Table<R, string>, name: string): OutboxStore<R>;
export function dexieOutboxStore(db: HurenDb, table?: Table<OutboxFields, string>, name?: string): OutboxStore<OutboxFields> {
  const rows = table ?? (db.decisions as unknown as Table<OutboxFields, string>);
  const pending = (upTo: unknown = Dexie.maxKey, includeUpper = true) =>
    rows.where('[state+nextAttemptAt]').between(['pending', Dexie.minKey], ['pending', upTo], true, includeUpper);
  const status = async (): Promise<OutboxStatus> => {
    const status: OutboxStatus = { pending: 0 };
    await pending().each((row: OutboxFields) => countPending(status, row));
    return status;
  };
  return {
    get name() {
      return name ?? db.name;
    },
    lease: (horizon, limit, leaseUntil, at, target) =>
      db.transaction('rw', rows, async () => {
        const due = await pending(horizon).filter((r) => forTarget(r, target)).limit(limit).toArray();
        const leased = due.map((r) => ({ ...r, attempts: r.attempts + 1, nextAttemptAt: leaseUntil, lastAttemptAt: at }));
        await rows.bulkPut(leased);
        return leased;
      }),
    markSent: (uuids, at) =>
      db.transaction('rw', rows, async () => {
        for (const uuid of uuids) await rows.update(uuid, { state: 'sent', sentAt: at, lastError: undefined });
      }),
    reschedule: (changes) =>
      db.transaction('rw', rows, async () => {
        for (const r of changes) await rows.update(r.uuid, { nextAttemptAt: r.nextAttemptAt, lastError: r.lastError, ...(r.attempts !== undefined ? { attempts: r.attempts } : {}) });
      }),
    defer: async (until, target) => {
      await pending(until, false).filter((r) => forTarget(r, target)).modify({ nextAttemptAt: until });
    },
    nextDueAt: async (target) => (await pending().filter((r) => forTarget(r, target)).first())?.nextAttemptAt,
    pendingAmong: async (uuids) => {
      const found = await rows.bulkGet([...uuids]);
      return new Map(found.filter((r): r is OutboxFields => r?.state === 'pending').map((r) => [r.uuid, r.nextAttemptAt]));
    },
    status,
    watch(listener) {
      const subscription = liveQuery(status).subscribe({ next: listener, error: () => {} });
      return () => subscription.unsubscribe();
    },
  };
}

/** The extension's events outbox (the hub's other streams), with a sender of its own. */
export function dexieEventOutbox(db: HurenDb): OutboxStore<EventOutboxRow> {
  return dexieOutboxStore<EventOutboxRow>(db, db.events as Table<EventOutboxRow, string>, `${db.name}/events`);
}
