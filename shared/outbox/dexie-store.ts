import Dexie, { liveQuery } from 'dexie';
import type { HurenDb } from '../storage/db';
import { countPending, type OutboxRow, type OutboxStatus, type OutboxStore } from './store';

/** The extension's outbox: the `decisions` table of a HurenDb, by its [state+nextAttemptAt] index. */
export function dexieOutboxStore(db: HurenDb): OutboxStore {
  const pending = (upTo: unknown = Dexie.maxKey, includeUpper = true) =>
    db.decisions.where('[state+nextAttemptAt]').between(['pending', Dexie.minKey], ['pending', upTo], true, includeUpper);
  const status = async (): Promise<OutboxStatus> => {
    const status: OutboxStatus = { pending: 0 };
    await pending().each((row: OutboxRow) => countPending(status, row));
    return status;
  };
  return {
    get name() {
      return db.name;
    },
    lease: (horizon, limit, leaseUntil, at) =>
      db.transaction('rw', db.decisions, async () => {
        const rows = (await pending(horizon).limit(limit).toArray()) as OutboxRow[];
        const leased = rows.map((r) => ({ ...r, attempts: r.attempts + 1, nextAttemptAt: leaseUntil, lastAttemptAt: at }));
        await db.decisions.bulkPut(leased);
        return leased;
      }),
    markSent: (uuids, at) =>
      db.transaction('rw', db.decisions, async () => {
        for (const uuid of uuids) await db.decisions.update(uuid, { state: 'sent', sentAt: at, lastError: undefined });
      }),
    reschedule: (rows) =>
      db.transaction('rw', db.decisions, async () => {
        for (const r of rows) await db.decisions.update(r.uuid, { nextAttemptAt: r.nextAttemptAt, lastError: r.lastError });
      }),
    defer: async (until) => {
      await pending(until, false).modify({ nextAttemptAt: until });
    },
    nextDueAt: async () => (await pending().first())?.nextAttemptAt,
    status,
    watch(listener) {
      const subscription = liveQuery(status).subscribe({ next: listener, error: () => {} });
      return () => subscription.unsubscribe();
    },
  };
}
