/**
 * A site adapter says where one EMR product shows the patient and the orders.
 * Runs in the content script, so it is plain data plus a tiny reader: no zod, no React.
 * The background validates adapters (extension/settings/site-adapter-schema.ts) before handing
 * one over, and validates what the readers return (extension/background/frame-merge.ts).
 * The format is documented in docs/site-adapter.md.
 *
 * Frames: a field is read in the top page, reaching same-origin frames through `frame` (a path of
 * CSS selectors); or, with `frameUrl`, by the content script running inside the frame whose URL
 * matches — the way to read frames served from another origin, which the top page cannot open.
 * Each frame reports what it read; the background merges the reports of one tab.
 *
 * Visible elements only (visible.ts): a selector's first *visible* match is read, its visible
 * text; hidden order rows, a hidden note field and hidden frames are passed over, so a hidden
 * element carrying another patient's 身份证号 is never the one read (security review, issue 14).
 */
import { collapse, readByLabel, type Take } from './label-field';
import { queryAllVisible, queryVisible, visibleText } from './visible';

/**
 * A path of same-origin frames from the reading document to the document holding a field: each
 * entry is a CSS selector for an `<iframe>`/`<frame>` inside the previous frame's document.
 */
export type FramePath = string[];

export interface FieldRule {
  /** CSS selector of the element holding the value. Give this, or `label` / `labelPattern`. */
  selector?: string;
  /** The visible label next to the value (患者姓名); see label-field.ts. */
  label?: string;
  /** A regular expression over the label's normalized text, when the label varies. */
  labelPattern?: string;
  /** Where the value sits relative to the label (default 'auto'). */
  take?: Take;
  /** CSS selector of the region the label is searched in. */
  within?: string;
  /** Attribute to read instead of the text. */
  attribute?: string;
  /** Regular expression over the text; the first group (or the whole match) is kept. */
  pattern?: string;
  /** Overrides the adapter's frame path for this field; `[]` is the reading document itself. */
  frame?: FramePath;
  /** Read by the content script in the frame whose URL matches this regular expression (any origin). */
  frameUrl?: string;
}

export interface OrdersRule {
  /** CSS selector of one order row. */
  item: string;
  /** Read inside each row; a label with take 'column' names the grid's column header. */
  name: FieldRule;
  code?: FieldRule;
  frame?: FramePath;
  frameUrl?: string;
}

export interface NoteRule {
  selector: string;
  frame?: FramePath;
  frameUrl?: string;
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
  orders?: OrdersRule;
  /** Where "insert into note" puts a citation (textarea, input or contenteditable). */
  note?: NoteRule;
}

export const FIELD_NAMES = ['identifier', 'name', 'gender', 'age', 'physician', 'department'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

/** What one frame's content script reads: its share of the adapter. */
export interface FrameReader {
  adapterId: string;
  /** The adapter's default frame path (relative to this frame's document). */
  frame?: FramePath;
  fields: Partial<Record<FieldName, FieldRule>>;
  orders?: OrdersRule;
  note?: NoteRule;
}

/** What one frame read. `orders` is absent when this frame reads no orders. */
export interface FramePart {
  fields: Partial<Record<FieldName, string>>;
  orders?: { name: string; code?: string }[];
  /** This frame holds the note field (a citation is inserted here). */
  note: boolean;
}

/** The raw context as read from the page, before validation. */
export interface RawContext {
  adapterId: string;
  patient: { identifier: { system?: string; value: string }; name?: string; gender?: string; age?: string };
  orders: { name: string; code?: string }[];
  user: { physician?: string; department?: string };
}

function ruleOf(adapter: SiteAdapter, name: FieldName): FieldRule | undefined {
  switch (name) {
    case 'identifier':
      return adapter.patient.identifier;
    case 'name':
    case 'gender':
    case 'age':
      return adapter.patient[name];
    default:
      return adapter.user?.[name];
  }
}

function testRe(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return false;
  }
}

/** Whether a rule is read in the frame at `frameUrl`: frameUrl rules where they match, the rest in the top frame. */
function readsHere(rule: { frameUrl?: string }, frameUrl: string, isTop: boolean): boolean {
  return rule.frameUrl === undefined ? isTop : testRe(rule.frameUrl, frameUrl);
}

/** The part of an adapter the content script in one frame reads (null: nothing here). */
export function frameReader(adapter: SiteAdapter, frameUrl: string, isTop: boolean): FrameReader | null {
  const fields: FrameReader['fields'] = {};
  for (const name of FIELD_NAMES) {
    const rule = ruleOf(adapter, name);
    if (rule && readsHere(rule, frameUrl, isTop)) fields[name] = rule;
  }
  const orders = adapter.orders && readsHere(adapter.orders, frameUrl, isTop) ? adapter.orders : undefined;
  const note = adapter.note && readsHere(adapter.note, frameUrl, isTop) ? adapter.note : undefined;
  // The top frame always takes part: it hosts the sidebar even when every field is in a frame.
  if (!isTop && Object.keys(fields).length === 0 && !orders && !note) return null;
  return { adapterId: adapter.id, frame: adapter.frame, fields, orders, note };
}

