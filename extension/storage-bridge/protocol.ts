import { z } from 'zod';
import { AuditEvent } from '../../shared/audit/event';
import { PlatformPatient } from '../../shared/domain/patient-check';
import { Decision } from '../../shared/domain/decision';
import { PatientIdentifier } from '../../shared/domain/encounter';
import { ExternalResult } from '../../shared/domain/external-result';
import { PaperReport } from '../../shared/paper/paper-report';
import { ConsentRecord } from '../../shared/consent/consent';

/**
 * The sidebar keeps no storage of its own: framed inside an EMR page it is a third-party
 * context, where Chromium blocks (or partitions) IndexedDB. It asks the background, whose
 * extension-origin database is the one the outbox sender and the statistics page read.
 */
export const STORE = {
  saveDecision: 'huren/store/save-decision',
  decisionsFor: 'huren/store/decisions-for',
  cacheGet: 'huren/store/cache-get',
  cachePut: 'huren/store/cache-put',
  audit: 'huren/store/audit',
  outboxStatus: 'huren/store/outbox-status',
  paperSave: 'huren/store/paper-save',
  paperFor: 'huren/store/paper-for',
  consentGet: 'huren/store/consent-get',
  consentRecord: 'huren/store/consent-record',
  /** The platform token set on the options page (kept in the background's IndexedDB, never in storage.local). */
  platformToken: 'huren/store/platform-token',
} as const;

const Fetch = z.object({
  patientFound: z.boolean(),
  patient: PlatformPatient.optional(),
  results: z.array(ExternalResult).max(20_000),
  unreadable: z.number().int().nonnegative(),
  fetchedAt: z.iso.datetime({ offset: true }),
});

export const StoreRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal(STORE.saveDecision), decision: Decision }),
  z.object({ type: z.literal(STORE.decisionsFor), patient: PatientIdentifier }),
  z.object({ type: z.literal(STORE.cacheGet), patient: PatientIdentifier, sourceId: z.string().optional() }),
  z.object({ type: z.literal(STORE.cachePut), patient: PatientIdentifier, fetch: Fetch, sourceId: z.string().optional() }),
  z.object({ type: z.literal(STORE.audit), event: AuditEvent }),
  z.object({ type: z.literal(STORE.outboxStatus) }),
  z.object({ type: z.literal(STORE.paperSave), report: PaperReport }),
  z.object({ type: z.literal(STORE.paperFor), patient: PatientIdentifier }),
  z.object({ type: z.literal(STORE.consentGet), patient: PatientIdentifier }),
  z.object({ type: z.literal(STORE.consentRecord), consent: ConsentRecord }),
  z.object({ type: z.literal(STORE.platformToken) }),
]);
export type StoreRequest = z.infer<typeof StoreRequest>;

/** Every reply: ok with a value, or not ok with an error name (never data). */
export type StoreReply<T = unknown> = { ok: true; value: T } | { ok: false; error: string };

export const isStoreMessage = (message: unknown): boolean =>
  typeof (message as { type?: unknown } | null)?.type === 'string' && ((message as { type: string }).type as string).startsWith('huren/store/');
