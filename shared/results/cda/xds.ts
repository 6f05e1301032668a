import { ID_CARD_OID } from '../../domain/codes';
import { request, type HttpOptions } from '../http';
import { SourceError } from '../source';
import type { CdaKind } from './cda-document';
import { buildMultipart, contentTypeParam, parseMultipart, type Multipart } from './mtom';
import { base64Bytes, xmlEscape, type DocumentRef, type DocumentTransport, type Fetched, type FindQuery } from './transport';
import { attr, child, children, descendants, parseXml, textContent, XmlError, type XmlElement } from './xml';

export const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  wsa: 'http://www.w3.org/2005/08/addressing',
  query: 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0',
  rim: 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0',
  rs: 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0',
  xdsb: 'urn:ihe:iti:xds-b:2007',
  xop: 'http://www.w3.org/2004/08/xop/include',
} as const;

export const ACTION = {
  query: 'urn:ihe:iti:2007:RegistryStoredQuery',
  queryResponse: 'urn:ihe:iti:2007:RegistryStoredQueryResponse',
  retrieve: 'urn:ihe:iti:2007:RetrieveDocumentSet',
  retrieveResponse: 'urn:ihe:iti:2007:RetrieveDocumentSetResponse',
} as const;

/** FindDocuments stored query, and the ebRIM ids of what we read from its answer. */
export const FIND_DOCUMENTS = 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d';
export const UNIQUE_ID_SCHEME = 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab';
export const TYPE_CODE_SCHEME = 'urn:uuid:f0306f51-975f-434e-a61c-c59651d33983';
const SUCCESS = 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success';
const PARTIAL = 'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess';
/** 卫生信息共享文档规范编码体系: C0007 检验报告, C0006 检查报告. */
export const DOC_TYPE_SCHEME = '2.16.156.10011.2.4';
const KIND_CODE: Record<CdaKind, string> = { lab: 'C0007', imaging: 'C0006' };

export interface XdsConfig {
  /** ITI-18 endpoint of the document registry. */
  registryUrl: string;
  /** ITI-43 endpoint of the repository (one repository; per-repository URLs in `repositories`). */
  repositoryUrl: string;
  /** Repository unique id → ITI-43 URL, for affinity domains with several repositories. */
  repositories?: Record<string, string>;
  /**
   * Assigning authority of the patient id in `pid^^^&OID&ISO`. Default: the OID of the identifier's
   * own `urn:oid:` system, else the 身份证号 root 2.16.156.10011.1.3. A platform keyed by its EMPI id
   * needs a PIX step before this (not built in; docs/cda-mapping.md).
   */
  assigningAuthority?: string;
  /** Send $XDSDocumentEntryTypeCode (C0007/C0006); some registries class them differently. Default true. */
  filterTypeCodes?: boolean;
  /** Documents per ITI-43 request, default 20. */
  batchSize?: number;
}

