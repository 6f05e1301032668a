import type { ExternalResult } from '../../domain/external-result';
import type { PlatformPatient } from '../../domain/patient-check';
import type { HttpOptions } from '../http';
import { SourceError, type ResultsFetch, type ResultsQuery, type ResultsSource, type UnreadableDocument } from '../source';
import { CDA_ERROR_TEXT, CdaError, type CdaDocument, type CdaKind } from './cda-document';
import type { CdaSourceSettings } from './config';
import { cdaResults } from './normalize-cda';
import { parseCdaDocument } from './parse-cda';
import { createRestTransport } from './rest';
import type { DocumentTransport } from './transport';
import { createXdsTransport } from './xds';

export interface CdaSourceConfig extends CdaSourceSettings {
  token?: string | undefined;
  fetch?: typeof fetch;
  backoffMs?: number;
}

const KINDS: readonly CdaKind[] = ['lab', 'imaging'];

/** A results source over WS/T 500 documents, on the transport the settings name. */
export function createCdaSource(config: CdaSourceConfig): ResultsSource {
  const http: HttpOptions = {
    token: config.token,
    timeoutMs: config.timeoutMs ?? 10_000,
    retries: config.retries ?? 2,
    backoffMs: config.backoffMs ?? 300,
    maxRetryAfterMs: 10_000,
    // Bound so a page's own `fetch` patches never see our calls' `this`.
    fetch: config.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  };
  const t = config.transport;
  const transport = t.kind === 'xds' ? createXdsTransport(t, http) : createRestTransport(t, http);
  return cdaSourceOver(transport, config.idCardRoot ? { idCardRoot: config.idCardRoot } : {});
}

/**
 * The source over any transport: find the patient's documents, fetch them, parse each on its own.
 * A document that cannot be read is counted and named (文档 …：原因), never fatal; one whose
 * 身份证号 differs from the patient asked for is refused.
 */
export function cdaSourceOver(transport: DocumentTransport, options: { idCardRoot?: string } = {}): ResultsSource {
  return {
    id: `cda:${transport.id}`,
    async fetchResults(query: ResultsQuery): Promise<ResultsFetch> {
      const refs = await transport.find({ patient: query.patient, since: query.since, kinds: KINDS, ...(query.signal ? { signal: query.signal } : {}) });
      if (refs === null) return { patientFound: false, results: [], unreadable: 0, fetchedAt: new Date().toISOString() };
      const wanted = refs.filter((r) => r.kind === undefined || KINDS.includes(r.kind));
      query.onProgress?.({ pages: 1, resources: wanted.length });
      const fetched = wanted.length ? await transport.fetch(wanted, query.signal) : [];
      if (query.signal?.aborted) throw new SourceError('aborted', 'request aborted');

      const unreadableDocuments: UnreadableDocument[] = [];
      const docs: { doc: CdaDocument; label: string }[] = [];
      let skipped = 0;
      for (const f of fetched) {
        if ('error' in f) {
          unreadableDocuments.push({ ref: f.ref.label, reason: f.error });
          continue;
        }
        if (f.mimeType && !/xml/i.test(f.mimeType)) {
          unreadableDocuments.push({ ref: f.ref.label, reason: `不是 XML 文档（${f.mimeType.slice(0, 40)}）` });
          continue;
        }
        try {
          const doc = parseCdaDocument(f.bytes, options);
          if (doc.patient.idCard !== undefined && doc.patient.idCard.toUpperCase() !== query.patient.value.trim().toUpperCase()) {
            throw new CdaError('patient-mismatch', 'the document names another patient');
          }
          skipped += doc.skipped;
          docs.push({ doc, label: f.ref.label });
        } catch (err) {
          if (!(err instanceof CdaError)) throw err;
          unreadableDocuments.push({ ref: f.ref.label, reason: `${CDA_ERROR_TEXT[err.kind]}（${err.message.slice(0, 120)}）` });
        }
      }

      // A document that replaces another (relatedDocument RPLC) hides the one it replaces.
      const replaced = new Set(docs.map((d) => d.doc.replaces).filter((r): r is string => r !== undefined));
      const byId = new Map<string, { result: ExternalResult; created: string }>();
      let dropped = 0;
      const sinceDay = query.since.toISOString().slice(0, 10);
      for (const { doc } of docs) {
        if (doc.documentId !== undefined && replaced.has(doc.documentId)) continue;
        const { results, dropped: d } = cdaResults(doc);
        dropped += d;
        for (const r of results) {
          // The registry's window is creation time; keep what the packs' window asks, by the result's own clock.
          const clock = r.collectedAt ?? r.reportedAt;
          if (clock !== undefined && clock.slice(0, 10) < sinceDay) continue;
          const prior = byId.get(r.id);
          const created = doc.createdAt ?? '';
          if (!prior || prior.created < created) byId.set(r.id, { result: r, created });
        }
      }
      const results = [...byId.values()].map((x) => x.result);
      results.sort((a, b) => (b.collectedAt ?? b.reportedAt ?? '').localeCompare(a.collectedAt ?? a.reportedAt ?? '') || a.id.localeCompare(b.id));
      const about = platformPatient(docs.map((d) => d.doc));
      return {
        patientFound: true,
        ...(about ? { patient: about } : {}),
        results,
        unreadable: unreadableDocuments.length + skipped + dropped,
        ...(unreadableDocuments.length ? { unreadableDocuments } : {}),
        fetchedAt: new Date().toISOString(),
      };
    },
  };
}

/**
 * What the documents say about the patient (recordTarget), for the identity check: every name
 * they give, the first gender and birth date given.
 */
function platformPatient(docs: readonly CdaDocument[]): PlatformPatient | undefined {
  const names = [...new Set(docs.map((d) => d.patient.name).filter((n): n is string => !!n && n.length <= 64))];
  const gender = docs.find((d) => d.patient.gender)?.patient.gender;
  const birthDate = docs.find((d) => d.patient.birthDate)?.patient.birthDate;
  const about: PlatformPatient = { ...(names.length ? { names } : {}), ...(gender ? { gender } : {}), ...(birthDate ? { birthDate } : {}) };
  return Object.keys(about).length ? about : undefined;
}
