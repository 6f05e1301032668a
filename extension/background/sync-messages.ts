import { browser } from 'wxt/browser';
import { dexieOutbox, type OutboxService } from '../../shared/outbox/status';
import type { HurenDb } from '../../shared/storage/db';

/**
 * Extension page → background: "a decision was just stored, send now". No payload: the
 * background reads the outbox itself. Reply: SyncReply (after the drain, so the worker stays up).
 */
export const OUTBOX_KICK = 'huren/outbox-kick' as const;

export interface OutboxKickMessage {
  type: typeof OUTBOX_KICK;
}

export interface SyncReply {
  ok: boolean;
  sent?: number;
  failed?: number;
  /** No feedbackEndpoint is configured: decisions stay stored here. */
  unconfigured?: boolean;
}

/** Set by the background's sync at start-up: in the worker a kick drains directly. */
let inBackground: (() => void) | undefined;
export function setBackgroundKick(kick: () => void): void {
  inBackground = kick;
}

/**
 * Wakes the background's sender, from an extension page (a message) or from the background
 * itself (a direct call: a worker's messages do not reach its own listeners). Never throws:
 * the alarm sends later anyway.
 */
export function kickOutbox(): void {
  if (inBackground) return inBackground();
  browser.runtime.sendMessage({ type: OUTBOX_KICK } satisfies OutboxKickMessage).catch(() => undefined);
}

/** PanelServices.outbox for an extension page: status from the shared database, sending by the background. */
export function extensionOutbox(db: HurenDb): OutboxService {
  return dexieOutbox(db, kickOutbox);
}
