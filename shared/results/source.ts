import type { PatientIdentifier } from '../domain/encounter';
import type { ExternalResult } from '../domain/external-result';
import type { PlatformPatient } from '../domain/patient-check';

/** Progress while a source pages through a platform's answers. */
export interface FetchProgress {
  pages: number;
  resources: number;
}

export interface ResultsQuery {
  patient: PatientIdentifier;
  /** Oldest clock date worth fetching: derived from the longest time limit in the active packs. */
  since: Date;
  signal?: AbortSignal;
  onProgress?: (progress: FetchProgress) => void;
}

export interface ResultsFetch {
  /** False when the platform does not know the patient (not an error: nothing to recognize). */
  patientFound: boolean;
  /**
   * What the platform says about the patient it found (name, gender, birth date), when it says
   * anything: the panel compares it with the page before showing a result (患者身份核对).
   */
  patient?: PlatformPatient;
  results: ExternalResult[];
  /** Resources that could not be read; shown to the physician as "N 项结果无法读取". */
  unreadable: number;
  /** Documents that could not be read, each named with why (CDA source): shown in the panel. */
  unreadableDocuments?: UnreadableDocument[];
  /** When the platform answered (ISO 8601). */
  fetchedAt: string;
  /** Set by a caching source: true when the platform was unreachable and these are cached results from `fetchedAt`. */
  stale?: boolean;
  /** Why the platform could not be reached, when stale. */
  staleReason?: SourceErrorKind;
}

/** A document the source could not read: its label (document or report number, never patient data) and why. */
export interface UnreadableDocument {
  ref: string;
  reason: string;
}

export type SourceErrorKind = 'unauthorized' | 'unreachable' | 'timeout' | 'server' | 'bad-response' | 'aborted';

/** A failure talking to the platform; its message never contains patient data. */
export class SourceError extends Error {
  constructor(
    readonly kind: SourceErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}

/**
 * Where a patient's prior external results come from (区域平台 / 互认平台).
 * FHIR R4 is the first implementation; other platform APIs implement the same interface.
 */
export interface ResultsSource {
  readonly id: string;
  fetchResults(query: ResultsQuery): Promise<ResultsFetch>;
  /** What a cache still holds for the patient, shown while the platform is asked again (optional). */
  cachedResults?(patient: PatientIdentifier): Promise<ResultsFetch | undefined>;
}
