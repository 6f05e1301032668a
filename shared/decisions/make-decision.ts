import { Decision, EXT, RECOGNIZE_SUGGESTION, RETEST_REASON_SYSTEM, type DecisionContext } from '../domain/decision';
import type { RetestReason } from '../rules';

export type Choice = { kind: 'recognize' } | { kind: 'retest'; reason: RetestReason; comment?: string };

/** Why a choice cannot be saved, or null when it can. */
export function choiceProblem(choice: Choice): 'reason-required' | 'comment-required' | null {
  if (choice.kind === 'recognize') return null;
  if (!choice.reason) return 'reason-required';
  if (choice.reason.commentRequired && !choice.comment?.trim()) return 'comment-required';
  return null;
}

/**
 * The CDS Hooks feedback entry for a physician's choice on a card. Throws when the choice is not
 * valid (no reason, or 其他 without its comment): such a decision is never stored.
 */
export function makeDecision(choice: Choice, card: string, context: DecisionContext, meta: { uuid: string; now: Date }): Decision {
  const problem = choiceProblem(choice);
  if (problem) throw new Error(`decision not valid: ${problem}`);
  const base = {
    uuid: meta.uuid,
    card,
    outcomeTimestamp: meta.now.toISOString(),
    extension: { [EXT]: choice.kind === 'recognize' ? context : { ...context, savedPrice: undefined } },
  };
  const decision =
    choice.kind === 'recognize'
      ? { ...base, outcome: 'accepted' as const, acceptedSuggestions: [{ id: RECOGNIZE_SUGGESTION }] }
      : {
          ...base,
          outcome: 'overridden' as const,
          overrideReason: {
            reason: { system: RETEST_REASON_SYSTEM, code: choice.reason.code, display: choice.reason.label['zh-CN'] },
            ...(choice.comment?.trim() ? { userComment: choice.comment.trim() } : {}),
          },
        };
  return Decision.parse(decision);
}
