import type { DecisionStore } from '../decisions/store';
import { sendOutbox, type SendOptions } from './sender';
import type { OutboxFields } from './store';

/** How often a page sender looks for due decisions while the page is open. */
export const PAGE_INTERVAL_MS = 30_000;

export interface PageSender {
  kick(): void;
  /** This user of the sender is done (config changed, widget unmounted); the last one stops its timer. */
  release(): void;
}

interface Running {
  kick(): void;
  users: number;
  stop(): void;
}

const senders = new Map<string, Running>();

/** Endpoints with a running page sender (tests; a removed endpoint must not keep one). */
export function runningPageSenders(): string[] {
  return [...senders.keys()];
}

/**
 * The outbox sender of a page with no background (the widget in the host EMR): drains on a timer,
 * when the browser comes back online, and when kicked after a save. One per database and
 * endpoint while something uses it, however often the widget is re-mounted; when the last user
 * releases it (the host removed or changed the endpoint, or unmounted), its timer stops and that
 * endpoint receives nothing more. Other tabs of the same origin run their own and the sender lock
 * keeps them from sending the same batch. Decisions left when the page closes are sent by the
 * next page that opens the widget with the same endpoint.
 */
export function pageSender<R extends OutboxFields>(options: Omit<SendOptions<R>, 'now' | 'random'> & { intervalMs?: number }): PageSender {
  const key = `${options.store.name}|${options.endpoint}`;
  let running = senders.get(key);
  if (!running) {
    const run = coalescing(() => sendOutbox(options).then(() => undefined, () => undefined));
    const kick = () => void (senders.get(key) === running && run());
    const timer = setInterval(kick, options.intervalMs ?? PAGE_INTERVAL_MS);
    globalThis.addEventListener?.('online', kick);
    running = {
      kick,
      users: 0,
      stop: () => {
        clearInterval(timer);
        globalThis.removeEventListener?.('online', kick);
        senders.delete(key);
      },
    };
    senders.set(key, running);
    kick();
  }
  const mine = running;
  mine.users++;
  let released = false;
  return {
    kick: () => {
      if (!released) mine.kick();
    },
    release: () => {
      if (released) return;
      released = true;
      if (--mine.users === 0) mine.stop();
    },
  };
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