/** The document at the end of a frame path, or undefined if a frame is missing or cross-origin. */
export function frameDocument(top: Document, path: FramePath | undefined): Document | undefined {
  let doc: Document | undefined = top;
  for (const selector of path ?? []) {
    // A hidden frame is no part of what the physician sees.
    const el = queryVisible(doc, selector);
    if (!el || !('contentDocument' in el)) return undefined;
    try {
      doc = (el as HTMLIFrameElement).contentDocument ?? undefined;
    } catch {
      doc = undefined; // cross-origin: not readable from here (use frameUrl)
    }
    if (!doc) return undefined;
  }
  return doc;
}

function applyPattern(text: string, pattern: string | undefined): string | undefined {
  if (!pattern) return text || undefined;
  let m: RegExpExecArray | null = null;
  try {
    m = new RegExp(pattern).exec(text);
  } catch {
    return undefined;
  }
  return m ? (m[1] ?? m[0]).trim() || undefined : undefined;
}

/**
 * Reads one field inside `root` (no frame lookup: `root` is already the right document or row).
 * Inside an order row, `row` is that row (a column label is then looked up in the row's document).
 */
export function readField(root: ParentNode | undefined, rule: FieldRule | undefined, row?: Element): string | undefined {
  if (!root || !rule) return undefined;
  if (rule.label !== undefined || rule.labelPattern !== undefined) {
    const text = readByLabel(root, rule, row);
    return text === undefined ? undefined : applyPattern(text, rule.pattern);
  }
  if (!rule.selector) return undefined;
  // The first match the physician sees, not the first in the DOM.
  const el = queryVisible(root, rule.selector);
  if (!el) return undefined;
  const raw = rule.attribute ? el.getAttribute(rule.attribute) : visibleText(el);
  if (raw == null) return undefined;
  return applyPattern(collapse(raw), rule.pattern);
}

export function adapterFor(adapters: SiteAdapter[], url: string): SiteAdapter | undefined {
  return adapters.find((a) => a.urlPatterns.some((p) => testRe(p, url)));
}

/** Every frame path a reader reads from, so the caller can watch those documents too. */
export function framePaths(reader: FrameReader | SiteAdapter): FramePath[] {
  const rules = 'fields' in reader ? Object.values(reader.fields) : FIELD_NAMES.map((n) => ruleOf(reader, n));
  const paths = [reader.frame ?? [], reader.orders?.frame, reader.note?.frame, ...rules.map((r) => r?.frame)];
  const seen = new Map<string, FramePath>();
  for (const p of paths) if (p) seen.set(JSON.stringify(p), p);
  return [...seen.values()];
}

/** Reads this frame's share of the adapter. */
export function readPart(doc: Document, reader: FrameReader): FramePart {
  const fields: FramePart['fields'] = {};
  for (const name of FIELD_NAMES) {
    const rule = reader.fields[name];
    const value = rule ? readField(frameDocument(doc, rule.frame ?? reader.frame), rule) : undefined;
    if (value !== undefined) fields[name] = value;
  }
  const part: FramePart = { fields, note: !!noteElement(doc, reader) };
  if (reader.orders) {
    const orders = reader.orders;
    const ordersDoc = frameDocument(doc, orders.frame ?? reader.frame);
    part.orders = [];
    for (const row of ordersDoc ? queryAllVisible(ordersDoc, orders.item) : []) {
      const name = readField(row, orders.name, row);
      if (name) part.orders.push({ name, code: readField(row, orders.code, row) });
    }
  }
  return part;
}

/** The reports of a tab's frames put together; undefined while no frame shows a patient. */
export function mergeParts(adapter: Pick<SiteAdapter, 'id' | 'patient'>, parts: FramePart[]): RawContext | undefined {
  const fields: FramePart['fields'] = {};
  let orders: RawContext['orders'] | undefined;
  // Later parts win: the caller passes them oldest first.
  for (const part of parts) {
    Object.assign(fields, part.fields);
    if (part.orders) orders = part.orders;
  }
  if (!fields.identifier) return undefined;
  return {
    adapterId: adapter.id,
    patient: {
      identifier: { system: adapter.patient.identifierSystem, value: fields.identifier },
      name: fields.name,
      gender: fields.gender,
      age: fields.age,
    },
    orders: orders ?? [],
    user: { physician: fields.physician, department: fields.department },
  };
}

/** Reads, in one document, everything the adapter reads in the top frame; undefined while no patient is open. */
export function readContext(top: Document, adapter: SiteAdapter): RawContext | undefined {
  return mergeParts(adapter, [readPart(top, frameReader(adapter, top.URL, true)!)]);
}

/** The note field the reader names, if it is in this frame's page now. */
export function noteElement(top: Document, reader: FrameReader | SiteAdapter): HTMLElement | undefined {
  if (!reader.note) return undefined;
  const doc = frameDocument(top, reader.note.frame ?? reader.frame);
  const el = doc ? queryVisible(doc, reader.note.selector) : null;
  return (el as HTMLElement | null) ?? undefined;
}
