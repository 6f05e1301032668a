import type { PatientIdentifier } from '../../domain/encounter';
import type { CdaKind } from './cda-document';

/** A document a registry listed for the patient. `label` names it in the panel (never patient data). */
export interface DocumentRef {
  label: string;
  kind?: CdaKind;
  mimeType?: string;
  /** Content already delivered with the listing (REST wrappers send documents inline). */
  content?: Uint8Array;
  /** Transport-specific handles (XDS: repository and document unique ids, home community). */
  handle?: Record<string, string>;
}

export interface FindQuery {
  patient: PatientIdentifier;
  /** Documents created on or after this time (the packs' window plus margin). */
  since: Date;
  kinds: readonly CdaKind[];
  signal?: AbortSignal;
}

/** One document's bytes, or why it could not be had (the others still count). */
export type Fetched = { ref: DocumentRef; bytes: Uint8Array; mimeType?: string } | { ref: DocumentRef; error: string };

/**
 * How documents are found and fetched: IHE XDS.b (ITI-18 + ITI-43), a provincial REST/JSON wrapper,
 * or a file drop. Signing, encryption, certificates and tokens belong to each transport. The CDA
 * parser never sees the transport; the transport never parses CDA.
 */
export interface DocumentTransport {
  readonly id: string;
  /** The patient's documents, or null when the platform does not know the patient. */
  find(query: FindQuery): Promise<DocumentRef[] | null>;
  /** Bytes of the listed documents (any order); a failure of the whole request throws a SourceError. */
  fetch(refs: readonly DocumentRef[], signal?: AbortSignal): Promise<Fetched[]>;
}

/** Strict base64 (whitespace allowed between lines); throws on anything else. */
export function base64Bytes(text: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw new Error('content is not base64');
  const bin = atob(compact);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** XML text escaping for values we put into requests. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
