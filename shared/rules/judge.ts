import type { ExternalResult } from '../domain/external-result.ts';
import type { BilingualText } from './schema/common.ts';
import { systemKey, type CompiledInstitution, type CompiledItem, type CompiledPack } from './compile.ts';
import { explain } from './explain.ts';
import { matchName } from './match/match-catalog-item.ts';
import { notInCatalogDetail } from './rules/catalog.ts';
import {
  blank,
  clockTime,
  clockUsed,
  futureDetail,
  missingDetail,
  notFinal,
  notFinalDetail,
  unreadableDetail,
} from './rules/completeness.ts';
import { normalizeItemName } from './match/normalize-name.ts';
import { specimenClass, specimensConflict } from './match/specimen.ts';
import { checkLevel, levelApplies, sameAlliance } from './rules/level.ts';
import { firstNegative, negativeDetail } from './rules/negative-list.ts';
import type { Outcome } from './rules/outcome.ts';
import { checkQualification, qualify } from './rules/qualification.ts';
import type { Receiver } from './rules/receiver.ts';
import { timeOutcome } from './rules/time-limit.ts';
import { formatDay, MS_PER_DAY } from './time/calendar.ts';
import { lastDateOnly, readWallMs, type ClockReading } from './time/clock-reading.ts';
import { reasonShort, VerdictRecord, type Explainer, type MarkSourceInput, type RuleId, type Verdict, type VerdictStatus } from './verdict.ts';

/** How an issuer stands with the receiver, per evaluation (0: not yet known). */
const ALLIANCE = 1;
const LEVEL_OK = 2;
const LEVEL_FAILS = 3;

/**
 * What one evaluation shares across results for a pack: the pack, today, the receiver, and
 * small caches that live as long as the evaluation (no cross-call state, no clock).
 */
export class PackContext implements Explainer {
  readonly zone: string;
  readonly basis: 'collection' | 'report';
  readonly allianceAllItems: boolean;
  /** By CompiledInstitution.index: ALLIANCE, LEVEL_OK or LEVEL_FAILS once known. */
  private readonly routes: Uint8Array;
  /** By CompiledQualification.index: whether its mark counts here, per category (qualify). */
  readonly markOk: Uint8Array;
  readonly receiver: Receiver;
  // The last code system seen and its table: results repeat one or two systems.
  private itemSystem: string | null = null;
  private itemCodes: Map<string, CompiledItem> | undefined = undefined;
  private orgSystem: string | null = null;
  private orgValues: Map<string, CompiledInstitution> | undefined = undefined;
  // The last clock time read: a panel's results share theirs.
  private lastRaw = '';
  private lastWall = NaN;
  private lastDateOnly = false;

  /**
   * receiving: the institution the receiver is (from this pack, or from another active pack when
   * this one does not list it). Route and mark answers depend only on the pack and receiving,
   * so they are kept on the compiled pack for later evaluations.
   */
  constructor(
    readonly cp: CompiledPack,
    readonly now: ClockReading,
    receiving: CompiledInstitution,
    readonly flags: ReadonlySet<string>,
  ) {
    this.zone = cp.pack.clock.timeZone;
    this.basis = cp.pack.clock.basis;
    this.allianceAllItems = cp.pack.policy.alliance === 'all-items';
    const inst = receiving.inst;
    this.receiver = {
      id: inst.id,
      name: inst.name,
      level: inst.level,
      rank: receiving.rank,
      region: inst.region,
      alliances: new Set(inst.alliances),
    };
    let tables = cp.byReceiver.get(receiving);
    if (tables === undefined) {
      tables = { routes: new Uint8Array(cp.pack.institutions.length), markOk: new Uint8Array(cp.qualificationCount) };
      if (cp.byReceiver.size >= 64) cp.byReceiver.clear();
      cp.byReceiver.set(receiving, tables);
    }
    this.routes = tables.routes;
    this.markOk = tables.markOk;
  }

