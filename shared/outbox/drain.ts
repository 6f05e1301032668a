import type { HurenDb } from '../storage/db';
import { dexieOutboxStore } from './dexie-store';
import { sendOutbox, type DrainResult, type SendOptions } from './sender';
import type { OutboxStore } from './store';

export { DEFAULT_BATCH_SIZE, DEFAULT_TIMEOUT_MS, EVENTS_STREAM, FEEDBACK_STREAM, sendOutbox, type DrainResult, type SendOptions } from './sender';
export type { OutboxRow, OutboxStore } from './store';

/** The sender's options with the extension's Dexie database (or any OutboxStore). */
export type DrainOptions = Omit<SendOptions, 'store'> & ({ db: HurenDb; store?: undefined } | { store: OutboxStore; db?: undefined });

/**
 * Drains a Dexie database's outbox (the extension's background): `sendOutbox` over
 * `dexieOutboxStore(db)`. The widget uses `sendOutbox` with its own store, without Dexie.
 */
export function drainOutbox(options: DrainOptions): Promise<DrainResult> {
  const { db, store, ...rest } = options;
  return sendOutbox({ ...rest, store: store ?? dexieOutboxStore(db!) });
}
