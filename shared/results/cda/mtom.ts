/**
 * MTOM/XOP (multipart/related) as IHE ITI-43 answers: a root part with the SOAP envelope and one
 * part per document, referenced from the envelope by `<xop:Include href="cid:…"/>`. Binary-safe:
 * parts are cut from bytes, never decoded as text.
 */

export interface MimePart {
  headers: Map<string, string>;
  /** Content-ID without the angle brackets. */
  contentId?: string;
  body: Uint8Array;
}

export interface Multipart {
  /** The root part (the `start` parameter, else the first part). */
  root: MimePart;
  /** Parts by Content-ID. */
  byId: Map<string, MimePart>;
}

/** Reads a parameter (boundary, start, type) from a Content-Type header value. */
export function contentTypeParam(contentType: string, name: string): string | undefined {
  const re = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i');
  const m = re.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Splits a multipart/related body; throws Error with a plain message when it is not one. */
export function parseMultipart(body: Uint8Array, contentType: string): Multipart {
  const boundary = contentTypeParam(contentType, 'boundary');
  if (!boundary) throw new Error('multipart answer without a boundary');
  const delimiter = ascii(`--${boundary}`);
  const parts: MimePart[] = [];
  let at = indexOf(body, delimiter, 0);
  if (at < 0) throw new Error('multipart boundary not found');
  for (;;) {
    let start = at + delimiter.length;
    // "--" after a delimiter closes the multipart.
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break;
    start = skipLine(body, start);
    const next = indexOf(body, delimiter, start);
    if (next < 0) throw new Error('multipart part is not closed');
    // The CRLF before a delimiter belongs to the delimiter.
    let end = next;
    if (body[end - 1] === 0x0a) end--;
    if (body[end - 1] === 0x0d) end--;
    parts.push(readPart(body.subarray(start, end)));
    at = next;
    if (parts.length > 10_000) throw new Error('too many multipart parts');
  }
  if (parts.length === 0) throw new Error('multipart answer has no parts');
  const byId = new Map<string, MimePart>();
  for (const p of parts) if (p.contentId) byId.set(p.contentId, p);
  const start = contentTypeParam(contentType, 'start')?.replace(/^<|>$/g, '');
  return { root: (start ? byId.get(start) : undefined) ?? parts[0]!, byId };
}

function readPart(bytes: Uint8Array): MimePart {
  const headerEnd = indexOf(bytes, ascii('\r\n\r\n'), 0);
  const altEnd = headerEnd < 0 ? indexOf(bytes, ascii('\n\n'), 0) : -1;
  const split = headerEnd >= 0 ? headerEnd : altEnd;
  if (split < 0) return { headers: new Map(), body: bytes };
  const headerText = new TextDecoder('latin1').decode(bytes.subarray(0, split));
  const headers = new Map<string, string>();
  for (const line of headerText.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const id = headers.get('content-id')?.replace(/^<|>$/g, '');
  return { headers, ...(id ? { contentId: id } : {}), body: bytes.subarray(split + (headerEnd >= 0 ? 4 : 2)) };
}

/** Builds a multipart/related body (MTOM request, or the demo's answers); returns body and Content-Type. */
export function buildMultipart(parts: { contentId: string; contentType: string; body: Uint8Array | string; binary?: boolean }[], rootType: string): { body: Uint8Array; contentType: string } {
  const boundary = `MIMEBoundary_${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    const head = `--${boundary}\r\nContent-Type: ${p.contentType}\r\nContent-Transfer-Encoding: ${p.binary ? 'binary' : '8bit'}\r\nContent-ID: <${p.contentId}>\r\n\r\n`;
    chunks.push(ascii(head), typeof p.body === 'string' ? new TextEncoder().encode(p.body) : p.body, ascii('\r\n'));
  }
  chunks.push(ascii(`--${boundary}--\r\n`));
  const body = concat(chunks);
  const root = parts[0]!;
  return {
    body,
    contentType: `multipart/related; boundary="${boundary}"; type="application/xop+xml"; start="<${root.contentId}>"; start-info="${rootType}"`,
  };
}

function skipLine(b: Uint8Array, i: number): number {
  while (i < b.length && b[i] !== 0x0a) i++;
  return i + 1;
}

function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  outer: for (let i = hay.indexOf(first, from); i >= 0 && i <= hay.length - needle.length; i = hay.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
