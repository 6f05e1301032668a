/**
 * Adapters read visible elements only (只读页面上可见的内容). A page showing patient A can carry a
 * hidden element with B's 身份证号 before A's own (a stale template, an off-screen copy, a hostile
 * page): read first-match, the sidebar would show A's name over B's results and store B's
 * decisions (security review, issue 14). What the physician cannot see is not read: the first
 * *visible* match wins.
 *
 * Content-script code: plain DOM, no dependencies; elements of a frame are judged with that
 * frame's window.
 */

/**
 * checkVisibility's options under both names: Chrome 105–120 knows `checkOpacity` and
 * `checkVisibilityCSS`, Chrome 121+ `opacityProperty` and `visibilityProperty` (and still the old
 * ones); unknown members are ignored, so every version gets both checks.
 */
const CHECK = { checkOpacity: true, checkVisibilityCSS: true, opacityProperty: true, visibilityProperty: true } as const;

/** Smaller than this (CSS px) in either direction is no box to read: the 1×1 "sr-only" pattern, 0×0 wrappers. */
const MIN_SIDE = 2;

type WithCheck = Element & { checkVisibility?: (options?: Record<string, boolean>) => boolean };

/**
 * Whether the physician can see `el`: connected, not in a `<template>` or under `[hidden]`, not
 * in the closed part of a `<details>`, rendered (no display:none, visibility:hidden/collapse or
 * opacity:0 on it or an ancestor: `checkVisibility()` where the browser has it, computed styles
 * otherwise), and — where the document has a layout — a box of at least 2×2 px that is not
 * entirely above or left of the page (off-screen copies at left:-9999px).
 *
 * `aria-hidden` alone does not hide: what is drawn on screen is what the physician reads.
 */
export function isVisible(el: Element): boolean {
  if (!el.isConnected) return false;
  if (el.closest('template, [hidden]')) return false;
  if (inClosedDetails(el)) return false;
  const check = (el as WithCheck).checkVisibility;
  if (typeof check === 'function' ? !check.call(el, CHECK) : !styleVisible(el)) return false;
  return hasBox(el);
}

/** Whether `el` sits in a closed `<details>` outside its summary (rendered only once opened). */
function inClosedDetails(el: Element): boolean {
  for (let details = el.closest('details'); details; details = details.parentElement?.closest('details') ?? null) {
    if (details.hasAttribute('open')) continue;
    const summary = [...details.children].find((c) => c.tagName === 'SUMMARY');
    if (!summary || !summary.contains(el)) return true;
  }
  return false;
}

/** The fallback where checkVisibility is missing: computed styles of the element and its ancestors. */
function styleVisible(el: Element): boolean {
  const view = el.ownerDocument.defaultView;
  if (!view) return false;
  for (let e: Element | null = el; e; e = e.parentElement) {
    const style = view.getComputedStyle(e);
    if (style.display === 'none' || style.opacity === '0') return false;
    if (e === el && (style.visibility === 'hidden' || style.visibility === 'collapse')) return false;
  }
  return true;
}

/**
 * Whether the document is laid out: a real browser gives the root element a size; a DOM without
 * layout (unit tests) gives every element a 0×0 box, and then sizes say nothing.
 */
function hasLayout(doc: Document): boolean {
  const root = doc.documentElement?.getBoundingClientRect();
  return !!root && (root.width > 0 || root.height > 0);
}

function hasBox(el: Element): boolean {
  const doc = el.ownerDocument;
  if (!hasLayout(doc)) return true;
  const view = doc.defaultView;
  const scrollX = view?.scrollX ?? 0;
  const scrollY = view?.scrollY ?? 0;
  for (const rect of el.getClientRects()) {
    // Document coordinates: a box entirely at negative x or y can never be scrolled into view.
    if (rect.width >= MIN_SIDE && rect.height >= MIN_SIDE && rect.right + scrollX > 0 && rect.bottom + scrollY > 0) return true;
  }
  return false;
}

/** The first element matching `selector` that is visible; null when none is (or the selector is malformed). */
export function queryVisible(root: ParentNode, selector: string): Element | null {
  for (const el of queryAllSafe(root, selector)) if (isVisible(el)) return el;
  return null;
}

/** Every visible element matching `selector`, in document order. */
export function queryAllVisible(root: ParentNode, selector: string): Element[] {
  return queryAllSafe(root, selector).filter(isVisible);
}

function queryAllSafe(root: ParentNode, selector: string): Element[] {
  try {
    return [...root.querySelectorAll(selector)];
  } catch {
    return [];
  }
}

/**
 * The text of `el` the physician sees: its text nodes whose element is visible, in order (a hidden
 * `<span>` inside a cell does not add B's number to A's). Whitespace is left for the caller to collapse.
 */
export function visibleText(el: Element): string {
  const doc = el.ownerDocument;
  const walker = doc.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
  const seen = new Map<Element, boolean>();
  const parts: string[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !node.nodeValue) continue;
    if (parent.tagName === 'SCRIPT' || parent.tagName === 'STYLE') continue;
    let shown = seen.get(parent);
    if (shown === undefined) seen.set(parent, (shown = isVisible(parent)));
    if (shown) parts.push(node.nodeValue);
  }
  return parts.join('');
}
