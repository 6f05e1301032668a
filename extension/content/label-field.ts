/**
 * Label-relative fields: "the value next to 患者姓名：". EMR screens built with ExtJS, WinForms-era
 * web ports or report-style tables have no stable ids (ext-gen1234 changes every build or even
 * every load) but they do have the labels the physician reads. A field finds its label by visible
 * text and takes the value beside it, so it survives generated ids and reordered columns.
 *
 * Only what the physician sees is read (visible.ts): a hidden label, a hidden value cell or a
 * hidden part of a cell is passed over, so a hidden first match cannot stand in for the shown one.
 *
 * Content-script code: plain DOM, no dependencies. Elements are compared by tag name, not
 * instanceof, because a frame's elements belong to that frame's window.
 */
import { isVisible, queryVisible, visibleText } from './visible';

/** How the value sits relative to its label. */
export type Take = 'auto' | 'for' | 'next-cell' | 'next-sibling' | 'column' | 'rest';

export interface LabelRule {
  /** The label's visible text, exact: spaces (also 全角), NFKC width and a trailing ：/: do not matter. */
  label?: string;
  /** Or a regular expression over the label's normalized text (NFKC, spaces removed, no trailing colon). */
  labelPattern?: string;
  take?: Take;
  /** CSS selector of the part of the page to look for the label in (default: the whole document or row). */
  within?: string;
}

const CELL = 'td, th, [role="gridcell"], [role="cell"], [role="columnheader"], [role="rowheader"]';
/** Longest text an element may have and still be a label (keeps the search to short elements). */
const MAX_LABEL_CHARS = 40;

/** NFKC (全角 → 半角), every kind of space removed, trailing colons removed. */
export function normalizeLabel(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').replace(/:+$/, '');
}

/** Whitespace collapsed and trimmed, as every read value is. */
export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function compileMatcher(rule: LabelRule): ((text: string) => boolean) | undefined {
  if (rule.label !== undefined) {
    const wanted = normalizeLabel(rule.label);
    return wanted ? (text) => normalizeLabel(text) === wanted : undefined;
  }
  if (rule.labelPattern !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(rule.labelPattern);
    } catch {
      return undefined;
    }
    return (text) => re.test(normalizeLabel(text));
  }
  return undefined;
}

function isHidden(el: Element): boolean {
  // Hidden templates and ExtJS's off-screen measuring elements carry labels too.
  return el.closest('[hidden], template, script, style, [aria-hidden="true"]') !== null || !isVisible(el);
}

/**
 * The label elements under `root` whose whole text is the label, in document order, deepest first:
 * the element that directly holds the text, or its parent when the text is split (`<b>姓名</b>：`).
 * With `inline`, the elements whose text holds the label followed by its value (take: 'rest').
 */
export function findLabels(root: ParentNode, rule: LabelRule, inline = false): Element[] {
  const matches = inline ? inlineMatcher(rule) : compileMatcher(rule);
  if (!matches) return [];
  const doc = (root as Node).ownerDocument ?? (root as Document);
  const walker = doc.createTreeWalker(root as Node, 4 /* NodeFilter.SHOW_TEXT */);
  const found: Element[] = [];
  const seen = new Set<Element>();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.nodeValue?.trim()) continue;
    let el = node.parentElement;
    for (let depth = 0; el && depth < 2; depth++, el = el.parentElement) {
      if (seen.has(el)) break;
      const text = el.textContent ?? '';
      if (text.length > MAX_LABEL_CHARS * (inline ? 10 : 1)) break;
      if (matches(text)) {
        seen.add(el);
        // `<td><b>姓名</b>：</td>`: the cell matches too, but its <b> was found first.
        if (!isHidden(el) && !found.some((f) => el!.contains(f))) found.push(el);
        break;
      }
    }
  }
  return found;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * "姓名：张伟　性别：男" in one element: the label (its characters with any spaces between, at the
 * start or after a space), an optional colon, then the value up to the next "label：" or the end.
 */