/** IHE XDS.b: ITI-18 Registry Stored Query (FindDocuments) and ITI-43 Retrieve Document Set, SOAP 1.2 with MTOM. */
export function createXdsTransport(config: XdsConfig, http: HttpOptions): DocumentTransport {
  const batchSize = config.batchSize ?? 20;
  return {
    id: `xds:${config.registryUrl}`,
    async find(query: FindQuery): Promise<DocumentRef[] | null> {
      const pid = patientId(query.patient, config.assigningAuthority);
      if (pid === null) return null;
      const body = findDocumentsRequest(pid, query.since, config.filterTypeCodes === false ? [] : query.kinds, config.registryUrl);
      const answer = await request(config.registryUrl, http, query.signal, soapRequest(ACTION.query, body));
      const envelope = soapEnvelope(answer.bytes, answer.contentType);
      const response = child(soapBody(envelope), NS.query, 'AdhocQueryResponse');
      if (!response) throw new SourceError('bad-response', 'registry answered without an AdhocQueryResponse');
      const errors = registryErrors(response);
      if (errors.includes('XDSUnknownPatientId')) return null;
      const status = attr(response, 'status');
      if (status !== SUCCESS && status !== PARTIAL) throw new SourceError('bad-response', `registry refused the query${errors.length ? ` (${errors.slice(0, 3).join(', ')})` : ''}`);
      return descendants(response, NS.rim, 'ExtrinsicObject').flatMap((eo) => documentRef(eo));
    },
    async fetch(refs: readonly DocumentRef[], signal?: AbortSignal): Promise<Fetched[]> {
      const out: Fetched[] = [];
      const byRepository = new Map<string, DocumentRef[]>();
      for (const ref of refs) {
        const repo = ref.handle?.repository ?? '';
        byRepository.set(repo, [...(byRepository.get(repo) ?? []), ref]);
      }
      for (const [repo, list] of byRepository) {
        // The repository id comes from the registry's answer: own properties only (no __proto__ tricks).
        const url = config.repositories && Object.hasOwn(config.repositories, repo) ? config.repositories[repo]! : config.repositoryUrl;
        for (let i = 0; i < list.length; i += batchSize) out.push(...(await retrieve(url, list.slice(i, i + batchSize), signal)));
      }
      return out;
    },
  };

  async function retrieve(url: string, refs: DocumentRef[], signal?: AbortSignal): Promise<Fetched[]> {
    const answer = await request(url, http, signal, soapRequest(ACTION.retrieve, retrieveRequest(refs, url)));
    const multipart = /^multipart\/related/i.test(answer.contentType) ? safeMultipart(answer.bytes, answer.contentType) : undefined;
    const envelope = soapEnvelope(multipart ? multipart.root.body : answer.bytes, multipart ? (multipart.root.headers.get('content-type') ?? '') : answer.contentType);
    const response = child(soapBody(envelope), NS.xdsb, 'RetrieveDocumentSetResponse');
    if (!response) throw new SourceError('bad-response', 'repository answered without a RetrieveDocumentSetResponse');
    const byUid = new Map(refs.map((r) => [r.handle?.document ?? '', r]));
    const out: Fetched[] = [];
    for (const dr of children(response, NS.xdsb, 'DocumentResponse')) {
      const uid = textContent(child(dr, NS.xdsb, 'DocumentUniqueId'));
      const ref = byUid.get(uid);
      if (!ref) continue;
      byUid.delete(uid);
      const mimeType = textContent(child(dr, NS.xdsb, 'mimeType')) || undefined;
      const doc = child(dr, NS.xdsb, 'Document');
      try {
        out.push({ ref, bytes: documentBytes(doc, multipart), ...(mimeType ? { mimeType } : {}) });
      } catch (err) {
        out.push({ ref, error: (err as Error).message });
      }
    }
    // Asked for, not delivered: named, so the physician knows something is missing.
    for (const ref of byUid.values()) out.push({ ref, error: '仓库未返回该文档' });
    return out;
  }
}

/** `pid^^^&OID&ISO`, or null for a value that cannot stand in a slot (quotes, separators). */
export function patientId(patient: { system?: string | undefined; value: string }, authority?: string): string | null {
  const value = patient.value.trim();
  if (!/^[0-9A-Za-z.-]{1,64}$/.test(value)) return null;
  const fromSystem = /^urn:oid:([0-9.]+)$/.exec(patient.system ?? '')?.[1];
  const oid = authority ?? fromSystem ?? ID_CARD_OID;
  if (!/^[0-9]+(\.[0-9]+)*$/.test(oid)) return null;
  return `${value}^^^&${oid}&ISO`;
}

