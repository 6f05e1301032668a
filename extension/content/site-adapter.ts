/**
 * A site adapter says where one EMR product shows the patient and the orders.
 * Runs in the content script, so it is plain data plus a tiny reader: no zod, no React.
 * What it reads is untrusted and is validated by the background (extension/background).
 */
export interface FieldRule {
  /** CSS selector, looked up in the document (and listed same-origin frames). */
  selector: string;
  /** Attribute to read instead of the text. */
  attribute?: string;
  /** Regular expression over the text; the first group (or the whole match) is kept. */
  pattern?: string;
}

export interface SiteAdapter {
  id: string;
  /** URL regular expressions this adapter applies to. */
  urlPatterns: string[];
  patient: {
    identifier: FieldRule;
    /** FHIR identifier system of that identifier, e.g. the 身份证号 system. */
    identifierSystem?: string;
    name?: FieldRule;
    gender?: FieldRule;
    age?: FieldRule;
  };
  user?: { physician?: FieldRule; department?: FieldRule };
  orders?: { item: string; name: FieldRule; code?: FieldRule };
  /** Where "insert into note" puts a citation. */
  note?: { selector: string };
}

/** The raw context as read from the page, before validation. */
export interface RawContext {
  adapterId: string;
  patient: { identifier: { system?: string; value: string }; name?: string; gender?: string; age?: string };
  orders: { name: string; code?: string }[];
  user: { physician?: string; department?: string };
}

function readField(root: ParentNode, rule: FieldRule | undefined): string | undefined {
  if (!rule) return undefined;
  const el = root.querySelector(rule.selector);
  if (!el) return undefined;
  const raw = rule.attribute ? el.getAttribute(rule.attribute) : el.textContent;
  if (raw == null) return undefined;
  let text = raw.replace(/\s+/g, ' ').trim();
  if (rule.pattern) {
    const m = new RegExp(rule.pattern).exec(text);
    if (!m) return undefined;
    text = (m[1] ?? m[0]).trim();
  }
  return text || undefined;
}

export function adapterFor(adapters: SiteAdapter[], url: string): SiteAdapter | undefined {
  return adapters.find((a) => a.urlPatterns.some((p) => new RegExp(p).test(url)));
}

/** Reads the current encounter from the page; undefined while no patient is open. */
export function readContext(doc: Document, adapter: SiteAdapter): RawContext | undefined {
  const value = readField(doc, adapter.patient.identifier);
  if (!value) return undefined;
  const orders: RawContext['orders'] = [];
  if (adapter.orders) {
    for (const row of doc.querySelectorAll(adapter.orders.item)) {
      const name = readField(row, adapter.orders.name);
      if (name) orders.push({ name, code: readField(row, adapter.orders.code) });
    }
  }
  return {
    adapterId: adapter.id,
    patient: {
      identifier: { system: adapter.patient.identifierSystem, value },
      name: readField(doc, adapter.patient.name),
      gender: readField(doc, adapter.patient.gender),
      age: readField(doc, adapter.patient.age),
    },
    orders,
    user: {
      physician: readField(doc, adapter.user?.physician),
      department: readField(doc, adapter.user?.department),
    },
  };
}