  /** findIssuer, with the identifier system's table remembered between results. */
  findIssuer(issuer: ExternalResult['issuer']): CompiledInstitution | null {
    const cp = this.cp;
    const identifiers = issuer.identifiers;
    if (identifiers !== undefined) {
      for (let i = 0; i < identifiers.length; i++) {
        const idf = identifiers[i]!;
        const system = idf.system;
        let hit: CompiledInstitution | null | undefined;
        if (system === undefined) {
          hit = cp.institutionsByBareValue.get(idf.value);
        } else {
          if (system !== this.orgSystem) {
            this.orgSystem = system;
            this.orgValues = cp.institutionsByIdentifier.get(systemKey(system));
          }
          hit = this.orgValues?.get(idf.value) ?? cp.institutionsByIdentifier.get('')?.get(idf.value);
        }
        if (hit) return hit;
      }
    }
    if (issuer.name !== undefined && issuer.name.trim() !== '') {
      return cp.institutionsByName.get(normalizeItemName(issuer.name)) ?? null;
    }
    return null;
  }

  /**
   * matchCompiled, with the code system's table remembered between results; then the issuer's
   * 项目对照表 for its local codes; then the name. A match whose specimen kind differs from the
   * result's (尿 vs 血) is no match.
   */
  matchItem(item: ExternalResult['item'], issuer: CompiledInstitution | null, specimen: string | undefined): CompiledItem | null {
    const cp = this.cp;
    const codes = item.codes;
    if (codes !== undefined) {
      for (let i = 0; i < codes.length; i++) {
        const c = codes[i]!;
        const code = trimmed(c.code);
        const system = c.system;
        let hit: CompiledItem | null | undefined;
        if (system === undefined) {
          hit = cp.itemsByBareCode.get(code);
        } else {
          if (system !== this.itemSystem) {
            this.itemSystem = system;
            this.itemCodes = cp.itemsByCode.get(systemKey(system));
          }
          hit = this.itemCodes?.get(code);
        }
        if (hit) {
          this.matchedBy = 'code';
          return specimen === undefined ? hit : sameSpecimen(hit, specimen);
        }
      }
      const map = issuer === null || cp.codeMaps.size === 0 ? undefined : cp.codeMaps.get(issuer.inst.id);
      if (map !== undefined) {
        for (let i = 0; i < codes.length; i++) {
          const c = codes[i]!;
          if (c.system !== undefined && !map.systems.has(systemKey(c.system))) continue;
          const entry = map.byCode.get(trimmed(c.code));
          if (entry === undefined) continue;
          this.matchedBy = 'code';
          // Reviewed as "not a catalog item", or the line is for another specimen: no match, and no name guess either.
          if (entry.ci === null) return null;
          if (specimen === undefined) return entry.ci;
          return specimensConflict(entry.specimen, specimenClass(specimen)) ? null : sameSpecimen(entry.ci, specimen);
        }
      }
    }
    this.matchedBy = 'name';
    const hit = matchName(cp, item.name);
    return hit === null || specimen === undefined ? hit : sameSpecimen(hit, specimen);
  }
  matchedBy: 'code' | 'name' = 'code';

  /** The clock time's wall ms (NaN when unreadable); wallDateOnly tells a bare date. */
  readWall(raw: string): number {
    if (raw !== this.lastRaw) {
      this.lastWall = readWallMs(raw, this.zone);
      this.lastDateOnly = lastDateOnly;
      this.lastRaw = raw;
    }
    this.wallDateOnly = this.lastDateOnly;
    return this.lastWall;
  }
  wallDateOnly = false;

  /** ALLIANCE, LEVEL_OK or LEVEL_FAILS for an issuer, computed once per evaluation. */
  route(issuer: CompiledInstitution): number {
    let r = this.routes[issuer.index]!;
    if (r === 0) {
      r = sameAlliance(this.cp, issuer, this.receiver)
        ? ALLIANCE
        : levelApplies(this.cp, issuer, this.receiver)
          ? LEVEL_OK
          : LEVEL_FAILS;
      this.routes[issuer.index] = r;
    }
    return r;
  }

