import type { ExternalResult } from '../domain/external-result.ts';
import type { BilingualText } from './schema/common.ts';
import type { CompiledInstitution, CompiledPack } from './compile.ts';
import { explain } from './explain.ts';
import { checkCatalog, type ItemMatch } from './rules/catalog.ts';
import { checkCompleteness } from './rules/completeness.ts';
import { checkLevel, levelApplies, sameAlliance } from './rules/level.ts';
import { checkNegativeList } from './rules/negative-list.ts';
import { outcome, type Outcome } from './rules/outcome.ts';
import { checkQualification } from './rules/qualification.ts';
import type { Receiver } from './rules/receiver.ts';
import { timeOutcome, timeWindow } from './rules/time-limit.ts';
import { formatDay } from './time/calendar.ts';
import type { ClockReading } from './time/clock-reading.ts';
import { reasonShort, type Verdict } from './verdict.ts';

/** What one evaluation shares across results for a pack. */
export interface PackContext {
  cp: CompiledPack;
  now: ClockReading;
  receiver: Receiver;
  flags: ReadonlySet<string>;
  /** Per evaluation: time-limit sentences by (D, N, category), shared by the verdicts that match. */
  timeExplanations: Map<number, Readonly<BilingualText>>;
  /** Per evaluation: level-rule sentences by issuer. */
  levelExplanations: Map<CompiledInstitution, Readonly<BilingualText>>;
}

/**
 * Judge one result by one pack: the rules run in the order of precedence and the first that
 * fails decides (incomplete → catalog → negative list → issuer → qualification → level → time).
 */
export function judge(result: ExternalResult, ctx: PackContext, issuer: CompiledInstitution | null): Verdict {
  const { cp, receiver } = ctx;
  const policy = cp.pack.policy;
  const v = blankVerdict(result, cp, issuer);

  const reading = checkCompleteness(result, cp.pack.clock, ctx.now);
  if ('status' in reading) return done(v, reading, cp);
  v.clockDate = formatDay(reading.day);

  const inAlliance = issuer !== null && sameAlliance(cp, issuer, receiver);
  const catalog = checkCatalog(result, cp, inAlliance && policy.alliance === 'all-items');
  if ('status' in catalog) return done(v, catalog, cp);
  const match = catalog.match;
  setItem(v, result, match);

  const negative = checkNegativeList(result, cp, match, ctx.flags);
  if (negative !== null) return done(v, negative, cp);

  if (issuer === null) {
    const named = result.issuer.name ?? result.issuer.identifiers?.[0]?.value ?? '（未注明）';
    const f = outcome('unknown-issuer', 'issuer', `${named}不在互认机构清单内`, `${named} is not in the institutions list`);
    return done(v, f, cp);
  }

  const category = match?.ci.item.category ?? result.category;
  if (inAlliance) {
    v.via = 'alliance';
  } else {
    const q = checkQualification(result, cp, issuer, match!.ci.item, v.clockDate, receiver);
    if (typeof q !== 'string') return done(v, q, cp);
    v.mark = q;
    if (!levelApplies(cp, issuer, receiver)) {
      // The sentence names only the two institutions: build it once per issuer.
      let explanation = ctx.levelExplanations.get(issuer);
      if (explanation === undefined) {
        const o = checkLevel(cp, issuer, receiver)!;
        explanation = Object.freeze(explain(reasonShort(o.status, null), o.detail, o.rule, cp));
        ctx.levelExplanations.set(issuer, explanation);
      }
      v.status = 'level-not-applicable';
      v.rule = 'level';
      v.reasonShort = reasonShort(v.status, null);
      v.explanation = explanation;
      return v;
    }
    v.via = 'level';
  }

  const limit = match?.ci.limitDays ?? cp.pack.defaults.timeLimitDays[category];
  v.timeLimitDays = limit;
  v.timeLimitFromDefault = match?.ci.limitFromDefault ?? true;
  const w = timeWindow(reading.day, ctx.now.day, limit);
  v.clockDate = w.clockDate;
  v.lastValidDay = w.lastValidDay;
  v.daysLeft = w.daysLeft;
  v.status = w.daysLeft < 0 ? 'expired' : 'recognizable';
  v.rule = 'time-limit';
  v.reasonShort = reasonShort(v.status, limit);
  // The sentence depends only on D, N and the category (today is fixed): most results share one.
  const key = (reading.day * 4096 + limit) * 2 + (category === 'lab' ? 0 : 1);
  let explanation = ctx.timeExplanations.get(key);
  if (explanation === undefined) {
    const o = timeOutcome(w, limit, category, cp.pack.clock.basis);
    explanation = Object.freeze(explain(v.reasonShort, o.detail, o.rule, cp));
    ctx.timeExplanations.set(key, explanation);
  }
  v.explanation = explanation;
  return v;
}

function blankVerdict(result: ExternalResult, cp: CompiledPack, issuer: CompiledInstitution | null): Verdict {
  return {
    resultId: result.id,
    status: 'incomplete',
    reasonShort: { 'zh-CN': '', en: '' },
    explanation: { 'zh-CN': '', en: '' },
    rule: 'completeness',
    pack: cp.ref,
    item: null,
    matchedBy: null,
    issuer: issuer === null ? null : issuer.view,
    via: null,
    mark: null,
    clockDate: null,
    clockBasis: cp.pack.clock.basis,
    timeLimitDays: null,
    timeLimitFromDefault: null,
    lastValidDay: null,
    daysLeft: null,
  };
}

function setItem(v: Verdict, result: ExternalResult, match: ItemMatch | null): void {
  if (match === null) {
    v.item = { id: null, name: result.item.name, category: result.category, group: null, price: null };
    return;
  }
  v.item = match.ci.view;
  v.matchedBy = match.by;
}

function done(v: Verdict, f: Outcome, cp: CompiledPack): Verdict {
  v.status = f.status;
  v.rule = f.rule;
  v.reasonShort = reasonShort(f.status, v.timeLimitDays);
  v.explanation = explain(v.reasonShort, f.detail, f.rule, cp);
  return v;
}
