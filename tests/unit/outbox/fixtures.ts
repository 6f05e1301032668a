import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXT, RECOGNIZE_SUGGESTION, RETEST_REASON_SYSTEM, type Decision } from '../../../shared/domain/decision';
import type { DecisionStore } from '../../../shared/decisions/store';
import { dexieOutboxStore } from '../../../shared/outbox/dexie-store';
import { idbOutboxStore } from '../../../shared/outbox/idb-store';
import type { OutboxRow, OutboxStore } from '../../../shared/outbox/store';
import { HurenDb } from '../../../shared/storage/db';
import { DexieDecisionStore } from '../../../shared/storage/decision-store';
import { IdbDecisionStore } from '../../../shared/storage/idb-stores';
import { transact } from '../../../shared/storage/idb-lite';
import { WidgetDb } from '../../../shared/storage/widget-db';
import { FeedbackEndpoint, type FeedbackFaults } from '../../../demo/server/feedback';

let dbCount = 0;

/** A fresh database per test (fake-indexeddb), with the store the panel saves through. */
export function freshStore(): { db: HurenDb; store: DexieDecisionStore } {
  const db = new HurenDb(`outbox-test-${++dbCount}`);
  return { db, store: new DexieDecisionStore(db) };
}

/** The i-th of a run of decisions: recognitions, every third a re-test with a reason. */
export function decision(i: number): Decision {
  const base = {
    uuid: crypto.randomUUID(),
    card: crypto.randomUUID(),
    outcomeTimestamp: new Date(Date.UTC(2026, 10, 22, 1, 0, i % 60)).toISOString(),
    extension: {
      [EXT]: {
        patient: { system: 'urn:oid:2.16.156.10011.1.1', value: `44080119800101${String(1000 + (i % 9000)).padStart(4, '0')}` },
        item: { id: 'K', name: '血钾', category: 'lab' as const },
        result: { id: `obs-${i}`, date: '2026-11-20' },
        issuer: { id: 'zj-zxyy', name: '湛江中心人民医院' },
        practitioner: { physician: '李医生', department: '心内科' },
        pack: { id: 'demo', version: '1.0.0' },
        trigger: 'order-select' as const,
      },
    },
  };
  return i % 3 === 2
    ? { ...base, outcome: 'overridden', overrideReason: { reason: { system: RETEST_REASON_SYSTEM, code: 'RT-1', display: '病情变化' } } }
    : { ...base, outcome: 'accepted', acceptedSuggestions: [{ id: RECOGNIZE_SUGGESTION }] };
}

/** One outbox database under test, whichever storage keeps it. */
export interface Outbox {
  store: DecisionStore;
  outbox: OutboxStore;
  /** What drainOutbox is given: the Dexie database as the extension passes it, or the store. */
  target: { db: HurenDb } | { store: OutboxStore };
  /** Another connection to the same database (a second tab or worker). */
  other(): { db: HurenDb } | { store: OutboxStore };
  rows(): Promise<OutboxRow[]>;
  row(uuid: string): Promise<OutboxRow | undefined>;
  /** Changes a stored row as another version of the code might have written it. */
  patch(uuid: string, change: (row: OutboxRow) => void): Promise<void>;
}

/** The extension's Dexie database, and the widget's plain IndexedDB one. */
export const OUTBOXES: { name: string; fresh(): Outbox }[] = [
  {
    name: 'dexie',
    fresh() {
      const { db, store } = freshStore();
      return {
        store,
        outbox: dexieOutboxStore(db),
        target: { db },
        other: () => ({ db: new HurenDb(db.name) }),
        rows: async () => (await db.decisions.toArray()) as OutboxRow[],
        row: async (uuid) => (await db.decisions.get(uuid)) as OutboxRow | undefined,
        patch: async (uuid, change) => {
          await db.decisions.where('uuid').equals(uuid).modify((row) => change(row as OutboxRow));
        },
      };
    },
  },
  {
    name: 'idb (widget)',
    fresh() {
      const db = new WidgetDb(`outbox-idb-test-${++dbCount}`);
      const outbox = idbOutboxStore(db);
      const all = () => db.read('decisions', (s) => s.getAll() as IDBRequest<OutboxRow[]>);
      return {
        store: new IdbDecisionStore(db),
        outbox,
        target: { store: outbox },
        other: () => ({ store: idbOutboxStore(new WidgetDb(db.name)) }),
        rows: all,
        row: (uuid) => db.read('decisions', (s) => s.get(uuid) as IDBRequest<OutboxRow | undefined>),
        patch: async (uuid, change) =>
          transact(await db.open(), 'decisions', 'readwrite', (tx) => {
            const s = tx.objectStore('decisions');
            const get = s.get(uuid) as IDBRequest<OutboxRow>;
            get.onsuccess = () => {
              change(get.result);
              s.put(get.result);
            };
          }).then(() => db.changes.notify()),
      };
    },
  },
];

export async function saveMany(store: DecisionStore, count: number): Promise<Decision[]> {
  const all = Array.from({ length: count }, (_, i) => decision(i));
  for (const d of all) await store.save(d);
  return all;
}

export interface TestEndpoint {
  /** CDS service base: the outbox posts to `${base}/feedback`. */
  base: string;
  endpoint: FeedbackEndpoint;
  faults: FeedbackFaults;
  close(): Promise<void>;
}

/** The demo's feedback endpoint behind a real local HTTP server. */
export async function startEndpoint(): Promise<TestEndpoint> {
  const faults: FeedbackFaults = {};
  const endpoint = new FeedbackEndpoint(() => faults);
  const server: Server = createServer((req, res) => void endpoint.handle(req, res, new URL(req.url ?? '/', 'http://x').pathname));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/cds-services/huren`,
    endpoint,
    faults,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** Node's fetch, counting requests and the entries in each batch. */
export function countingFetch(): { fetch: typeof fetch; requests: number[] } {
  const requests: number[] = [];
  return {
    requests,
    fetch: async (input, init) => {
      requests.push((JSON.parse(String(init?.body)) as { feedback: unknown[] }).feedback.length);
      return fetch(input, init);
    },
  };
}