/** YYYYMMDDhhmmss in UTC, one day before `since` (creationTime is machine time; zones vary). */
function creationFrom(since: Date): string {
  return new Date(since.getTime() - 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export function findDocumentsRequest(pid: string, since: Date, kinds: readonly CdaKind[], to: string): string {
  const slot = (name: string, value: string) => `<rim:Slot name="${name}"><rim:ValueList><rim:Value>${xmlEscape(value)}</rim:Value></rim:ValueList></rim:Slot>`;
  const types = kinds.map((k) => `'${KIND_CODE[k]}^^${DOC_TYPE_SCHEME}'`).join(',');
  return envelope(
    ACTION.query,
    to,
    `<query:AdhocQueryRequest xmlns:query="${NS.query}" xmlns:rim="${NS.rim}">` +
      '<query:ResponseOption returnComposedObjects="true" returnType="LeafClass"/>' +
      `<rim:AdhocQuery id="${FIND_DOCUMENTS}">` +
      slot('$XDSDocumentEntryPatientId', `'${pid}'`) +
      slot('$XDSDocumentEntryStatus', "('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')") +
      (types ? slot('$XDSDocumentEntryTypeCode', `(${types})`) : '') +
      slot('$XDSDocumentEntryCreationTimeFrom', creationFrom(since)) +
      '</rim:AdhocQuery></query:AdhocQueryRequest>',
  );
}

export function retrieveRequest(refs: readonly DocumentRef[], to: string): string {
  const docs = refs
    .map((r) => {
      const h = r.handle ?? {};
      return (
        '<xdsb:DocumentRequest>' +
        (h.home ? `<xdsb:HomeCommunityId>${xmlEscape(h.home)}</xdsb:HomeCommunityId>` : '') +
        `<xdsb:RepositoryUniqueId>${xmlEscape(h.repository ?? '')}</xdsb:RepositoryUniqueId>` +
        `<xdsb:DocumentUniqueId>${xmlEscape(h.document ?? '')}</xdsb:DocumentUniqueId>` +
        '</xdsb:DocumentRequest>'
      );
    })
    .join('');
  return envelope(ACTION.retrieve, to, `<xdsb:RetrieveDocumentSetRequest xmlns:xdsb="${NS.xdsb}">${docs}</xdsb:RetrieveDocumentSetRequest>`);
}

function envelope(action: string, to: string, body: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${NS.soap}" xmlns:a="${NS.wsa}"><s:Header>` +
    `<a:Action s:mustUnderstand="1">${action}</a:Action><a:MessageID>urn:uuid:${crypto.randomUUID()}</a:MessageID>` +
    `<a:ReplyTo><a:Address>http://www.w3.org/2005/08/addressing/anonymous</a:Address></a:ReplyTo><a:To s:mustUnderstand="1">${xmlEscape(to)}</a:To>` +
    `</s:Header><s:Body>${body}</s:Body></s:Envelope>`
  );
}

/** The request as an MTOM package with the envelope as its only part (what XDS.b endpoints expect). */
function soapRequest(action: string, xml: string) {
  const { body, contentType } = buildMultipart([{ contentId: 'root.message@huren', contentType: `application/xop+xml; charset=UTF-8; type="application/soap+xml"; action="${action}"`, body: xml }], 'application/soap+xml');
  return { method: 'POST' as const, accept: 'multipart/related, application/soap+xml', contentType: `${contentType}; action="${action}"`, body };
}

function safeMultipart(bytes: Uint8Array, contentType: string): Multipart {
  try {
    return parseMultipart(bytes, contentType);
  } catch (err) {
    throw new SourceError('bad-response', `repository answered with a broken MTOM package: ${(err as Error).message}`);
  }
}

/** The SOAP envelope of an answer (plain SOAP or the root of an MTOM package). */
function soapEnvelope(bytes: Uint8Array, contentType: string): XmlElement {
  let xml = bytes;
  if (/^multipart\/related/i.test(contentType) && contentTypeParam(contentType, 'boundary')) xml = safeMultipart(bytes, contentType).root.body;
  let root: XmlElement;
  try {
    root = parseXml(xml, { maxBytes: 64 * 1024 * 1024 });
  } catch (err) {
    throw new SourceError('bad-response', `platform answered with unreadable XML (${err instanceof XmlError ? err.kind : 'error'})`);
  }
  if (root.ns !== NS.soap || root.name !== 'Envelope') throw new SourceError('bad-response', 'platform answered with something other than a SOAP 1.2 envelope');
  const fault = child(soapBody(root), NS.soap, 'Fault');
  if (fault) {
    const code = textContent(child(child(fault, NS.soap, 'Code'), NS.soap, 'Value')).slice(0, 80);
    throw new SourceError('server', `platform answered a SOAP fault${code ? ` (${code})` : ''}`);
  }
  return root;
}

function soapBody(env: XmlElement): XmlElement | undefined {
  return child(env, NS.soap, 'Body');
}

/** Error codes only: codeContext may echo the patient id. */
function registryErrors(response: XmlElement): string[] {
  return descendants(response, NS.rs, 'RegistryError').map((e) => attr(e, 'errorCode') ?? '?');
}

function documentRef(eo: XmlElement): DocumentRef[] {
  const document = children(eo, NS.rim, 'ExternalIdentifier').find((e) => attr(e, 'identificationScheme') === UNIQUE_ID_SCHEME);
  const uid = attr(document, 'value')?.trim();
  if (!uid) return [];
  const slotValue = (name: string) => textContent(child(child(children(eo, NS.rim, 'Slot').find((s) => attr(s, 'name') === name), NS.rim, 'ValueList'), NS.rim, 'Value'));
  const typeCode = attr(children(eo, NS.rim, 'Classification').find((c) => attr(c, 'classificationScheme') === TYPE_CODE_SCHEME), 'nodeRepresentation');
  const kind: CdaKind | undefined = typeCode === 'C0007' ? 'lab' : typeCode === 'C0006' ? 'imaging' : undefined;
  const handle: Record<string, string> = { document: uid, repository: slotValue('repositoryUniqueId') };
  const home = attr(eo, 'home');
  if (home) handle.home = home;
  const mimeType = attr(eo, 'mimeType');
  return [{ label: uid, ...(kind ? { kind } : {}), ...(mimeType ? { mimeType } : {}), handle }];
}

/** A Document element's bytes: an xop:Include into the MTOM package, or inline base64. */
function documentBytes(doc: XmlElement | undefined, multipart: Multipart | undefined): Uint8Array {
  if (!doc) throw new Error('文档内容缺失');
  const include = child(doc, NS.xop, 'Include');
  if (include) {
    const href = attr(include, 'href') ?? '';
    const id = decodeURIComponent(href.replace(/^cid:/i, ''));
    const part = multipart?.byId.get(id);
    if (!part) throw new Error('文档附件缺失（MTOM）');
    return part.body;
  }
  try {
    return base64Bytes(doc.text);
  } catch {
    throw new Error('文档内容不是 base64');
  }
}
