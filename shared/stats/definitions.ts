/**
 * The monitoring statistics, defined once. Every view that shows one of these figures — the hub's
 * dashboards (computed in SQL over its report facts, hub/monitoring/) and the extension's offline
 * statistics page (computed here from the browser's own decisions and audit) — takes the counts
 * below and these formulas, with these names and explanations. docs/monitoring.md quotes them.
 *
 * The unit is the report (份): one external result (a report from an issuing institution) of one
 * patient, as the card showed it — not the analytes inside it.
 */

/** The counts every rate is made of, for one group (a hospital, department, physician, item …) and period. */
export interface Measures {
  /** 可互认外院报告（份）: reports the patients seen already had, within the local catalog, recognizable when shown. */
  reportsShown: number;
  /** 已互认（份）: of those, reports whose latest decision is 互认. */
  reportsRecognized: number;
  /** 不采纳/复查（份）: reports whose latest decision is 复查 (re-test, with a reason). */
  reportsRetested: number;
  /** 未处理（份）: reports shown that got no decision. */
  reportsUndecided: number;
  /** 引用（份）: recognized reports cited into the record (copied or inserted). */
  reportsCited: number;
  /** 提醒（次）: prompt displays ("可互认" cards shown, once per card per patient view). */
  prompts: number;
  /** 调阅（次）: views of patients' prior external results, and things opened on them. */
  views: number;
  /** 节省费用（元）: the packs' prices of the recognized reports. */
  saved: number;
}

export const EMPTY_MEASURES: Measures = {
  reportsShown: 0,
  reportsRecognized: 0,
  reportsRetested: 0,
  reportsUndecided: 0,
  reportsCited: 0,
  prompts: 0,
  views: 0,
  saved: 0,
};

export function addMeasures(a: Measures, b: Measures): Measures {
  return {
    reportsShown: a.reportsShown + b.reportsShown,
    reportsRecognized: a.reportsRecognized + b.reportsRecognized,
    reportsRetested: a.reportsRetested + b.reportsRetested,
    reportsUndecided: a.reportsUndecided + b.reportsUndecided,
    reportsCited: a.reportsCited + b.reportsCited,
    prompts: a.prompts + b.prompts,
    views: a.views + b.views,
    saved: Math.round((a.saved + b.saved) * 100) / 100,
  };
}

/** A ratio, or null when the denominator is 0: a rate is never shown for nothing. */
export const ratio = (numerator: number, denominator: number): number | null => (denominator > 0 ? numerator / denominator : null);

export interface RateDefinition {
  id: RateId;
  name: { 'zh-CN': string; en: string };
  /** The formula in words, shown on the dashboard beside the figure. */
  formula: { 'zh-CN': string; en: string };
  compute(m: Measures): number | null;
}

export type RateId = 'recognitionRate' | 'promptRate' | 'decisionShare' | 'citationRate' | 'recognitionPerView' | 'undecidedShare';

export const RATES: Record<RateId, RateDefinition> = {
  recognitionRate: {
    id: 'recognitionRate',
    name: { 'zh-CN': '互认率', en: 'Recognition rate' },
    formula: {
      'zh-CN': '已互认的外院报告（份）÷ 就诊患者已有、在本地互认目录内、展示时可互认的外院报告（份）；按份计，不按检验指标计（国家质量安全改进目标口径）',
      en: 'external reports recognized ÷ external reports within the local catalog that the patients seen already had and that were recognizable when shown; per report, not per analyte (the national target’s definition)',
    },
    compute: (m) => ratio(m.reportsRecognized, m.reportsShown),
  },
  promptRate: {
    id: 'promptRate',
    name: { 'zh-CN': '同期互认率', en: 'Recognitions per prompt' },
    formula: {
      'zh-CN': '采纳（已互认，份）÷ 提醒（次）；无提醒时不计算（已部署系统的口径）',
      en: 'recognitions ÷ prompts shown; not computed without prompts (as deployed systems report it)',
    },
    compute: (m) => ratio(m.reportsRecognized, m.prompts),
  },
  decisionShare: {
    id: 'decisionShare',
    name: { 'zh-CN': '决定中互认占比', en: 'Recognized share of decisions' },
    formula: { 'zh-CN': '已互认（份）÷（已互认 + 复查）（份）', en: 'recognized ÷ (recognized + re-tested) reports' },
    compute: (m) => ratio(m.reportsRecognized, m.reportsRecognized + m.reportsRetested),
  },
  citationRate: {
    id: 'citationRate',
    name: { 'zh-CN': '引用率', en: 'Citation rate' },
    formula: { 'zh-CN': '已互认并引用至病历（份）÷ 已互认（份）', en: 'recognized reports cited into the record ÷ recognized reports' },
    compute: (m) => ratio(m.reportsCited, m.reportsRecognized),
  },
  recognitionPerView: {
    id: 'recognitionPerView',
    name: { 'zh-CN': '互认 ÷ 调阅', en: 'Recognitions per view' },
    formula: { 'zh-CN': '已互认（份）÷ 调阅外院结果（次）', en: 'recognized reports ÷ views of prior external results' },
    compute: (m) => ratio(m.reportsRecognized, m.views),
  },
  undecidedShare: {
    id: 'undecidedShare',
    name: { 'zh-CN': '提醒未处理占比', en: 'Prompts without a decision' },
    formula: { 'zh-CN': '展示后未作决定（份）÷ 可互认外院报告（份）', en: 'reports shown without a decision ÷ reports shown' },
    compute: (m) => ratio(m.reportsUndecided, m.reportsShown),
  },
};

/** The rate deviation flags use (docs/monitoring.md): the national 互认率. */
export const DEVIATION_RATE: RateId = 'recognitionRate';
