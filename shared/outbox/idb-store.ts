import { countPending, forTarget, type EventOutboxRow, type OutboxFields, type OutboxRow, type OutboxStatus, type OutboxStore } from './store';
import { each, on } from '../storage/idb-lite';
import type { WidgetDb } from '../storage/widget-db';

/** Pending rows due by `upTo` (before it, when `open`), on the [state, nextAttemptAt] index. */
const due = (upTo: number, open = false) => IDBKeyRange.bound(['pending', -Infinity], ['pending', upTo], false, open);

/** The widget's events outbox: the `events` store of its database, with a sender of its own. */
export function idbEventOutbox(db: WidgetDb): OutboxStore<EventOutboxRow> {
  return idbOutboxStore<EventOutboxRow>(db, 'events');
}

/** The widget's outbox: the `decisions` store of its own IndexedDB database (no Dexie), or `events`. */
export function idbOutboxStore(db: WidgetDb): OutboxStore<OutboxRow>;
export function idbOutboxStore<R extends OutboxFields>(db: WidgetDb, storeName: 'events'): OutboxStore<R>;
export function idbOutboxStore(db: WidgetDb, storeName: 'decisions' | 'events' = 'decisions'): OutboxStore<OutboxFields> {
  type OutboxRow = OutboxFields;
  const index = (tx: IDBTransaction) => tx.objectStore(storeName).index('due');
  /** Applies `change` to each row (by uuid) in one transaction. */
  const update = (uuids: readonly string[], change: (row: OutboxRow, i: number) => void) =>
    db.tx(storeName, 'readwrite', (tx) => {
      const store = tx.objectStore(storeName);
      uuids.forEach((uuid, i) =>
        on(store.get(uuid) as IDBRequest<OutboxRow | undefined>, (row) => {
          if (!row) return;
          change(row, i);
          store.put(row);
        }),
      );
    });
  const status = async (): Promise<OutboxStatus> => {
    const status: OutboxStatus = { pending: 0 };
    for (const row of await db.read(storeName, (s) => s.index('due').getAll(due(Infinity)) as IDBRequest<OutboxRow[]>)) countPending(status, row);
    return status;
  };
  return {
    name: storeName === 'decisions' ? db.name : `${db.name}/${storeName}`,
    lease(horizon, limit, leaseUntil, at, target) {
      let leased: OutboxRow[] = [];
      return db.tx(storeName, 'readwrite', (tx) => {
        on(index(tx).getAll(due(horizon), target === undefined ? limit : undefined) as IDBRequest<OutboxRow[]>, (all) => {
          const rows = all.filter((r) => forTarget(r, target)).slice(0, limit);
          leased = rows.map((r) => ({ ...r, attempts: r.attempts + 1, nextAttemptAt: leaseUntil, lastAttemptAt: at }));
          for (const row of leased) tx.objectStore(storeName).put(row);
        });
        return () => leased;
      });
    },
    markSent: (uuids, at) =>
      update(uuids, (row) => {
        row.state = 'sent';
        row.sentAt = at;
        delete row.lastError;
      }),
    reschedule: (rows) =>
      update(
        rows.map((r) => r.uuid),
        (row, i) => {
          row.nextAttemptAt = rows[i]!.nextAttemptAt;
          row.lastError = rows[i]!.lastError;
          if (rows[i]!.attempts !== undefined) row.attempts = rows[i]!.attempts!;
        },
      ),
    defer: (until, target) =>
      db.tx(storeName, 'readwrite', (tx) => {
        // The updated rows move to `until`, past the open upper bound: the cursor does not meet them again.
        each(index(tx), due(until, true), (cursor) => void (forTarget(cursor.value as OutboxRow, target) && cursor.update({ ...cursor.value, nextAttemptAt: until })));
      }),
    nextDueAt: async (target) =>
      target === undefined
        ? (await db.read(storeName, (s) => s.index('due').get(due(Infinity)) as IDBRequest<OutboxRow | undefined>))?.nextAttemptAt
        : (await db.read(storeName, (s) => s.index('due').getAll(due(Infinity)) as IDBRequest<OutboxRow[]>)).find((r) => forTarget(r, target))?.nextAttemptAt,
    pendingAmong: async (uuids) => {
      const found = new Map<string, number>();
      await db.tx(storeName, 'readonly', (tx) => {
        for (const uuid of uuids) on(tx.objectStore(storeName).get(uuid) as IDBRequest<OutboxRow | undefined>, (row) => void (row?.state === 'pending' && found.set(uuid, row.nextAttemptAt)));
      });
      return found;
    },
    status,
    watch(listener) {
      let latest = 0;
      let live = true;
      const emit = () => {
        const n = ++latest;
        // Reads can finish out of order: only the latest is passed on.
        status().then((s) => live && n === latest && listener(s), () => undefined);
      };
      const stop = db.changes.listen(emit);
      emit();
      return () => {
        live = false;
        stop();
      };
    },
  };
}
