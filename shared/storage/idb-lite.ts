/**
 * A very small promise layer over IndexedDB, for the widget (no Dexie: the widget's bundle has a
 * size budget). Requests inside a transaction are chained with callbacks, not awaited, so a
 * transaction never commits early between two of them; a transaction's promise settles on its
 * `complete` (durable) or `error`/`abort` event.
 */

/** Creates or migrates object stores, from `oldVersion` (0 for a new database) to the version opened. */
export type Upgrade = (db: IDBDatabase, oldVersion: number, tx: IDBTransaction) => void;

/** Opens `name` at `version`, running `upgrade` when the stored version is older. */
export function openDb(name: string, version: number, upgrade: Upgrade): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, version);
    request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion, request.transaction!);
    request.onsuccess = () => {
      resolve(request.result);
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error(`IndexedDB ${name}: upgrade blocked by another tab`));
  });
}

/** A request's result, for one-shot reads outside a transaction's other requests. */
export function req<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Calls `then` with a request's result, inside its transaction (where further requests may be made). */
export function on<T>(request: IDBRequest<T>, then: (result: T) => void): void {
  request.onsuccess = () => then(request.result);
}

/**
 * Runs `body` in a transaction over `stores` and resolves with what `body` returned (a getter is
 * called once the transaction completed) after `complete`; rejects on error or abort.
 */
export function transact<T = void>(db: IDBDatabase, stores: string | string[], mode: IDBTransactionMode, body: (tx: IDBTransaction) => (() => T) | void): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(stores, mode, { durability: 'strict' } as IDBTransactionOptions);
    let result: (() => T) | void;
    tx.oncomplete = () => resolve(result ? result() : (undefined as T));
    // The failed request's error (tx.error is set only once the abort follows).
    tx.onerror = (event) => reject((event.target as IDBRequest | null)?.error ?? tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    try {
      result = body(tx);
    } catch (err) {
      tx.abort();
      reject(err);
    }
  });
}

/** Visits each record of `source` in `range` in key order; `visit` returns false to stop. Inside a transaction. */
export function each(source: IDBObjectStore | IDBIndex, range: IDBKeyRange | null, visit: (cursor: IDBCursorWithValue) => boolean | void, done?: () => void): void {
  on(source.openCursor(range), (cursor) => {
    if (cursor && visit(cursor) !== false) cursor.continue();
    else done?.();
  });
}

const local = new Map<string, Set<() => void>>();
/** This document, in change messages (a BroadcastChannel also reaches the sender's other channels). */
const SELF = Math.random().toString(36).slice(2);

/**
 * Tells the other documents of the origin (and this one) that `name` changed, for live views
 * such as the outbox status. Dexie does the same for its own databases.
 */
export function changes(name: string): { notify(): void; listen(listener: () => void): () => void } {
  const topic = `huren-idb-lite:${name}`;
  const listeners = local.get(topic) ?? new Set<() => void>();
  local.set(topic, listeners);
  const Channel = globalThis.BroadcastChannel as typeof BroadcastChannel | undefined;
  return {
    notify() {
      for (const l of [...listeners]) l();
      if (Channel) {
        const channel = new Channel(topic);
        channel.postMessage(SELF);
        channel.close();
      }
    },
    listen(listener) {
      listeners.add(listener);
      const channel = Channel ? new Channel(topic) : undefined;
      // Other documents' writes; this document's listeners were called directly.
      if (channel) channel.onmessage = (event: MessageEvent) => event.data !== SELF && listener();
      return () => {
        listeners.delete(listener);
        channel?.close();
      };
    },
  };
}
