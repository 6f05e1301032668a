import type { IncomingMessage, ServerResponse } from 'node:http';
import { ID_CARD_OID } from '../../shared/domain/codes.ts';
import { buildMultipart, parseMultipart } from '../../shared/results/cda/mtom.ts';
import { bytesBase64, xmlEscape } from '../../shared/results/cda/transport.ts';
import { ACTION, DOC_TYPE_SCHEME, FIND_DOCUMENTS, NS, TYPE_CODE_SCHEME, UNIQUE_ID_SCHEME } from '../../shared/results/cda/xds.ts';
import { attr, child, children, descendants, parseXml, textContent, type XmlElement } from '../../shared/results/cda/xml.ts';
import type { DemoDocument } from './demo-documents.ts';

export const REPOSITORY_ID = '2.16.156.10011.99.2';
const APPROVED = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved';
const SUCCESS = 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success';
const FAILURE = 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure';
const DOCUMENT_ENTRY = 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1';

export interface CdaFaults {
  failNext?: { count: number; status: number };
  delayMs?: number;
  requireToken?: string;
}

/**
 * The demo platform's document side, as Chinese 互联互通 platforms expose it: an IHE XDS.b registry
 * (ITI-18) and repository (ITI-43, MTOM answers) over SOAP 1.2, and a provincial-style REST/JSON
 * wrapper with the documents inline. Patient ids travel only in request bodies; nothing is logged.
 */
export class CdaEndpoints {
  private readonly byPatient = new Map<string, DemoDocument[]>();
  private readonly byUid = new Map<string, DemoDocument>();
  /** Requests answered, per endpoint (tests read them). */
  readonly counts = { registry: 0, repository: 0, rest: 0 };

  constructor(
    docs: readonly DemoDocument[],
    private readonly faults: () => CdaFaults | undefined = () => undefined,
  ) {
    for (const d of docs) this.add(d);
  }

  add(doc: DemoDocument): void {
    this.byPatient.set(doc.patient, [...(this.byPatient.get(doc.patient) ?? []), doc]);
    this.byUid.set(doc.uniqueId, doc);
  }

