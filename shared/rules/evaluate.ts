import type { Order } from '../domain/encounter.ts';
import type { ExternalResult } from '../domain/external-result.ts';
import { compilePacks, type CompiledInstitution, type CompiledPack } from './compile.ts';
import { judge, PackContext } from './judge.ts';
import type { Problem } from './problems.ts';
import { buildPrompts, type Prompts } from './prompts.ts';
import { findInstitution } from './rules/issuer.ts';
import type { RulePack } from './schema/rule-pack.ts';
import { fromInstant, readClock, type ClockReading } from './time/clock-reading.ts';
import { VERDICT_STATUSES, type Verdict, type VerdictStatus } from './verdict.ts';

/** Everything the engine needs; nothing else is read (no clock, no storage). */
export interface EvaluationInput {
  /** Active packs (validated by parseRulePack), e.g. a city pack and a cross-region pack. */
  packs: readonly RulePack[];
  /** 接收机构: an institution id, or an identifier value, listed in at least one pack. */
  receivingInstitution: string;
  /** The current time: a Date, or ISO 8601 (without an offset it is read in each pack's zone). */
  now: Date | string;
  /** Encounter flags (急诊急救, 术前/输血前 …), codes from the packs' flags. */
  flags?: readonly string[];
  results: readonly ExternalResult[];
  /** Orders being placed; each gets the best recognizable result for its item. */
  orders?: readonly Order[];
}

export interface Evaluation {
  /** One per result, in the order of input.results. */
  verdicts: Verdict[];
  prompts: Prompts;
}

/** The input cannot be evaluated at all (no pack, unknown receiving institution, unreadable now). */
export class EvaluationError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    this.name = 'EvaluationError';
  }
}

const RANK = new Map<VerdictStatus, number>(VERDICT_STATUSES.map((s, i) => [s, i]));

/**
 * 互认判定: one verdict per external result and the prompts built from them. Each result is
 * judged by the packs that list its issuer (all packs when none does); the best verdict wins,
 * ties going to the pack listed first.
 */
export function evaluate(input: EvaluationInput): Evaluation {
  const cps = compilePacks(input.packs);
  const contexts = packContexts(cps, input);
  const verdicts: Verdict[] = new Array(input.results.length);
  // Reused per result: the issuer as each pack knows it (null when that pack does not list it).
  const issuers: (CompiledInstitution | null)[] = new Array(contexts.length);

  if (contexts.length === 1) {
    const ctx = contexts[0]!;
    for (let r = 0; r < input.results.length; r++) {
      const result = input.results[r]!;
      verdicts[r] = judge(result, ctx, ctx.findIssuer(result.issuer));
    }
    return { verdicts, prompts: buildPrompts(verdicts, input.results, cps, input.orders ?? []) };
  }

  for (let r = 0; r < input.results.length; r++) {
    const result = input.results[r]!;
    let covered = false;
    for (let p = 0; p < contexts.length; p++) {
      issuers[p] = contexts[p]!.findIssuer(result.issuer);
      if (issuers[p] !== null) covered = true;
    }
    let best: Verdict | null = null;
    for (let p = 0; p < contexts.length; p++) {
      if (covered && issuers[p] === null) continue;
      best = pick(best, judge(result, contexts[p]!, issuers[p] ?? null));
      if (best.status === 'recognizable') break;
    }
    verdicts[r] = best!;
  }

  return { verdicts, prompts: buildPrompts(verdicts, input.results, cps, input.orders ?? []) };
}

function pick(best: Verdict | null, next: Verdict): Verdict {
  if (best === null) return next;
  return RANK.get(next.status)! > RANK.get(best.status)! ? next : best;
}

function packContexts(cps: readonly CompiledPack[], input: EvaluationInput): PackContext[] {
  if (cps.length === 0) throw new EvaluationError([{ path: 'packs', message: 'no active rule pack' }]);
  const found = cps.map((cp) => findInstitution(cp, input.receivingInstitution));
  const fallback = found.find((f) => f !== null) ?? null;
  if (fallback === null) {
    throw new EvaluationError([
      {
        path: 'receivingInstitution',
        message: `receiving institution "${input.receivingInstitution}" is not listed in any active pack`,
      },
    ]);
  }
  const flags = new Set(input.flags ?? []);
  const nowMs = typeof input.now === 'string' ? null : input.now.getTime();
  if (nowMs !== null && Number.isNaN(nowMs)) {
    throw new EvaluationError([{ path: 'now', message: 'invalid Date' }]);
  }
  return cps.map((cp, i) => {
    const zone = cp.pack.clock.timeZone;
    const now: ClockReading | null = nowMs === null ? readClock(input.now as string, zone) : fromInstant(nowMs, zone);
    if (now === null) {
      throw new EvaluationError([{ path: 'now', message: `unreadable time "${String(input.now)}" (expected ISO 8601)` }]);
    }
    return new PackContext(cp, nowDay(now), found[i] ?? fallback, flags);
  });
}

/** A date-only "now" means the end of that day: anything dated that day is not in the future. */
function nowDay(now: ClockReading): ClockReading {
  return now.dateOnly ? { ...now, wallMs: now.wallMs + 86_399_999, dateOnly: false } : now;
}
