import Dexie, { type DexieOptions, type Table } from 'dexie';
import type { Decision } from '../domain/decision';
import type { ExternalResult } from '../domain/external-result';
import type { AuditEvent } from '../audit/event';
import type { PlatformPatient } from '../domain/patient-check';
import type { HubEventEntry } from '../hub/ingest';

/**
 * Huren's IndexedDB database. Open it only in extension-origin documents (background service
 * worker, side panel, extension iframe): from a content script it would belong to the EMR page's
 * origin, readable by the page's own scripts.
 */
export const DB_NAME = 'huren';

/** One successful fetch of a patient's results: when, and what came with it. */
export interface CachedFetchRow {
  /** SHA-256 (hex) of "system|value" of the patient identifier; never the raw 身份证号. */
  patientKey: string;
  /** Epoch ms of the platform's answer; the TTL counts from here. */
  fetchedAt: number;
  sourceId: string;
  patientFound: boolean;
  unreadable: number;
  /** What the platform said about the patient (name, gender, birth date): cached answers are identity-checked too. */
  patient?: PlatformPatient;
}

/** One cached ExternalResult of a patient. */
export interface CachedResultRow {
  patientKey: string;
  id: string;
  /** Copied from the fetch (since version 2), so the TTL purge is an index range, not a join. */
  fetchedAt: number;
  result: ExternalResult;
}

/**
 * One decision, which is also its outbox entry: written (durably) before the panel confirms,
 * then sent to the hospital and marked `sent` only on a 2xx.
 */
export interface DecisionRow {
  uuid: string;
  card: string;
  /** Same hash as the results cache: the 身份证号 is not an index key in clear. */
  patientKey: string;
  /** Epoch ms of outcomeTimestamp, for period queries. */
  decidedAt: number;
  decision: Decision;
  state: 'pending' | 'sent';
  attempts: number;
  /** Epoch ms before which the sender leaves it alone (backoff). */
  nextAttemptAt: number;
  lastError?: string;
  sentAt?: number;
  /** The endpoint the decision was made for (widget); see OutboxFields.target. */
  target?: string;
}

/**
 * Schema history. Each version lists only the tables it adds or changes; Dexie keeps the others.
 * To add tables (decisions, outbox, audit …), append a new `this.version(n).stores({...})` below
 * with the next number, plus an `.upgrade()` if existing rows need rewriting. Never edit an old
 * version: browsers that have it installed upgrade from it.
 */
export const SCHEMA_V1 = {
  fetches: 'patientKey, fetchedAt',
  results: '[patientKey+id], patientKey',
} as const;
export const SCHEMA_V2 = {
  results: '[patientKey+id], patientKey, fetchedAt',
} as const;

export const SCHEMA_V3 = {
  decisions: 'uuid, card, patientKey, decidedAt, [state+nextAttemptAt]',
} as const;

export const SCHEMA_V4 = {
  audit: 'id, at, kind',
  auditSettings: 'key',
} as const;

export const SCHEMA_V5 = {
  events: 'uuid, at, [state+nextAttemptAt]',
} as const;

/** Paper reports the physician entered (实体检查结果), and each patient's latest consent (患者授权). */
export const SCHEMA_V6 = {
  paper: 'id, patientKey, enteredAt',
  consent: 'patientKey',
} as const;

/**
 * The extension's secrets (the platform token, the hub's ingest token): kept here rather than in
 * storage.local, which the content script in the EMR page can read. A content script opening
 * IndexedDB gets the page's origin, never this database. Never used by the widget.
 */
export const SCHEMA_V7 = {
  secrets: 'key',
} as const;

/** One secret setting (extension/settings/secrets.ts). */
export interface SecretRow {
  key: string;
  /** As the options page saved it (validated on reading, like the other settings). */
  value: unknown;
}

/** A paper report as stored: keyed by the hashed patient like the cache and the decisions. */
export interface PaperRow {
  id: string;
  patientKey: string;
  enteredAt: number;
  report: unknown;
}

/** A patient's latest consent (the audit trail keeps every one). */
export interface ConsentRow {
  patientKey: string;
  consent: unknown;
}

/**
 * One event for the hub (the streams beside decisions: prompted, viewed, opened, cited, pack
 * refusals), in its own outbox: written with the local audit row, sent exactly once like a decision.
 */
export interface EventRow {
  uuid: string;
  /** Epoch ms of the event, for retention. */
  at: number;
  entry: HubEventEntry;
  state: 'pending' | 'sent';
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
  sentAt?: number;
  /** The endpoint the event was recorded for (widget); see OutboxFields.target. */
  target?: string;
}

/** One audit event (审计记录); `at` is epoch ms of event.at, for period queries and retention. */
export interface AuditRow {
  id: string;
  at: number;
  kind: AuditEvent['kind'];
  event: AuditEvent;
}

/** Audit settings (retention days), kept beside the audit so the extension and the widget share one mechanism. */
export interface AuditSettingRow {
  key: string;
  value: unknown;
}

export class HurenDb extends Dexie {
  fetches!: Table<CachedFetchRow, string>;
  results!: Table<CachedResultRow, [string, string]>;
  decisions!: Table<DecisionRow, string>;
  audit!: Table<AuditRow, string>;
  auditSettings!: Table<AuditSettingRow, string>;
  events!: Table<EventRow, string>;
  paper!: Table<PaperRow, string>;
  consent!: Table<ConsentRow, string>;
  secrets!: Table<SecretRow, string>;

  constructor(name = DB_NAME, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores(SCHEMA_V1);
    this.version(2)
      .stores(SCHEMA_V2)
      .upgrade(async (tx) => {
        const times = new Map<string, number>();
        await tx.table<CachedFetchRow>('fetches').each((f) => void times.set(f.patientKey, f.fetchedAt));
        // A result without its fetch row is orphaned: fetchedAt 0 makes the next purge remove it.
        await tx.table<CachedResultRow>('results').toCollection().modify((row) => {
          row.fetchedAt = times.get(row.patientKey) ?? 0;
        });
      });
    this.version(3).stores(SCHEMA_V3);
    this.version(4).stores(SCHEMA_V4);
    this.version(5).stores(SCHEMA_V5);
    this.version(6).stores(SCHEMA_V6);
    // Filled by the background from storage.local (migrateSecrets): an upgrade transaction cannot wait on browser.storage.
    this.version(7).stores(SCHEMA_V7);
  }
}