  handles(path: string): boolean {
    return path === '/xds/registry' || path === '/xds/repository' || path === '/cda-rest/documents';
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === 'OPTIONS') return send(res, 204, 'text/plain', '');
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'POST only');
    const f = this.faults();
    if (f?.delayMs) await new Promise((r) => setTimeout(r, f.delayMs));
    if (f?.requireToken && req.headers.authorization !== `Bearer ${f.requireToken}`) return send(res, 401, 'text/plain', 'unauthorized');
    if (f?.failNext && f.failNext.count > 0) {
      f.failNext.count--;
      return send(res, f.failNext.status, 'text/plain', 'injected failure');
    }
    const body = await readBody(req);
    if (path === '/cda-rest/documents') return this.rest(res, body);
    let envelope: XmlElement;
    try {
      const type = req.headers['content-type'] ?? '';
      envelope = parseXml(/^multipart\/related/i.test(type) ? parseMultipart(body, type).root.body : body);
    } catch {
      return soapFault(res, 's:Sender', 'unreadable request');
    }
    const soapBody = child(envelope, NS.soap, 'Body');
    return path === '/xds/registry' ? this.registry(res, soapBody) : this.repository(res, soapBody);
  }

  /** ITI-18 FindDocuments: the patient's approved documents of the asked types created since the given time. */
  private registry(res: ServerResponse, body: XmlElement | undefined): void {
    this.counts.registry++;
    const query = child(child(body, NS.query, 'AdhocQueryRequest'), NS.rim, 'AdhocQuery');
    if (!query || attr(query, 'id') !== FIND_DOCUMENTS) return soapFault(res, 's:Sender', 'only FindDocuments is supported');
    const slot = (name: string) => textContent(child(child(children(query, NS.rim, 'Slot').find((s) => attr(s, 'name') === name), NS.rim, 'ValueList'), NS.rim, 'Value'));
    const pid = /^'([^^']+)\^\^\^&([0-9.]+)&ISO'$/.exec(slot('$XDSDocumentEntryPatientId'));
    const types = [...slot('$XDSDocumentEntryTypeCode').matchAll(/'(C\d{4})\^\^/g)].map((m) => m[1]);
    const from = slot('$XDSDocumentEntryCreationTimeFrom');
    const docs = pid && pid[2] === ID_CARD_OID ? this.byPatient.get(pid[1]!) : undefined;
    if (!docs) {
      const errors = `<rs:RegistryErrorList xmlns:rs="${NS.rs}"><rs:RegistryError errorCode="XDSUnknownPatientId" codeContext="patient not known" severity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"/></rs:RegistryErrorList>`;
      return soap(res, ACTION.queryResponse, `<query:AdhocQueryResponse xmlns:query="${NS.query}" status="${FAILURE}">${errors}</query:AdhocQueryResponse>`);
    }
    const listed = docs.filter((d) => (!types.length || types.includes(d.kind === 'lab' ? 'C0007' : 'C0006')) && (!from || utc(d.created) >= from.padEnd(14, '0')));
    const objects = listed.map((d, i) => {
      const id = `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const value = (name: string, v: string) => `<rim:Slot name="${name}"><rim:ValueList><rim:Value>${xmlEscape(v)}</rim:Value></rim:ValueList></rim:Slot>`;
      return (
        `<rim:ExtrinsicObject id="${id}" mimeType="text/xml" objectType="${DOCUMENT_ENTRY}" status="${APPROVED}">` +
        value('creationTime', utc(d.created)) + value('repositoryUniqueId', REPOSITORY_ID) +
        `<rim:Classification id="${id}-t" classificationScheme="${TYPE_CODE_SCHEME}" classifiedObject="${id}" nodeRepresentation="${d.kind === 'lab' ? 'C0007' : 'C0006'}">${value('codingScheme', DOC_TYPE_SCHEME)}</rim:Classification>` +
        `<rim:ExternalIdentifier id="${id}-u" identificationScheme="${UNIQUE_ID_SCHEME}" registryObject="${id}" value="${d.uniqueId}"><rim:Name><rim:LocalizedString value="XDSDocumentEntry.uniqueId"/></rim:Name></rim:ExternalIdentifier>` +
        '</rim:ExtrinsicObject>'
      );
    });
    soap(res, ACTION.queryResponse, `<query:AdhocQueryResponse xmlns:query="${NS.query}" xmlns:rim="${NS.rim}" status="${SUCCESS}"><rim:RegistryObjectList>${objects.join('')}</rim:RegistryObjectList></query:AdhocQueryResponse>`);
  }

  /** ITI-43: the asked documents as MTOM attachments (xop:Include), one part each. */
  private repository(res: ServerResponse, body: XmlElement | undefined): void {
    this.counts.repository++;
    const request = child(body, NS.xdsb, 'RetrieveDocumentSetRequest');
    if (!request) return soapFault(res, 's:Sender', 'not a RetrieveDocumentSetRequest');
    const parts: { contentId: string; contentType: string; body: Uint8Array; binary: boolean }[] = [];
    const responses = descendants(request, NS.xdsb, 'DocumentRequest').flatMap((dr, i) => {
      const uid = textContent(child(dr, NS.xdsb, 'DocumentUniqueId'));
      const doc = textContent(child(dr, NS.xdsb, 'RepositoryUniqueId')) === REPOSITORY_ID ? this.byUid.get(uid) : undefined;
      if (!doc) return [];
      const cid = `doc${i}@huren-demo`;
      parts.push({ contentId: cid, contentType: 'text/xml; charset=UTF-8', body: new TextEncoder().encode(doc.xml), binary: true });
      return [`<xdsb:DocumentResponse><xdsb:RepositoryUniqueId>${REPOSITORY_ID}</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>${xmlEscape(uid)}</xdsb:DocumentUniqueId><xdsb:mimeType>text/xml</xdsb:mimeType><xdsb:Document><xop:Include xmlns:xop="${NS.xop}" href="cid:${cid}"/></xdsb:Document></xdsb:DocumentResponse>`];
    });
    const envelope = envelopeXml(ACTION.retrieveResponse, `<xdsb:RetrieveDocumentSetResponse xmlns:xdsb="${NS.xdsb}"><rs:RegistryResponse xmlns:rs="${NS.rs}" status="${SUCCESS}"/>${responses.join('')}</xdsb:RetrieveDocumentSetResponse>`);
    const mtom = buildMultipart([{ contentId: 'root.message@huren-demo', contentType: 'application/xop+xml; charset=UTF-8; type="application/soap+xml"', body: envelope }, ...parts], 'application/soap+xml');
    res.writeHead(200, { 'content-type': mtom.contentType, 'x-content-type-options': 'nosniff' });
    res.end(mtom.body);
  }

  /** A provincial-style wrapper: {idCard, since, documentTypes} → {code, data: {documents: [{docId, type, content}]}}. */
  private rest(res: ServerResponse, body: Uint8Array): void {
    this.counts.rest++;
    let q: { idCard?: unknown; since?: unknown; documentTypes?: unknown };
    try {
      q = JSON.parse(new TextDecoder().decode(body)) as typeof q;
    } catch {
      return send(res, 400, 'application/json', JSON.stringify({ code: 400, message: 'bad request' }));
    }
    const docs = typeof q.idCard === 'string' ? this.byPatient.get(q.idCard) : undefined;
    if (!docs) return send(res, 200, 'application/json', JSON.stringify({ code: 0, data: { patientNotFound: true, documents: [] } }));
    const since = typeof q.since === 'string' ? Date.parse(q.since) : 0;
    const types = Array.isArray(q.documentTypes) ? q.documentTypes : ['C0007', 'C0006'];
    const documents = docs
      .filter((d) => d.created.getTime() >= since - 86_400_000 && types.includes(d.kind === 'lab' ? 'C0007' : 'C0006'))
      .map((d) => ({ docId: d.uniqueId, type: d.kind === 'lab' ? 'C0007' : 'C0006', content: bytesBase64(new TextEncoder().encode(d.xml)) }));
    send(res, 200, 'application/json; charset=utf-8', JSON.stringify({ code: 0, data: { documents } }));
  }
}

function utc(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function envelopeXml(action: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${NS.soap}" xmlns:a="${NS.wsa}"><s:Header><a:Action s:mustUnderstand="1">${action}</a:Action></s:Header><s:Body>${body}</s:Body></s:Envelope>`;
}

function soap(res: ServerResponse, action: string, body: string): void {
  send(res, 200, `application/soap+xml; charset=UTF-8; action="${action}"`, envelopeXml(action, body));
}

function soapFault(res: ServerResponse, code: string, reason: string): void {
  send(res, 500, 'application/soap+xml; charset=UTF-8', envelopeXml('http://www.w3.org/2005/08/addressing/soap/fault', `<s:Fault><s:Code><s:Value>${code}</s:Value></s:Code><s:Reason><s:Text xml:lang="en">${xmlEscape(reason)}</s:Text></s:Reason></s:Fault>`));
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff' });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 4 * 1024 * 1024) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => ok(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', fail);
  });
}
