import { browser } from 'wxt/browser';
import type { AuditInput, AuditLog } from '../../shared/audit/event';
import type { Decision } from '../../shared/domain/decision';
import type { PatientIdentifier } from '../../shared/domain/encounter';
import type { DecisionStore } from '../../shared/decisions/store';
import type { OutboxService, OutboxStatus } from '../../shared/outbox/status';
import type { ResultsCachePort } from '../../shared/results/cached-source';
import type { ResultsFetch } from '../../shared/results/source';
import { STORE, type StoreReply } from '../storage-bridge/protocol';
import type { PaperReport, PaperStore } from '../../shared/paper/paper-report';
import type { ConsentRecord, ConsentStore } from '../../shared/consent/consent';

/** Thrown when the background could not store or read; the name says what, never the data. */
export class BridgeError extends Error {
  override name = 'BridgeError';
}

async function ask<T>(request: { type: string } & Record<string, unknown>): Promise<T> {
  const reply = (await browser.runtime.sendMessage(request)) as StoreReply<T> | undefined;
  if (!reply) throw new BridgeError('no reply from the background');
  if (!reply.ok) throw new BridgeError(reply.error);
  return reply.value;
}

/** Decisions saved by the background; `save` resolves once its IndexedDB transaction committed. */
export const remoteDecisionStore: DecisionStore = {
  save: async (decision: Decision) => void (await ask<boolean>({ type: STORE.saveDecision, decision })),
  forPatient: (patient: PatientIdentifier) => ask<Decision[]>({ type: STORE.decisionsFor, patient }),
};

export const remoteResultsCache: ResultsCachePort = {
  put: async (patient, fetch, sourceId) => void (await ask<boolean>({ type: STORE.cachePut, patient, fetch, sourceId })),
  get: async (patient, _now, sourceId) => (await ask<ResultsFetch | null>({ type: STORE.cacheGet, patient, sourceId })) ?? undefined,
  // The background purges expired entries on every put.
  purgeExpired: async () => 0,
};

export const remoteAuditLog: AuditLog = {
  record: async (input: AuditInput) => {
    await ask<boolean>({ type: STORE.audit, event: { ...input, at: input.at ?? new Date().toISOString() } });
  },
};

/** Paper reports kept by the background (one IndexedDB transaction per report). */
export const remotePaperStore: PaperStore = {
  save: async (report) => void (await ask<boolean>({ type: STORE.paperSave, report })),
  forPatient: (patient) => ask<PaperReport[]>({ type: STORE.paperFor, patient }),
};

/** Consents kept by the background; the background's clock decides what is still valid. */
export const remoteConsentStore: ConsentStore = {
  current: (patient) => ask<ConsentRecord | null>({ type: STORE.consentGet, patient }),
  record: async (consent) => void (await ask<boolean>({ type: STORE.consentRecord, consent })),
};

/**
 * The platform token as set on the options page, from the background: framed in the EMR page, the
 * sidebar cannot open the extension's IndexedDB where it is kept (settings/secrets.ts).
 */
export const remotePlatformToken = async (): Promise<{ token?: unknown }> => ask<{ token?: unknown }>({ type: STORE.platformToken });

const POLL_MS = 5_000;

/** Outbox status from the background (the sender runs there); polled while the panel shows it. */
export const remoteOutbox: OutboxService = {
  status: () => ask<OutboxStatus>({ type: STORE.outboxStatus }),
  subscribe(listener) {
    let stopped = false;
    const tick = () => {
      if (stopped) return;
      void remoteOutbox.status().then(listener, () => undefined).finally(() => {
        if (!stopped) timer = setTimeout(tick, POLL_MS);
      });
    };
    let timer = setTimeout(tick, 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  },
  kick: () => undefined, // the background kicks its sender on every saved decision
};
