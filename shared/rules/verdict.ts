import type { BilingualText, Category } from './schema/common.ts';
import type { InstitutionLevel } from './schema/institution.ts';
import type { CompiledQualification } from './compile.ts';
import { carriesMark } from './rules/qualification.ts';

/** What decides markSource when it is read: the qualification relied on and the marks printed on the result. */
export type MarkSourceInput = { cq: CompiledQualification; marks: readonly string[] | undefined } | null;

/**
 * 判定结果, in order of precedence: the first rule that fails decides. Listed from the most
 * basic (can the result be read at all) to the most transient (is it still recent).
 */
export const VERDICT_STATUSES = [
  'incomplete',
  'not-in-catalog',
  'negative-listed',
  'unknown-issuer',
  'issuer-not-qualified',
  'level-not-applicable',
  'expired',
  'recognizable',
] as const;
export type VerdictStatus = (typeof VERDICT_STATUSES)[number];

/** Which rule decided: stable ids a reader can find in docs/rule-pack.md. */
export type RuleId =
  | 'completeness'
  | 'catalog'
  | `negative-list:${string}`
  | `item-negative:${string}`
  | 'issuer'
  | 'qualification'
  | 'mark-region'
  | 'mark-on-result'
  | 'level'
  | 'time-limit';

export interface PackRef {
  id: string;
  name: string;
  version: string;
}

export interface VerdictItem {
  /** null only for an alliance member's result outside the catalog (policy.alliance = all-items). */
  id: string | null;
  name: string;
  category: Category;
  group: string | null;
  price: number | null;
}

export interface VerdictIssuer {
  id: string;
  name: string;
  level: InstitutionLevel;
  region: string;
}

/** 判定: the engine's answer for one external result. */
export interface Verdict {
  resultId: string;
  status: VerdictStatus;
  /** Short human label of the status, e.g. 已超过参考时限（14天）. */
  reasonShort: Readonly<BilingualText>;
  /** One sentence that cites the pack and the rule that decided. */
  explanation: BilingualText;
  rule: RuleId;
  /** The pack that judged; the best verdict wins when several packs cover the issuer. */
  pack: PackRef;
  item: Readonly<VerdictItem> | null;
  matchedBy: 'code' | 'name' | null;
  issuer: Readonly<VerdictIssuer> | null;
  /** How the issuer was accepted: 同级/下级认上级 (level) or 医联体 (alliance). */
  via: 'level' | 'alliance' | null;
  /** The qualification mark relied on, e.g. 湛江市 HR. */
  mark: string | null;
  /**
   * Where the mark comes from: printed on the result (result), or only the issuer's qualification
   * in the pack (pack). Null when no mark was relied on (an alliance member).
   */
  markSource: 'result' | 'pack' | null;
  /** Clock date D (YYYY-MM-DD in the pack's time zone). */
  clockDate: string | null;
  /** The clock read: the pack's basis, or the other one when the result lacks it (FHIR `issued` without effective[x]). */
  clockBasis: 'collection' | 'report' | null;
  timeLimitDays: number | null;
  /** True when the limit is the category default (the list gives no per-item limit). */
  timeLimitFromDefault: boolean | null;
  /** D + N: the last day the result may be recognized. */
  lastValidDay: string | null;
  /** N − (T − D): 0 on the last valid day, negative once expired. */
  daysLeft: number | null;
}

const shortLabels = new Map<VerdictStatus, Readonly<BilingualText>>();
const expiredLabels = new Map<number | null, Readonly<BilingualText>>();

/** Short labels per status; expired carries its limit. Shared, read-only objects. */
export function reasonShort(status: VerdictStatus, limitDays: number | null): Readonly<BilingualText> {
  const cache = status === 'expired' ? expiredLabels : shortLabels;
  const key = status === 'expired' ? limitDays : status;
  let label = (cache as Map<unknown, Readonly<BilingualText>>).get(key);
  if (label === undefined) {
    label = Object.freeze(shortLabel(status, limitDays));
    (cache as Map<unknown, Readonly<BilingualText>>).set(key, label);
  }
  return label;
}

function shortLabel(status: VerdictStatus, limitDays: number | null): BilingualText {
  switch (status) {
    case 'recognizable':
      return { 'zh-CN': '可互认', en: 'Recognizable' };
    case 'expired':
      return {
        'zh-CN': `已超过参考时限（${limitDays ?? '?'}天）`,
        en: `Older than the ${limitDays ?? '?'}-day limit`,
      };
    case 'not-in-catalog':
      return { 'zh-CN': '不在互认项目清单', en: 'Not in the recognition catalog' };
    case 'unknown-issuer':
      return { 'zh-CN': '出具机构不在互认机构清单', en: 'Issuer not in the institutions list' };
    case 'issuer-not-qualified':
      return { 'zh-CN': '出具机构未通过该项目质控', en: 'Issuer not qualified for this item' };
    case 'level-not-applicable':
      return { 'zh-CN': '不符合同级互认、下级认上级', en: 'Level rule does not apply' };
    case 'negative-listed':
      return { 'zh-CN': '负面清单', en: 'On the negative list' };
    case 'incomplete':
      return { 'zh-CN': '结果信息不完整', en: 'Result information incomplete' };
  }
}

