import type { BilingualText } from '../schema/common.ts';
import type { RuleId, VerdictStatus } from '../verdict.ts';

/** What a rule decided: the status it gives and why, in both languages. */
export interface Outcome {
  status: VerdictStatus;
  rule: RuleId;
  detail: BilingualText;
}

export function outcome(status: VerdictStatus, rule: RuleId, zh: string, en: string): Outcome {
  return { status, rule, detail: { 'zh-CN': zh, en } };
}