  /** The explanation of a verdict this context judged, built when first read. */
  explain(v: Verdict, detail: (() => BilingualText) | null): BilingualText {
    const cp = this.cp;
    if (detail !== null) return explain(v.reasonShort, detail(), v.rule, cp);
    if (v.rule === 'level') {
      const issuer = cp.institutionsById.get(v.issuer!.id)!;
      const o = checkLevel(cp, issuer, this.receiver)!;
      return explain(v.reasonShort, o.detail, o.rule, cp);
    }
    if (v.status === 'issuer-not-qualified') {
      // Which rule refused is known; the marks printed on the result only chose it, so the
      // check is re-run without them for its sentence.
      const issuer = cp.institutionsById.get(v.issuer!.id)!;
      const item = cp.itemsById.get(v.item!.id!)!.item;
      const o = checkQualification({ marks: [] } as unknown as ExternalResult, cp, issuer, item, v.clockDate!, this.receiver) as Outcome;
      return explain(v.reasonShort, o.detail, v.rule, cp);
    }
    const w = { clockDate: v.clockDate!, lastValidDay: v.lastValidDay!, daysLeft: v.daysLeft! };
    const o = timeOutcome(w, v.timeLimitDays!, v.item!.category, v.clockBasis ?? this.basis);
    return explain(v.reasonShort, o.detail, o.rule, cp);
  }
}

/** The item, unless the result's specimen is of another kind (尿 vs 血): then no match. */
function sameSpecimen(ci: CompiledItem, specimen: string): CompiledItem | null {
  return ci.specimenClass !== undefined && specimensConflict(ci.specimenClass, specimenClass(specimen)) ? null : ci;
}

/** The code as the catalog keys it: trimmed (the usual code has nothing to trim). */
function trimmed(code: string): string {
  const a = code.charCodeAt(0);
  const z = code.charCodeAt(code.length - 1);
  return a > 32 && a < 160 && z > 32 && z < 160 ? code : code.trim();
}

/**
 * Judge one result by one pack: the rules run in the order of precedence and the first that
 * fails decides (incomplete → catalog → negative list → issuer → qualification → level → time).
 * No text is built here: the explanation is made when the verdict's explanation is read.
 */