function inlinePattern(rule: LabelRule): RegExp | undefined {
  const label =
    rule.label !== undefined ? [...normalizeLabel(rule.label)].map(escapeRe).join('\\s*') : rule.labelPattern !== undefined ? `(?:${rule.labelPattern})` : undefined;
  if (!label) return undefined;
  try {
    return new RegExp(`(?:^|[\\s|,;，；、])${label}\\s*[:：]?\\s*(.*?)\\s*(?=[\\s|,;，；、][^\\s:：|,;，；、]{1,12}\\s*[:：]|$)`, 's');
  } catch {
    return undefined;
  }
}

function inlineMatcher(rule: LabelRule): ((text: string) => boolean) | undefined {
  const re = inlinePattern(rule);
  return re && ((text) => re.test(text));
}

/**
 * The value of a form control or the visible text of an element (a cell holding only a control
 * gives the first visible control's value); nothing for an element the physician cannot see.
 */
export function valueOf(el: Element, attribute?: string): string | undefined {
  if (!isVisible(el)) return undefined;
  if (attribute) return el.getAttribute(attribute) ?? undefined;
  const control = controlValue(el);
  if (control !== undefined) return control;
  const text = collapse(visibleText(el));
  if (text) return text;
  const inner = queryVisible(el, 'input, select, textarea');
  return inner ? controlValue(inner) : undefined;
}

function controlValue(el: Element): string | undefined {
  switch (el.tagName) {
    case 'INPUT': {
      const input = el as HTMLInputElement;
      if (input.type === 'hidden' || input.type === 'password') return undefined;
      return input.value;
    }
    case 'TEXTAREA':
      return (el as HTMLTextAreaElement).value;
    case 'SELECT': {
      // The option's text (男), not its code value (1).
      const option = (el as HTMLSelectElement).selectedOptions[0];
      return option ? collapse(option.textContent ?? '') : undefined;
    }
    default:
      return undefined;
  }
}

/** The label's table/grid cell, if it sits in one. */
function cellOf(label: Element): Element | null {
  return label.closest(CELL);
}

function isCell(el: Element): boolean {
  return el.matches(CELL);
}

/** The next cell in the same row: the first visible cell after the label's (a hidden cell between them is passed over). */
function nextCell(label: Element): Element | undefined {
  const cell = cellOf(label);
  if (!cell) return undefined;
  for (let next = cell.nextElementSibling; next; next = next.nextElementSibling) if (isCell(next) && isVisible(next)) return next;
  return undefined;
}

/** The element named by a `<label for>`, in the label's own document. */
function forTarget(label: Element): Element | undefined {
  const id = label.closest('label')?.getAttribute('for');
  return id ? (label.ownerDocument.getElementById(id) ?? undefined) : undefined;
}

/** The next visible sibling with text: an element (`<dt>` → `<dd>`, `<span>` → `<span>`) or a bare text node. */
function nextSibling(label: Element): Element | Text | undefined {
  for (let node = label.nextSibling; node; node = node.nextSibling) {
    if (node.nodeType === 3 /* text */) {
      if (node.nodeValue?.trim()) return node as Text;
      continue;
    }
    if (node.nodeType === 1 && isVisible(node as Element)) return node as Element;
  }
  // `<div><span>姓名：</span></div><div>张伟</div>`: the label is alone in its wrapper; try the wrapper's sibling.
  const parent = label.parentElement;
  if (parent && parent.children.length === 1 && parent.textContent?.trim() === label.textContent?.trim()) return nextSiblingOfWrapper(parent);
  return undefined;
}

function nextSiblingOfWrapper(wrapper: Element): Element | undefined {
  for (let next = wrapper.nextElementSibling; next; next = next.nextElementSibling) if (isVisible(next)) return next;
  return undefined;
}

/** Cells of one row: `<tr>` cells, the first `<tr>` inside an ExtJS row table, or ARIA cells. */
export function rowCells(row: Element): Element[] {
  const tr = row.tagName === 'TR' ? row : row.querySelector('tr');
  if (tr) return [...tr.children].filter(isCell);
  return [...row.querySelectorAll('[role="gridcell"], [role="cell"], [role="rowheader"]')];
}

/**
 * The column a header label stands for: its index among the header cells of its row, counting
 * colspans in tables. Grids that draw the header apart from the rows (ExtJS) keep the same order.
 */
