import type { HurenDb } from '../storage/db';
import { dexieOutboxStore } from './dexie-store';
import { outboxService, type OutboxService, type OutboxStatus } from './store';

export { outboxService, type OutboxService, type OutboxStatus } from './store';

/** The outbox status of a Dexie database (the extension's). */
export function readOutboxStatus(db: HurenDb): Promise<OutboxStatus> {
  return dexieOutboxStore(db).status();
}

/** An OutboxService over a Dexie database; `kick` is how this shell wakes its sender. */
export function dexieOutbox(db: HurenDb, kick: () => void): OutboxService {
  return outboxService(dexieOutboxStore(db), kick);
}
