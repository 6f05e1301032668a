/**
 * One sender at a time per database. Web Locks (`navigator.locks`) are shared by every document
 * and worker of an origin (the background and any sidebar; the widget's host tabs) and are
 * released when the holder dies, e.g. an MV3 service worker stopped mid-send. Where they are
 * missing (Node tests, old browsers) an in-process queue stands in; the claim lease written before
 * each send (see drain.ts) still keeps other processes off a batch in flight.
 */
interface LockManagerLike {
  request<T>(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

const held = new Set<string>();

/** Runs `task` holding the lock, or returns `busy` at once if another sender holds it. */
export async function withSenderLock<T>(name: string, task: () => Promise<T>, busy: T): Promise<T> {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  if (locks?.request) return locks.request(name, { ifAvailable: true }, (lock) => (lock ? task() : Promise.resolve(busy)));
  if (held.has(name)) return busy;
  held.add(name);
  try {
    return await task();
  } finally {
    held.delete(name);
  }
}
