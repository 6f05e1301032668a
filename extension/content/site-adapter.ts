/**
 * A site adapter says where one EMR product shows the patient and the orders.
 * Runs in the content script, so it is plain data plus a tiny reader: no zod, no React.
 * The background validates adapters (extension/settings/site-adapter-schema.ts) before handing
 * one over, and validates what the reader returns (extension/background/context-store.ts).
 */

/**
 * A path of same-origin frames from the top document to the document holding a field: each
 * entry is a CSS selector for an `<iframe>`/`<frame>` inside the previous frame's document.
 */
export type FramePath = string[];

export interface FieldRule {
  /** CSS selector, looked up in the document named by `frame` (default: the adapter's frame). */
  selector: string;
  /** Attribute to read instead of the text. */
  attribute?: string;
  /** Regular expression over the text; the first group (or the whole match) is kept. */
  pattern?: string;
  /** Overrides the adapter's frame path for this field; `[]` is the top document. */
  frame?: FramePath;
}

export interface SiteAdapter {
  id: string;
  /** Shown in the options page, e.g. "某某HIS 门诊医生站". */
  name?: string;
  /** URL regular expressions (over the top page's URL) this adapter applies to. */
  urlPatterns: string[];
  /** Default frame path for every field. */
  frame?: FramePath;
  patient: {
    identifier: FieldRule;
    /** FHIR identifier system of that identifier, e.g. the 身份证号 system. */
    identifierSystem?: string;
    name?: FieldRule;
    gender?: FieldRule;
    age?: FieldRule;
  };
  user?: { physician?: FieldRule; department?: FieldRule };
  /** One `item` per order row; `name` and `code` are read inside the row. */
  orders?: { item: string; name: FieldRule; code?: FieldRule; frame?: FramePath };
  /** Where "insert into note" puts a citation (textarea, input or contenteditable). */
  note?: { selector: string; frame?: FramePath };
}

/** The raw context as read from the page, before validation. */
export interface RawContext {
  adapterId: string;
  patient: { identifier: { system?: string; value: string }; name?: string; gender?: string; age?: string };
  orders: { name: string; code?: string }[];
  user: { physician?: string; department?: string };
}

/** The document at the end of a frame path, or undefined if a frame is missing or cross-origin. */
export function frameDocument(top: Document, path: FramePath | undefined): Document | undefined {
  let doc: Document | undefined = top;
  for (const selector of path ?? []) {
    const el = query(doc, selector);
    if (!el || !('contentDocument' in el)) return undefined;
    try {
      doc = (el as HTMLIFrameElement).contentDocument ?? undefined;
    } catch {
      doc = undefined; // cross-origin: not readable from here
    }
    if (!doc) return undefined;
  }
  return doc;
}

/** querySelector that treats a malformed selector as "not found" rather than throwing. */
export function query(root: ParentNode, selector: string): Element | null {
  try {
    return root.querySelector(selector);
  } catch {
    return null;
  }
}

function queryAll(root: ParentNode, selector: string): Element[] {
  try {
    return [...root.querySelectorAll(selector)];
  } catch {
    return [];
  }
}

/** Reads one field inside `root` (no frame lookup: `root` is already the right document or row). */
export function readField(root: ParentNode | undefined, rule: FieldRule | undefined): string | undefined {
  if (!root || !rule) return undefined;
  const el = query(root, rule.selector);
  if (!el) return undefined;
  const raw = rule.attribute ? el.getAttribute(rule.attribute) : el.textContent;
  if (raw == null) return undefined;
  let text = raw.replace(/\s+/g, ' ').trim();
  if (rule.pattern) {
    let m: RegExpExecArray | null = null;
    try {
      m = new RegExp(rule.pattern).exec(text);
    } catch {
      return undefined;
    }
    if (!m) return undefined;
    text = (m[1] ?? m[0]).trim();
  }
  return text || undefined;
}

export function adapterFor(adapters: SiteAdapter[], url: string): SiteAdapter | undefined {
  return adapters.find((a) =>
    a.urlPatterns.some((p) => {
      try {
        return new RegExp(p).test(url);
      } catch {
        return false;
      }
    }),
  );
}

/** Every frame path the adapter reads from, so the caller can watch those documents too. */
export function framePaths(adapter: SiteAdapter): FramePath[] {
  const rules = [adapter.patient.identifier, adapter.patient.name, adapter.patient.gender, adapter.patient.age, adapter.user?.physician, adapter.user?.department];
  const paths = [adapter.frame ?? [], adapter.orders?.frame, adapter.note?.frame, ...rules.map((r) => r?.frame)];
  const seen = new Map<string, FramePath>();
  for (const p of paths) if (p) seen.set(JSON.stringify(p), p);
  return [...seen.values()];
}

/** Reads one field, looking it up in its frame. */
function readIn(top: Document, adapter: SiteAdapter, rule: FieldRule | undefined): string | undefined {
  return rule ? readField(frameDocument(top, rule.frame ?? adapter.frame), rule) : undefined;
}

/** Reads the current encounter from the page; undefined while no patient is open. */
export function readContext(top: Document, adapter: SiteAdapter): RawContext | undefined {
  const value = readIn(top, adapter, adapter.patient.identifier);
  if (!value) return undefined;
  const orders: RawContext['orders'] = [];
  if (adapter.orders) {
    const doc = frameDocument(top, adapter.orders.frame ?? adapter.frame);
    for (const row of doc ? queryAll(doc, adapter.orders.item) : []) {
      const name = readField(row, adapter.orders.name);
      if (name) orders.push({ name, code: readField(row, adapter.orders.code) });
    }
  }
  return {
    adapterId: adapter.id,
    patient: {
      identifier: { system: adapter.patient.identifierSystem, value },
      name: readIn(top, adapter, adapter.patient.name),
      gender: readIn(top, adapter, adapter.patient.gender),
      age: readIn(top, adapter, adapter.patient.age),
    },
    orders,
    user: {
      physician: readIn(top, adapter, adapter.user?.physician),
      department: readIn(top, adapter, adapter.user?.department),
    },
  };
}

/** The note field the adapter names, if it is on the page now. */
export function noteElement(top: Document, adapter: SiteAdapter): HTMLElement | undefined {
  if (!adapter.note) return undefined;
  const doc = frameDocument(top, adapter.note.frame ?? adapter.frame);
  const el = doc ? query(doc, adapter.note.selector) : null;
  return (el as HTMLElement | null) ?? undefined;
}
