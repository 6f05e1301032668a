import type { DecisionStore } from '../decisions/store';
import { sendOutbox, type SendOptions } from './sender';
import type { OutboxFields } from './store';

/** How often a page sender looks for due decisions while the page is open. */
export const PAGE_INTERVAL_MS = 30_000;

interface Sender {
  kick(): void;
}

const senders = new Map<string, Sender>();

/**
 * The outbox sender of a page with no background (the widget in the host EMR): drains on a timer,
 * when the browser comes back online, and when kicked after a save. One per database and
 * endpoint for the page's lifetime, however often the widget is re-mounted; other tabs of the
 * same origin run their own and the sender lock keeps them from sending the same batch.
 * Decisions left when the page closes are sent by the next page that opens the widget.
 */
export function pageSender<R extends OutboxFields>(options: Omit<SendOptions<R>, 'now' | 'random'> & { intervalMs?: number }): Sender {
  const key = `${options.store.name}|${options.endpoint}`;
  const existing = senders.get(key);
  if (existing) return existing;
  const run = coalescing(() => sendOutbox(options).then(() => undefined, () => undefined));
  const sender = { kick: () => void run() };
  senders.set(key, sender);
  setInterval(sender.kick, options.intervalMs ?? PAGE_INTERVAL_MS);
  globalThis.addEventListener?.('online', sender.kick);
  sender.kick();
  return sender;
}

/**
 * Wraps a drain so that calls while it runs do not start a second one but one more pass after it:
 * a decision saved just as a drain finished is not left for the next timer.
 */
export function coalescing(task: () => Promise<void>): () => Promise<void> {
  let current: Promise<void> | null = null;
  let again = false;
  const loop = async () => {
    try {
      do {
        again = false;
        await task();
      } while (again);
    } finally {
      current = null;
    }
  };
  return () => {
    if (current) again = true;
    else current = loop();
    return current;
  };
}

/** A store that asks the sender to try right after each durable save. */
export function kickAfterSave(store: DecisionStore, kick: () => void): DecisionStore {
  return {
    save: async (decision) => {
      await store.save(decision);
      kick();
    },
    forPatient: (patient) => store.forPatient(patient),
  };
}

