import { SaxesParser } from 'saxes';

/**
 * A small namespace-aware XML reader for documents from outside (CDA, SOAP). saxes checks
 * well-formedness and resolves every prefix to its namespace URI; this file adds what a reader of
 * untrusted documents needs: no DTD (so no entity expansion, no external entities), and caps on
 * size, depth and element count. The tree keeps only what the CDA reader uses.
 */

export interface XmlElement {
  /** Namespace URI ('' when none). Elements are compared by (ns, name), never by prefix. */
  ns: string;
  /** Local name. */
  name: string;
  /** Attributes without a namespace by local name; namespaced ones as `{uri}local` (e.g. xsi:type). */
  attrs: Map<string, string>;
  children: XmlElement[];
  /** Character data directly inside this element (text and CDATA), concatenated. */
  text: string;
  /** Where each piece of own text stood among the children (mixed content, e.g. narrative). */
  segments?: { at: number; text: string }[];
}

export type XmlErrorKind = 'too-large' | 'too-deep' | 'too-many-elements' | 'doctype' | 'encoding' | 'malformed' | 'empty';

/** Why a document could not be read as XML; the message carries a position, never document text. */
export class XmlError extends Error {
  constructor(
    readonly kind: XmlErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'XmlError';
  }
}

export interface XmlLimits {
  /** Bytes (default 8 MiB: a long 检查报告 is tens of KB). */
  maxBytes?: number;
  /** Element nesting (default 64; CDA bodies are ~12 deep). */
  maxDepth?: number;
  /** Elements in all (default 200,000). */
  maxElements?: number;
}

export const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

const DEFAULTS: Required<XmlLimits> = { maxBytes: 8 * 1024 * 1024, maxDepth: 64, maxElements: 200_000 };

/** Parses bytes or text into an element tree; throws XmlError. */
export function parseXml(input: Uint8Array | string, limits: XmlLimits = {}): XmlElement {
  const lim = { ...DEFAULTS, ...limits };
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > lim.maxBytes) throw new XmlError('too-large', `document is ${size} bytes, more than ${lim.maxBytes}`);
  const text = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : decode(input);
  if (text.trim() === '') throw new XmlError('empty', 'document is empty');

  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let count = 0;
  let failure: XmlError | undefined;
  const fail = (err: XmlError) => {
    failure ??= err;
  };
  const where = () => `line ${parser.line}, column ${parser.column}`;

  parser.on('doctype', () => fail(new XmlError('doctype', `document type declarations are refused (${where()})`)));
  parser.on('opentag', (tag) => {
    if (failure) return;
    if (++count > lim.maxElements) return fail(new XmlError('too-many-elements', `more than ${lim.maxElements} elements`));
    if (stack.length >= lim.maxDepth) return fail(new XmlError('too-deep', `elements nested deeper than ${lim.maxDepth} (${where()})`));
    const attrs = new Map<string, string>();
    const all = tag.attributes;
    for (const key in all) {
      const a = all[key]!;
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
      attrs.set(a.uri ? `{${a.uri}}${a.local}` : a.local, a.value);
    }
    const el: XmlElement = { ns: tag.uri ?? '', name: tag.local ?? tag.name, attrs, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    if (!failure) stack.pop();
  });
  const onText = (t: string) => {
    const top = stack[stack.length - 1];
    if (!top || failure) return;
    top.text += t;
    if (top.children.length > 0 || top.segments) (top.segments ??= [{ at: 0, text: top.text.slice(0, top.text.length - t.length) }]).push({ at: top.children.length, text: t });
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('error', (err) => fail(new XmlError('malformed', plainMessage(err.message))));

  try {
    parser.write(text).close();
  } catch (err) {
    fail(new XmlError('malformed', plainMessage((err as Error).message)));
  }
  if (failure) throw failure;
  if (!root) throw new XmlError('malformed', 'no root element');
  return root;
}

/** saxes messages start with "undefined:line:col: …"; keep the position and the reason only. */
function plainMessage(message: string): string {
  return message.replace(/^[^:]*:(\d+):(\d+): /, 'line $1, column $2: ').slice(0, 200);
}

/**
 * Decodes per the XML declaration's encoding (UTF-8 by default; GBK/GB18030 occur in Chinese
 * hospital systems). Invalid bytes are an error, not replacement characters.
 */
function decode(bytes: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^\uFEFF?<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head.replace(/^\xEF\xBB\xBF/, ''))?.[1]?.toLowerCase();
  const label = declared ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true, ignoreBOM: false });
  } catch {
    throw new XmlError('encoding', `unsupported encoding "${label.slice(0, 32)}"`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new XmlError('encoding', `bytes are not valid ${label}`);
  }
}

/** Child elements in a namespace with a local name. */
export function children(el: XmlElement | undefined, ns: string, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  if (!el) return out;
  const list = el.children;
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (c.name === name && c.ns === ns) out.push(c);
  }
  return out;
}

export function child(el: XmlElement | undefined, ns: string, name: string): XmlElement | undefined {
  if (!el) return undefined;
  const list = el.children;
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (c.name === name && c.ns === ns) return c;
  }
  return undefined;
}

/** Every descendant (depth first, document order) in a namespace with a local name. */
export function descendants(el: XmlElement, ns: string, name: string, out: XmlElement[] = []): XmlElement[] {
  const list = el.children;
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (c.name === name && c.ns === ns) out.push(c);
    if (c.children.length) descendants(c, ns, name, out);
  }
  return out;
}

/**
 * All character data under an element, in document order, with whitespace runs folded. Pieces from
 * different elements are joined with `joiner` (a space: CDA narrative blocks; '' for XLSX text runs).
 */
export function textContent(el: XmlElement | undefined, joiner = ' '): string {
  if (!el) return '';
  const parts: string[] = [];
  const walk = (e: XmlElement) => {
    if (!e.segments) {
      parts.push(e.text);
      for (const c of e.children) walk(c);
      return;
    }
    let next = 0;
    e.children.forEach((c, i) => {
      while (next < e.segments!.length && e.segments![next]!.at <= i) parts.push(e.segments![next++]!.text);
      walk(c);
    });
    while (next < e.segments.length) parts.push(e.segments[next++]!.text);
  };
  walk(el);
  return parts.join(joiner).replace(/[\s\u3000]+/g, ' ').trim();
}

export function attr(el: XmlElement | undefined, name: string): string | undefined {
  return el?.attrs.get(name);
}

/** xsi:type without its prefix (REAL, PQ, ST, CD, IVL_PQ …). */
export function xsiType(el: XmlElement | undefined): string | undefined {
  const t = el?.attrs.get(`{${XSI}}type`);
  return t === undefined ? undefined : t.slice(t.indexOf(':') + 1);
}
