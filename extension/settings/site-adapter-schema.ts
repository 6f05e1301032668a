import { z } from 'zod';
import type { SiteAdapter as SiteAdapterShape } from '../content/site-adapter';
import { formatPath, type Problem } from '../../shared/rules/problems';

/**
 * The zod schema of a site adapter (extension/content/site-adapter.ts holds the plain type the
 * content script uses). Adapters typed in the options page or pushed by policy are checked here,
 * in extension pages and the background, before any content script sees them.
 */
const regex = z
  .string()
  .min(1)
  .max(500)
  .refine((p) => {
    try {
      new RegExp(p);
      return true;
    } catch {
      return false;
    }
  }, '不是有效的正则表达式 (invalid regular expression)');

const selector = z.string().trim().min(1).max(500);
const FramePath = z.array(selector).max(8);

/** Label text as the page shows it (spaces and a trailing colon do not matter). */
const labelText = z.string().trim().min(1).max(40);

export const FieldRule = z
  .strictObject({
    selector: selector.optional(),
    label: labelText.optional(),
    labelPattern: regex.optional(),
    take: z.enum(['auto', 'for', 'next-cell', 'next-sibling', 'column', 'rest']).optional(),
    within: selector.optional(),
    attribute: z.string().trim().min(1).max(100).optional(),
    pattern: regex.optional(),
    frame: FramePath.optional(),
    frameUrl: regex.optional(),
  })
  .superRefine((rule, ctx) => {
    const ways = [rule.selector, rule.label, rule.labelPattern].filter((v) => v !== undefined).length;
    if (ways !== 1) {
      ctx.addIssue({ code: 'custom', path: [], message: '须且只能给出 selector、label、labelPattern 之一 (exactly one of selector, label, labelPattern)' });
    }
    if (rule.selector !== undefined && (rule.take !== undefined || rule.within !== undefined)) {
      ctx.addIssue({ code: 'custom', path: [rule.take !== undefined ? 'take' : 'within'], message: 'take / within 只用于 label (only with label or labelPattern)' });
    }
  });

export const SiteAdapter = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'id: 小写字母、数字、. _ -，最长 64 (lowercase letters, digits, . _ -)'),
  name: z.string().max(100).optional(),
  urlPatterns: z.array(regex).min(1).max(20),
  frame: FramePath.optional(),
  patient: z.strictObject({
    identifier: FieldRule,
    identifierSystem: z.string().min(1).max(256).optional(),
    name: FieldRule.optional(),
    gender: FieldRule.optional(),
    age: FieldRule.optional(),
  }),
  user: z.strictObject({ physician: FieldRule.optional(), department: FieldRule.optional() }).optional(),
  orders: z.strictObject({ item: selector, name: FieldRule, code: FieldRule.optional(), frame: FramePath.optional(), frameUrl: regex.optional() }).optional(),
  note: z.strictObject({ selector, frame: FramePath.optional(), frameUrl: regex.optional() }).optional(),
});
export type SiteAdapter = z.infer<typeof SiteAdapter>;

export const SiteAdapterList = z.array(SiteAdapter).max(50).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((a, i) => {
    if (seen.has(a.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `重复的 id "${a.id}" (duplicate id)` });
    seen.add(a.id);
  });
});

// The schema and the content script's plain type must describe the same thing.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameShape: Same<SiteAdapter, SiteAdapterShape> = true;
void sameShape;

export type ParseAdaptersResult = { ok: true; adapters: SiteAdapter[] } | { ok: false; problems: Problem[] };

/** Validates one adapter or a list of them (as typed in the options page); every problem has its JSON path. */
export function parseAdapters(json: unknown): ParseAdaptersResult {
  const list = Array.isArray(json) ? json : [json];
  const parsed = SiteAdapterList.safeParse(list);
  if (parsed.success) return { ok: true, adapters: parsed.data };
  const problems = parsed.error.issues.map((issue) => ({
    path: formatPath(Array.isArray(json) ? issue.path : issue.path.slice(1)),
    message: issue.message,
  }));
  return { ok: false, problems };
}

/** Parses the options page's JSON text: a syntax error is a problem at the root, not an exception. */
export function parseAdaptersText(text: string): ParseAdaptersResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ path: '(root)', message: `JSON 语法错误：${(e as Error).message}` }] };
  }
  return parseAdapters(json);
}
