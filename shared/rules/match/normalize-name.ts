/**
 * 名称归一化: full-width → half-width, case, spaces, bracket shapes, 的 and colons, and a trailing
 * 测定/检测/检查. Only whole names are compared afterwards — never fragments, so 血钾 ≠ 尿钾.
 */
export function normalizeItemName(name: string): string {
  let s = name.normalize('NFKC').toLowerCase();
  s = s.replace(OPEN_BRACKETS, '(').replace(CLOSE_BRACKETS, ')');
  s = s.replace(DROPPED, '');
  s = s.replace(EMPTY_BRACKETS, '');
  const trimmed = s.replace(TRAILING_VERB, '');
  return trimmed === '' ? s : trimmed;
}

/** Marks are compared without spaces and case: "湛江市 HR" = "湛江市HR" = "湛江市ｈｒ". */
export function normalizeMark(mark: string): string {
  return mark.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/**
 * Names to try: the whole name, then for "X(Y)" the part outside and the part inside the brackets
 * (谷丙转氨酶(ALT) → 谷丙转氨酶, alt). The caller accepts the parts only when both name the same item.
 */
export function nameCandidates(normalized: string): string[] {
  const m = BRACKETED.exec(normalized);
  if (!m || !m[1] || !m[2]) return [normalized];
  return [normalized, m[1], m[2]];
}

const OPEN_BRACKETS = /[[{【〔〖［「『〈《]/g;
const CLOSE_BRACKETS = /[\]}】〕〗］」』〉》]/g;
// Spaces, 的, colons, middle dots, hyphens and underscores carry no meaning in item names.
const DROPPED = /[\s的:：·•・\-_‐‑–—]/g;
const EMPTY_BRACKETS = /\(\)/g;
const TRAILING_VERB = /(测定|检测|检查)$/;
const BRACKETED = /^([^()]*)\(([^()]*)\)$/;

const markKeys = new Map<string, string>();
/** normalizeMark, memoized: qualifications repeat the same few marks for every result. */
export function markKey(label: string): string {
  let key = markKeys.get(label);
  if (key === undefined) {
    key = normalizeMark(label);
    if (markKeys.size > 1000) markKeys.clear();
    markKeys.set(label, key);
  }
  return key;
}
