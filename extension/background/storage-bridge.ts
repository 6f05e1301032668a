import { DexieAuditLog } from '../../shared/audit/dexie-audit-log';
import { readOutboxStatus } from '../../shared/outbox/status';
import { DexieDecisionStore } from '../../shared/storage/decision-store';
import { HurenDb } from '../../shared/storage/db';
import { ResultsCache } from '../../shared/storage/results-cache';
import { DexieConsentStore, DexiePaperStore } from '../../shared/storage/paper-consent-stores';
import { isStoreMessage, STORE, StoreRequest, type StoreReply } from '../storage-bridge/protocol';
import { kickOutbox } from './sync-messages';
import { loadSettings } from '../settings/settings';
import { readSecrets } from '../settings/secrets';
import { deliveryTarget } from '../../shared/hub/delivery';
import { fromExtensionPage, fromSidebar, type MessageHandler, type Sender } from './senders';
import { EXT, type Decision } from '../../shared/domain/decision';
import { checkPatient } from '../../shared/domain/patient-check';
import { patientKey } from '../../shared/ui/panel/patient-key';
import { contextKey } from '../messaging/protocol';
import { StoredContext } from './context-store';
import { fromBoundSidebar } from './sidebar-auth';
import { browser } from 'wxt/browser';

// One connection per worker life: a handle, not state (everything lives in IndexedDB).
let db: HurenDb | undefined;
const open = () => (db ??= new HurenDb());

/** The receiving hospital, when events have somewhere to go (a hub or endpoint is set); null keeps them local only. */
async function hubHospital(): Promise<string | null> {
  const settings = await loadSettings();
  return deliveryTarget(settings).endpoint ? settings.receivingInstitution : null;
}

async function handle(request: StoreRequest): Promise<unknown> {
  const database = open();
  switch (request.type) {
    case STORE.saveDecision:
      await new DexieDecisionStore(database).save(request.decision);
      kickOutbox();
      return true;
    case STORE.decisionsFor:
      return new DexieDecisionStore(database).forPatient(request.patient);
    case STORE.cacheGet:
      return (await new ResultsCache({ db: database }).get(request.patient, new Date(), request.sourceId)) ?? null;
    case STORE.cachePut: {
      const cache = new ResultsCache({ db: database });
      await cache.put(request.patient, request.fetch, request.sourceId);
      await cache.purgeExpired();
      return true;
    }
    case STORE.audit:
      await new DexieAuditLog(database, { hub: { hospital: hubHospital, queued: kickOutbox } }).record(request.event);
      return true;
    case STORE.outboxStatus:
      return readOutboxStatus(database);
    case STORE.paperSave:
      await new DexiePaperStore(database).save(request.report);
      return true;
    case STORE.paperFor:
      return new DexiePaperStore(database).forPatient(request.patient);
    case STORE.consentGet:
      return new DexieConsentStore(database).current(request.patient, new Date());
    case STORE.consentRecord:
      await new DexieConsentStore(database).record(request.consent);
      return true;
    case STORE.platformToken: {
      // Only the platform's token (the sidebar asks the platform itself); the hub's never leaves the background.
      const { token } = await readSecrets();
      return token === undefined ? {} : { token };
    }
  }
}

/**
 * Storage for the sidebar, done here in the extension's own origin. Only our extension pages
 * may ask; every request is validated, and errors come back by name, never with data.
 */
export const handleStorageMessage: MessageHandler = (message, sender) => {
  if (!isStoreMessage(message)) return undefined;
  if (!fromExtensionPage(sender)) return Promise.resolve({ ok: false, error: 'forbidden' } satisfies StoreReply);
  const parsed = StoreRequest.safeParse(message);
  if (!parsed.success) return Promise.resolve({ ok: false, error: `invalid: ${parsed.error.issues[0]?.path.join('.')}` } satisfies StoreReply);
  return trusted(sender).then(async (ok) => {
    if (!ok) return { ok: false, error: 'forbidden' } satisfies StoreReply;
    if (parsed.data.type === STORE.saveDecision && !(await tabPatientAllows(sender, parsed.data.decision))) return { ok: false, error: 'wrong-patient' } satisfies StoreReply;
    return answer(parsed.data);
  });
};

/**
 * The decision boundary in the background (患者身份核对): a sidebar stores a decision only for the
 * patient its tab's page shows now, and only when that patient does not contradict its own
 * 身份证号 (sex, age). The panel refuses too, and also on the platform's word; this is the check
 * that holds whatever the sidebar sends.
 */
async function tabPatientAllows(sender: Sender, decision: Decision): Promise<boolean> {
  if (!fromSidebar(sender)) return true; // our own pages (statistics, options) store no decisions of a tab
  const key = contextKey(sender.tab.id);
  const stored = StoredContext.safeParse((await browser.storage.session.get(key))[key]);
  const context = stored.success ? stored.data.context : null;
  if (!context) return false;
  if (patientKey(decision.extension[EXT].patient) !== patientKey(context.patient.identifier)) return false;
  return checkPatient(context.patient, undefined, new Date()).verdict !== 'mismatch';
}

/**
 * Our own top-level pages (options, statistics), or the sidebar Huren injected in its tab. A copy
 * of the sidebar page that some other page framed has neither: it reads and stores nothing.
 */
async function trusted(sender: Sender): Promise<boolean> {
  const tabUrl = sender.tab?.url;
  if (sender.frameId === 0 && (tabUrl === undefined || tabUrl.startsWith(browser.runtime.getURL('/')))) return true;
  if (sender.tab === undefined) return true;
  return fromBoundSidebar(sender);
}

function answer(request: StoreRequest): Promise<StoreReply> {
  return handle(request).then(
    (value): StoreReply => ({ ok: true, value }),
    (err: unknown): StoreReply => ({ ok: false, error: (err as Error)?.name ?? 'Error' }),
  );
}