export function columnIndex(label: Element): number | undefined {
  const header = cellOf(label);
  if (!header || !header.parentElement) return undefined;
  let index = 0;
  for (const sibling of header.parentElement.children) {
    if (sibling === header) return index;
    if (isCell(sibling)) index += Math.max(1, Number((sibling as HTMLTableCellElement).colSpan) || 1);
  }
  return undefined;
}

/** The cell of `row` at a visual column index (colspans counted as in the header). */
export function cellAt(row: Element, column: number): Element | undefined {
  let index = 0;
  for (const cell of rowCells(row)) {
    const span = Math.max(1, Number((cell as HTMLTableCellElement).colSpan) || 1);
    if (column >= index && column < index + span) return cell;
    index += span;
  }
  return undefined;
}

/** The first data row after the header row of the label's table (for a single field read with take: 'column'). */
function firstDataRow(label: Element): Element | undefined {
  const headerRow = cellOf(label)?.closest('tr, [role="row"]');
  if (!headerRow) return undefined;
  const table = headerRow.closest('table');
  if (table) {
    const rows = [...table.querySelectorAll('tr')];
    return rows.slice(rows.indexOf(headerRow as HTMLTableRowElement) + 1).find((r) => rowCells(r).length > 0 && isVisible(r));
  }
  // ARIA grid: the next row in the grid.
  const grid = headerRow.closest('[role="grid"], [role="table"], [role="treegrid"]');
  const rows = grid ? [...grid.querySelectorAll('[role="row"]')] : [];
  return rows.slice(rows.indexOf(headerRow) + 1).find(isVisible);
}

function auto(label: Element): Take {
  if (label.closest('label[for]')) return 'for';
  if (cellOf(label)) return 'next-cell';
  return 'next-sibling';
}

/** Scope of the search: the first visible `within` inside the root, else the root itself. */
function scope(root: ParentNode, within: string | undefined): ParentNode | undefined {
  if (!within) return root;
  return queryVisible(root, within) ?? undefined;
}

/**
 * Reads a label-relative field in `root` (a document, or an order row). For take: 'column' inside a
 * row, the header label is looked up in the row's document and the row's cell of that column read.
 */
export function readByLabel(root: ParentNode, rule: LabelRule & { attribute?: string }, row?: Element): string | undefined {
  const take = rule.take ?? 'auto';
  if (take === 'column' && row) {
    const doc = row.ownerDocument;
    const where = scope(doc, rule.within);
    for (const label of where ? findLabels(where, rule) : []) {
      const column = columnIndex(label);
      const cell = column === undefined ? undefined : cellAt(row, column);
      if (cell) return clean(valueOf(cell, rule.attribute));
    }
    return undefined;
  }
  const where = scope(root, rule.within);
  if (!where) return undefined;
  if (take === 'rest') {
    const re = inlinePattern(rule);
    for (const label of re ? findLabels(where, rule, true) : []) {
      const m = re!.exec(visibleText(label));
      const value = m?.[1] ? collapse(m[1]) : '';
      if (value) return value;
    }
    return undefined;
  }
  for (const label of findLabels(where, rule)) {
    const how = take === 'auto' ? auto(label) : take;
    const target =
      how === 'for' ? forTarget(label) : how === 'next-cell' ? nextCell(label) : how === 'next-sibling' ? nextSibling(label) : (() => {
        const r = firstDataRow(label);
        const column = columnIndex(label);
        return r && column !== undefined ? cellAt(r, column) : undefined;
      })();
    // A hidden target (a hidden `<label for>` control, a hidden column cell) is no value the physician sees.
    if (!target || (target.nodeType === 1 && !isVisible(target as Element))) continue;
    const value = target.nodeType === 3 ? collapse(target.nodeValue ?? '') : valueOf(target as Element, rule.attribute);
    // The first label that has a value wins; an empty value cell means "no value here", not "look further".
    return clean(value);
  }
  return undefined;
}

function clean(value: string | undefined): string | undefined {
  const text = value === undefined ? undefined : collapse(value);
  return text || undefined;
}
