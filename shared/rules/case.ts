import { z } from 'zod';
import { Order } from '../domain/encounter.ts';
import { ExternalResult } from '../domain/external-result.ts';
import { formatPath, type Problem } from './problems.ts';

/**
 * 判定用例: the engine's inputs other than the packs, as a JSON file for the CLI and for tests.
 * Packs are passed separately (--pack), so the same case can be run against several packs.
 */
export const EvaluationCase = z.strictObject({
  receivingInstitution: z.string().trim().min(1),
  /** ISO 8601; without an offset it is read in each pack's time zone. */
  now: z.string().min(1),
  flags: z.array(z.string().max(64)).max(32).default([]),
  results: z.array(ExternalResult),
  orders: z.array(Order).max(200).default([]),
});
export type EvaluationCase = z.infer<typeof EvaluationCase>;

export type ParseCaseResult = { ok: true; case: EvaluationCase } | { ok: false; problems: Problem[] };

export function parseCase(json: unknown): ParseCaseResult {
  const parsed = EvaluationCase.safeParse(json);
  if (parsed.success) return { ok: true, case: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
  };
}
