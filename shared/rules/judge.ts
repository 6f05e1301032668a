import type { ExternalResult } from '../domain/external-result.ts';
import type { CompiledInstitution, CompiledPack } from './compile.ts';
import { explain } from './explain.ts';
import { checkCatalog, type ItemMatch } from './rules/catalog.ts';
import { checkCompleteness } from './rules/completeness.ts';
import { checkLevel, sameAlliance } from './rules/level.ts';
import { checkNegativeList } from './rules/negative-list.ts';
import { outcome, type Outcome } from './rules/outcome.ts';
import { checkQualification } from './rules/qualification.ts';
import type { Receiver } from './rules/receiver.ts';
import { checkTimeLimit, dateLabel, type TimeWindow } from './rules/time-limit.ts';
import { formatDay } from './time/calendar.ts';
import type { ClockReading } from './time/clock-reading.ts';
import { reasonShort, type Verdict } from './verdict.ts';

/** What one evaluation shares across results for a pack. */
export interface PackContext {
  cp: CompiledPack;
  now: ClockReading;
  receiver: Receiver;
  flags: ReadonlySet<string>;
}

/** A verdict plus the wall time used to rank equally fresh results. */
export interface Judged {
  verdict: Verdict;
  wallMs: number;
}

/**
 * Judge one result by one pack: the rules run in the order of precedence and the first that
 * fails decides (incomplete → catalog → negative list → issuer → qualification → level → time).
 */
export function judge(result: ExternalResult, ctx: PackContext, issuer: CompiledInstitution | null): Judged {
  const { cp, receiver } = ctx;
  const policy = cp.pack.policy;
  const v = blankVerdict(result, cp, issuer);

  const complete = checkCompleteness(result, cp.pack.clock, ctx.now);
  if ('status' in complete) return done(v, complete, cp, null, 0);
  const reading = complete.reading;
  v.clockDate = formatDay(reading.day);

  const inAlliance = issuer !== null && sameAlliance(cp, issuer, receiver);
  const catalog = checkCatalog(result, cp, inAlliance && policy.alliance === 'all-items');
  if ('status' in catalog) return done(v, catalog, cp, null, reading.wallMs);
  const match = catalog.match;
  setItem(v, result, match);

  const negative = checkNegativeList(result, cp, match, ctx.flags);
  if (negative !== null) return done(v, negative, cp, null, reading.wallMs);

  if (issuer === null) {
    const named = result.issuer.name ?? result.issuer.identifiers?.[0]?.value ?? '（未注明）';
    const f = outcome('unknown-issuer', 'issuer', `${named}不在互认机构清单内`, `${named} is not in the institutions list`);
    return done(v, f, cp, null, reading.wallMs);
  }

  const category = match?.ci.item.category ?? result.category;
  if (inAlliance) {
    v.via = 'alliance';
  } else {
    const item = match!.ci.item;
    const q = checkQualification(result, cp, issuer, item.id, item.name, category, v.clockDate, receiver);
    if ('status' in q) return done(v, q, cp, null, reading.wallMs);
    v.mark = q.mark;
    const level = checkLevel(cp, issuer, receiver);
    if (level !== null) return done(v, level, cp, null, reading.wallMs);
    v.via = 'level';
  }

  const limit = match?.ci.limitDays ?? cp.pack.defaults.timeLimitDays[category];
  v.timeLimitDays = limit;
  v.timeLimitFromDefault = match?.ci.limitFromDefault ?? true;
  const basis = cp.pack.clock.basis;
  const time = checkTimeLimit(reading.day, ctx.now.day, limit, category, basis);
  if (time.failure !== null) return done(v, time.failure, cp, time.window, reading.wallMs);

  const label = dateLabel(category, basis);
  const w = time.window;
  const ok = outcome(
    'recognizable',
    'time-limit',
    `${label.zh} ${w.clockDate}，参考时限 ${limit} 天，最后有效日 ${w.lastValidDay}，剩余 ${w.daysLeft} 天`,
    `${label.en} ${w.clockDate}, ${limit}-day limit, last valid day ${w.lastValidDay}, ${w.daysLeft} day(s) left`,
  );
  return done(v, ok, cp, w, reading.wallMs);
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
    issuer:
      issuer === null
        ? null
        : { id: issuer.inst.id, name: issuer.inst.name, level: issuer.inst.level, region: issuer.inst.region },
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
  const item = match.ci.item;
  v.item = { id: item.id, name: item.name, category: item.category, group: item.group, price: item.price ?? null };
  v.matchedBy = match.by;
}

function done(v: Verdict, f: Outcome, cp: CompiledPack, w: TimeWindow | null, wallMs: number): Judged {
  v.status = f.status;
  v.rule = f.rule;
  v.reasonShort = reasonShort(f.status, v.timeLimitDays);
  v.explanation = explain(v.reasonShort, f.detail, f.rule, cp);
  if (w !== null) {
    v.clockDate = w.clockDate;
    v.lastValidDay = w.lastValidDay;
    v.daysLeft = w.daysLeft;
  }
  return { verdict: v, wallMs };
}
