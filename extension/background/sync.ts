import { browser } from 'wxt/browser';
import { drainOutbox, EVENTS_STREAM, sendOutbox, type DrainResult } from '../../shared/outbox/drain';
import { dexieEventOutbox } from '../../shared/outbox/dexie-store';
import { deliveryTarget } from '../../shared/hub/delivery';
import { coalescing } from '../../shared/outbox/page-sender';
import { HurenDb } from '../../shared/storage/db';
import { loadSettings } from '../settings/settings';
import { fromExtensionPage, messageType, type MessageHandler } from './senders';
import { OUTBOX_KICK, setBackgroundKick, type SyncReply } from './sync-messages';

/** Periodic wake-up: Chrome fires it at most every 30 s for a packed extension; once a minute is enough. */
export const OUTBOX_ALARM = 'huren-outbox';
/** One-shot wake-up at the next decision's due time, when that comes before the periodic one. */
export const OUTBOX_RETRY_ALARM = 'huren-outbox-retry';
const PERIOD_MINUTES = 1;

let db: HurenDb | undefined;
let last: DrainResult | null = null;

/**
 * Sends the outbox from the background. Nothing lives in globals but a database handle and the
 * last result: a stopped worker loses neither decisions nor schedule (both are in IndexedDB and
 * chrome.alarms), and each start drains whatever a stopped worker or a closed browser left.
 */
async function drainOnce(): Promise<void> {
  last = null;
  const { endpoint, headers } = deliveryTarget(await loadSettings());
  if (!endpoint) return;
  db ??= new HurenDb();
  // Decisions first (the panel shows what waits), then the other streams, each with its own sender.
  last = await drainOutbox({ db, endpoint, headers });
  const events = await sendOutbox({ store: dexieEventOutbox(db), endpoint, headers, stream: EVENTS_STREAM });
  const due = Math.min(last.nextDueAt ?? Infinity, events.nextDueAt ?? Infinity);
  if (due < Date.now() + PERIOD_MINUTES * 60_000) {
    await browser.alarms.create(OUTBOX_RETRY_ALARM, { when: Math.max(due, Date.now() + 1_000) });
  }
}

const drain = coalescing(() => drainOnce().catch(() => undefined));

async function syncNow(): Promise<SyncReply> {
  await drain();
  return last ? { ok: true, sent: last.sent, failed: last.failed } : { ok: true, unconfigured: true };
}

/** Registers the alarm listener (call synchronously at start-up) and drains once now. */
export function registerSync(): void {
  setBackgroundKick(() => void drain());
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM || alarm.name === OUTBOX_RETRY_ALARM) void drain();
  });
  void browser.alarms.get(OUTBOX_ALARM).then(async (alarm) => {
    if (!alarm) await browser.alarms.create(OUTBOX_ALARM, { periodInMinutes: PERIOD_MINUTES });
  });
  void drain();
}

/** Extension pages (the sidebar after a save) kick the sender; anything else is ignored. */
export const handleSyncMessage: MessageHandler = (message, sender) => {
  if (messageType(message) !== OUTBOX_KICK || !fromExtensionPage(sender)) return undefined;
  return syncNow();
};
