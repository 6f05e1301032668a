import { changes, openDb, transact } from './idb-lite';

/**
 * The widget's database ('huren-widget' in the hospital's origin) in plain IndexedDB: the widget
 * has no Dexie (bundle budget). Its own layout, not Dexie's:
 *
 * | store      | key                  | indexes                                                        |
 * | ---------- | -------------------- | -------------------------------------------------------------- |
 * | decisions  | uuid                 | patientKey, decidedAt, due = [state, nextAttemptAt] (outbox)   |
 * | fetches    | patientKey           | fetchedAt                                                      |
 * | results    | [patientKey, id]     | fetchedAt                                                      |
 * | audit      | id                   | at                                                             |
 * | settings   | key                  |                                                                |
 * | events     | uuid                 | at, due = [state, nextAttemptAt] (outbox of hub events, v2)    |
 * | paper      | id                   | patientKey (paper reports entered, v3)                         |
 * | consent    | patientKey           | (each patient's latest consent, v3)                            |
 *
 * Rows are those of db.ts (DecisionRow, CachedFetchRow, CachedResultRow, AuditRow, AuditSettingRow, EventRow, PaperRow, ConsentRow).
 */
export const WIDGET_DB_VERSION = 3;

/**
 * Schema history, one block per version, each run when the stored version is older. To change
 * the schema, raise WIDGET_DB_VERSION and append `if (oldVersion < 2) { … }` below: new stores
 * with db.createObjectStore, new indexes with tx.objectStore(name).createIndex, row rewrites with a
 * cursor on tx.objectStore(name) (requests only, no awaits: the upgrade transaction must stay
 * active). Never edit an old block: browsers that have that version upgrade from it.
 */
export function upgradeWidgetDb(db: IDBDatabase, oldVersion: number, _tx: IDBTransaction, newVersion = WIDGET_DB_VERSION): void {
  if (oldVersion < 1 && newVersion >= 1) {
    const decisions = db.createObjectStore('decisions', { keyPath: 'uuid' });
    decisions.createIndex('patientKey', 'patientKey');
    decisions.createIndex('decidedAt', 'decidedAt');
    decisions.createIndex('due', ['state', 'nextAttemptAt']);
    db.createObjectStore('fetches', { keyPath: 'patientKey' }).createIndex('fetchedAt', 'fetchedAt');
    db.createObjectStore('results', { keyPath: ['patientKey', 'id'] }).createIndex('fetchedAt', 'fetchedAt');
    db.createObjectStore('audit', { keyPath: 'id' }).createIndex('at', 'at');
    db.createObjectStore('settings', { keyPath: 'key' });
  }
  if (oldVersion < 2 && newVersion >= 2) {
    const events = db.createObjectStore('events', { keyPath: 'uuid' });
    events.createIndex('at', 'at');
    events.createIndex('due', ['state', 'nextAttemptAt']);
  }
  if (oldVersion < 3 && newVersion >= 3) {
    db.createObjectStore('paper', { keyPath: 'id' }).createIndex('patientKey', 'patientKey');
    db.createObjectStore('consent', { keyPath: 'patientKey' });
  }
}

export type WidgetStore = 'decisions' | 'fetches' | 'results' | 'audit' | 'settings' | 'events' | 'paper' | 'consent';

/** A lazily opened connection to a widget database, shared by its stores. */
export class WidgetDb {
  private opening: Promise<IDBDatabase> | undefined;
  /** Changes of `decisions` (for the outbox status), across the origin's tabs. */
  readonly changes: ReturnType<typeof changes>;

  constructor(readonly name: string) {
    this.changes = changes(name);
  }

  open(): Promise<IDBDatabase> {
    this.opening ??= openDb(this.name, WIDGET_DB_VERSION, upgradeWidgetDb).then(
      (db) => {
        // Another tab opening a newer version: let it upgrade; the next call here reopens.
        db.onversionchange = () => this.close();
        db.onclose = () => (this.opening = undefined);
        return db;
      },
      (err: unknown) => {
        this.opening = undefined;
        throw err;
      },
    );
    return this.opening;
  }

  /** A transaction (see idb-lite `transact`); written decisions are announced after the commit. */
  async tx<T = void>(stores: WidgetStore | WidgetStore[], mode: IDBTransactionMode, body: (tx: IDBTransaction) => (() => T) | void): Promise<T> {
    const result = await transact(await this.open(), stores, mode, body);
    if (mode === 'readwrite' && ([] as string[]).concat(stores).includes('decisions')) this.changes.notify();
    return result;
  }

  /** One read request in its own transaction. */
  read<T>(store: WidgetStore, request: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    let result: T;
    return this.tx(store, 'readonly', (tx) => {
      const r = request(tx.objectStore(store));
      r.onsuccess = () => (result = r.result);
      return () => result;
    });
  }

  close(): void {
    const opening = this.opening;
    this.opening = undefined;
    void opening?.then((db) => db.close(), () => undefined);
  }
}
