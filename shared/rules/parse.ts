import { crossCheck } from './cross-refs.ts';
import { formatPath, type Problem } from './problems.ts';
import { RulePack } from './schema/rule-pack.ts';

export type ParseRulePackResult = { ok: true; pack: RulePack } | { ok: false; problems: Problem[] };

/**
 * Validate a pack as read from JSON: shape first (zod), then cross-references.
 * Never throws; every problem carries its JSON path.
 */
export function parseRulePack(json: unknown): ParseRulePackResult {
  const parsed = RulePack.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      path: formatPath(issue.path),
      message: issue.message,
    }));
    return { ok: false, problems };
  }
  const problems = crossCheck(parsed.data);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, pack: parsed.data };
}
