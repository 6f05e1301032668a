import { requestJson, type HttpOptions } from '../http';
import { SourceError } from '../source';
import type { CdaKind } from './cda-document';
import { base64Bytes, type DocumentRef, type DocumentTransport, type Fetched, type FindQuery } from './transport';

export interface RestConfig {
  /** The wrapper's query URL: POSTed a JSON body naming the patient and the window (never in the URL). */
  queryUrl: string;
  /** Names of the request's fields (each province names them its own way). */
  request?: {
    patientId?: string;
    idType?: string;
    since?: string;
    until?: string;
    kinds?: string;
  };
  /** Time format of since/until: 'iso' (default), 'yyyymmdd', 'yyyymmddhhmmss', 'epoch-ms'. */
  timeFormat?: 'iso' | 'yyyymmdd' | 'yyyymmddhhmmss' | 'epoch-ms';
  /** Dotted path to the array of documents in the answer, e.g. "data.documents". */
  documentsPath: string;
  /** Within each document: where the base64 content sits, e.g. "content" or "file.base64". */
  contentPath: string;
  /** Within each document: an id to name it by (report or document number), e.g. "docId". */
  idPath?: string;
  /** Within each document: its type code (C0007/C0006). */
  typePath?: string;
  /** Dotted path to a flag saying the patient is unknown (truthy), e.g. "data.patientNotFound". */
  notFoundPath?: string;
}

/**
 * A provincial or vendor REST/JSON wrapper that answers one query with the documents inline
 * (base64). Where each field sits is configuration; signing (SM3) and encryption (SM4) of a given
 * province are an adapter's job on top of this and are not built in.
 */
export function createRestTransport(config: RestConfig, http: HttpOptions): DocumentTransport {
  const names = { patientId: 'idCard', idType: 'idType', since: 'since', until: 'until', kinds: 'documentTypes', ...config.request };
  return {
    id: `rest:${config.queryUrl}`,
    async find(query: FindQuery): Promise<DocumentRef[] | null> {
      const body: Record<string, unknown> = {
        [names.patientId]: query.patient.value,
        [names.since]: formatTime(query.since, config.timeFormat),
        [names.until]: formatTime(new Date(), config.timeFormat),
        [names.kinds]: query.kinds.map((k) => (k === 'lab' ? 'C0007' : 'C0006')),
      };
      if (query.patient.system) body[names.idType] = query.patient.system;
      const json = await requestJson(config.queryUrl, http, query.signal, { method: 'POST', accept: 'application/json', contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });
      if (config.notFoundPath && at(json, config.notFoundPath)) return null;
      const docs = at(json, config.documentsPath);
      if (docs === undefined || docs === null) return [];
      if (!Array.isArray(docs)) throw new SourceError('bad-response', `answer has no document list at "${config.documentsPath}"`);
      if (docs.length > 5000) throw new SourceError('bad-response', 'answer lists more than 5,000 documents');
      return docs.map((doc, i): DocumentRef => {
        const id = config.idPath ? at(doc, config.idPath) : undefined;
        const type = config.typePath ? at(doc, config.typePath) : undefined;
        const kind: CdaKind | undefined = type === 'C0007' ? 'lab' : type === 'C0006' ? 'imaging' : undefined;
        const label = typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 80) : `#${i + 1}`;
        const content = at(doc, config.contentPath);
        const ref: DocumentRef = { label, ...(kind ? { kind } : {}) };
        if (typeof content === 'string') {
          try {
            ref.content = base64Bytes(content);
          } catch {
            ref.handle = { error: '文档内容不是 base64' };
          }
        } else ref.handle = { error: `文档内容缺失（${config.contentPath}）` };
        return ref;
      });
    },
    async fetch(refs: readonly DocumentRef[]): Promise<Fetched[]> {
      return refs.map((ref) => (ref.content ? { ref, bytes: ref.content } : { ref, error: ref.handle?.error ?? '文档内容缺失' }));
    },
  };
}

/** Reads a dotted path ("data.items.0.content"); own properties only. */
export function at(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function formatTime(d: Date, format: RestConfig['timeFormat']): string | number {
  const cn = new Date(d.getTime() + 8 * 3_600_000).toISOString();
  switch (format) {
    case 'yyyymmdd':
      return cn.slice(0, 10).replace(/-/g, '');
    case 'yyyymmddhhmmss':
      return cn.slice(0, 19).replace(/[-:T]/g, '');
    case 'epoch-ms':
      return d.getTime();
    default:
      return d.toISOString();
  }
}