/** Builds a verdict's explanation when it is first read (see VerdictRecord). */
export interface Explainer {
  explain(v: Verdict, detail: (() => BilingualText) | null): BilingualText;
}

/**
 * A verdict as the engine returns it. The explanation is built only when read — the panel shows
 * it for the few results on screen — and then kept; JSON.stringify includes it (toJSON). The
 * other fields are plain own properties.
 */
export class VerdictRecord implements Verdict {
  // Declared, not initialized: the constructor's assignments alone give every record one shape.
  declare resultId: string;
  declare status: VerdictStatus;
  declare reasonShort: Readonly<BilingualText>;
  declare rule: RuleId;
  declare pack: PackRef;
  declare item: Readonly<VerdictItem> | null;
  declare matchedBy: 'code' | 'name' | null;
  declare issuer: Readonly<VerdictIssuer> | null;
  declare via: 'level' | 'alliance' | null;
  declare mark: string | null;
  declare clockDate: string | null;
  declare clockBasis: 'collection' | 'report' | null;
  declare timeLimitDays: number | null;
  declare timeLimitFromDefault: boolean | null;
  declare lastValidDay: string | null;
  declare daysLeft: number | null;
  /** Null once the explanation has been built. */
  #explainer: Explainer | null;
  /** The detail builder until the explanation is read, then the explanation itself. */
  #detail: (() => BilingualText) | BilingualText | null;
  /** Wall time of the clock reading (ms, as if UTC), for ranking results of the same day. */
  #wallMs: number;
  /** Until read: what decides markSource; then the answer. */
  #markSource: MarkSourceInput | 'result' | 'pack';

  /** Printed on the result, or only the issuer's qualification in the pack (decided on first read). */
  get markSource(): 'result' | 'pack' | null {
    const m = this.#markSource;
    if (m === null || typeof m === 'string') return m;
    return (this.#markSource = carriesMark(m.cq, m.marks) ? 'result' : 'pack');
  }

  set markSource(value: 'result' | 'pack' | null) {
    this.#markSource = value;
  }

  constructor(
    resultId: string,
    status: VerdictStatus,
    reasonShort: Readonly<BilingualText>,
    rule: RuleId,
    pack: PackRef,
    item: Readonly<VerdictItem> | null,
    matchedBy: 'code' | 'name' | null,
    issuer: Readonly<VerdictIssuer> | null,
    via: 'level' | 'alliance' | null,
    mark: string | null,
    clockDate: string | null,
    clockBasis: 'collection' | 'report' | null,
    timeLimitDays: number | null,
    timeLimitFromDefault: boolean | null,
    lastValidDay: string | null,
    daysLeft: number | null,
    explainer: Explainer,
    detail: (() => BilingualText) | null,
    wallMs: number,
    markSource: MarkSourceInput = null,
  ) {
    this.resultId = resultId;
    this.status = status;
    this.reasonShort = reasonShort;
    this.rule = rule;
    this.pack = pack;
    this.item = item;
    this.matchedBy = matchedBy;
    this.issuer = issuer;
    this.via = via;
    this.mark = mark;
    this.#markSource = markSource;
    this.clockDate = clockDate;
    this.clockBasis = clockBasis;
    this.timeLimitDays = timeLimitDays;
    this.timeLimitFromDefault = timeLimitFromDefault;
    this.lastValidDay = lastValidDay;
    this.daysLeft = daysLeft;
    this.#explainer = explainer;
    this.#detail = detail;
    this.#wallMs = wallMs;
  }

  get explanation(): BilingualText {
    if (this.#explainer !== null) {
      this.#detail = this.#explainer.explain(this, this.#detail as (() => BilingualText) | null);
      this.#explainer = null;
    }
    return this.#detail as BilingualText;
  }

  set explanation(text: BilingualText) {
    this.#detail = text;
    this.#explainer = null;
  }

  /** The verdict's fields in their documented order, the explanation included. */
  toJSON(): Verdict {
    return {
      resultId: this.resultId,
      status: this.status,
      reasonShort: this.reasonShort,
      explanation: this.explanation,
      rule: this.rule,
      pack: this.pack,
      item: this.item,
      matchedBy: this.matchedBy,
      issuer: this.issuer,
      via: this.via,
      mark: this.mark,
      markSource: this.markSource,
      clockDate: this.clockDate,
      clockBasis: this.clockBasis,
      timeLimitDays: this.timeLimitDays,
      timeLimitFromDefault: this.timeLimitFromDefault,
      lastValidDay: this.lastValidDay,
      daysLeft: this.daysLeft,
    };
  }

  /** The clock reading's wall time of a verdict built by the engine (NaN when it has none). */
  static wallMs(v: Verdict): number {
    return v instanceof VerdictRecord ? v.#wallMs : NaN;
  }
}