export function judge(result: ExternalResult, ctx: PackContext, issuer: CompiledInstitution | null): Verdict {
  const cp = ctx.cp;
  const view = issuer === null ? null : issuer.view;

  // 结果完整性
  const status = result.status;
  if (notFinal(status)) {
    return refuse(result, ctx, 'incomplete', 'completeness', null, null, view, null, () => notFinalDetail(status!));
  }
  const raw = clockTime(result, ctx.basis);
  const basisUsed = clockUsed;
  if (blank(raw)) {
    const basis = ctx.basis;
    return refuse(result, ctx, 'incomplete', 'completeness', null, null, view, null, () => missingDetail(basis));
  }
  const wallMs = ctx.readWall(raw);
  if (Number.isNaN(wallMs)) {
    return refuse(result, ctx, 'incomplete', 'completeness', null, null, view, null, () => unreadableDetail(raw), basisUsed);
  }
  const day = Math.floor(wallMs / MS_PER_DAY);
  if (ctx.wallDateOnly ? day > ctx.now.day : wallMs > ctx.now.wallMs) {
    return refuse(result, ctx, 'incomplete', 'completeness', null, null, view, null, () => futureDetail(day), basisUsed);
  }
  const clockDate = formatDay(day);

  // 互认项目清单
  const route = issuer === null ? 0 : ctx.route(issuer);
  const ci = ctx.matchItem(result.item, issuer, result.specimen);
  const by = ci === null ? null : ctx.matchedBy;
  if (ci === null && !(route === ALLIANCE && ctx.allianceAllItems)) {
    const name = result.item.name;
    return refuse(result, ctx, 'not-in-catalog', 'catalog', clockDate, null, view, null, () => notInCatalogDetail(name), basisUsed);
  }
  const item = ci === null ? Object.freeze({ id: null, name: result.item.name, category: result.category, group: null, price: null }) : ci.view;

  // 负面清单
  const match = ci === null ? null : by === 'code' ? ci.byCode : ci.byName;
  const negative = firstNegative(result, cp, match, ctx.flags);
  if (negative !== null) {
    const name = ci?.item.name ?? result.item.name;
    const abnormal = result.abnormal === true;
    const flags = ctx.flags;
    return refuse(result, ctx, 'negative-listed', negative.rule, clockDate, item, view, by, () =>
      negativeDetail(negative, name, abnormal, flags, cp), basisUsed,
    );
  }

  // 互认机构清单
  if (issuer === null) {
    const named = result.issuer.name ?? result.issuer.identifiers?.[0]?.value ?? '（未注明）';
    return refuse(result, ctx, 'unknown-issuer', 'issuer', clockDate, item, view, by, () => ({
      'zh-CN': `${named}不在互认机构清单内`,
      en: `${named} is not in the institutions list`,
    }), basisUsed);
  }

  // 互认资质, 同级互认、下级认上级 (an alliance member skips both)
  let via: 'alliance' | 'level' = 'alliance';
  let mark: string | null = null;
  let markSource: MarkSourceInput = null;
  if (route !== ALLIANCE) {
    const q = qualify(result.marks, cp, issuer, ci!, day, ctx.receiver, ctx.markOk);
    if (typeof q === 'string') {
      // The sentence is rebuilt from the verdict's own fields when read (see explain).
      const s: VerdictStatus = 'issuer-not-qualified';
      return new VerdictRecord(result.id, s, reasonShort(s, null), q, cp.ref, item, by, view, null, null,
        clockDate, basisUsed, null, null, null, null, ctx, null, NaN);
    }
    mark = q.label;
    // Where the mark comes from is read for the few cards on screen: decided when read (VerdictRecord.markSource).
    markSource = { cq: q, marks: result.marks };
    if (route === LEVEL_FAILS) {
      const s: VerdictStatus = 'level-not-applicable';
      return new VerdictRecord(result.id, s, reasonShort(s, null), 'level', cp.ref, item, by, view, null, mark,
        clockDate, basisUsed, null, null, null, null, ctx, null, wallMs, markSource);
    }
    via = 'level';
  }

  // 参考时限: T − D ≤ N
  const limit = ci !== null ? ci.limitDays : cp.pack.defaults.timeLimitDays[result.category];
  const daysLeft = limit - (ctx.now.day - day);
  const s: VerdictStatus = daysLeft < 0 ? 'expired' : 'recognizable';
  return new VerdictRecord(result.id, s, reasonShort(s, limit), 'time-limit', cp.ref, item, by, view, via, mark,
    clockDate, basisUsed, limit, ci !== null ? ci.limitFromDefault : true, formatDay(day + limit), daysLeft, ctx, null, wallMs, markSource);
}

/** A verdict refused by a rule before the time limit; detail is built only if it is read. */
function refuse(
  result: ExternalResult,
  ctx: PackContext,
  status: VerdictStatus,
  rule: RuleId,
  clockDate: string | null,
  item: Verdict['item'],
  issuer: Verdict['issuer'],
  by: 'code' | 'name' | null,
  detail: () => BilingualText,
  basis: 'collection' | 'report' = ctx.basis,
): Verdict {
  return new VerdictRecord(result.id, status, reasonShort(status, null), rule, ctx.cp.ref, item, by, issuer, null, null,
    clockDate, basis, null, null, null, null, ctx, detail, NaN);
}
