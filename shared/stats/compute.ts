import type { AuditEvent, OpenedTarget } from '../audit/event';
import { EXT, type Decision, type Trigger } from '../domain/decision';
import { addMeasures, EMPTY_MEASURES, type Measures, type RateId } from './definitions';
import { DEFAULT_DEVIATION_RULE, type Deviation, type DeviationRule } from './deviation';
import { rateRows, ratesOf } from './groups';
import { isView, measuresOf, reportFacts, type ReportFact } from './report-facts';

export interface StatsInput {
  /** Every known decision, revisions included (the period is applied here, after revisions). */
  decisions: readonly Decision[];
  /** Audit events; those outside the period are ignored. */
  events: readonly AuditEvent[];
  /** from ≤ t < to, epoch ms. */
  from: number;
  to: number;
  rule?: DeviationRule;
}

/** One row of a "by department / physician / item" table. */
export interface GroupStats {
  key: string;
  /** '' when the host did not say (shown as 未填写). */
  name: string;
  /** The physician's department, for the physician table. */
  detail?: string;
  /** Reports decided (互认 + 复查). */
  decisions: number;
  recognized: number;
  retested: number;
  /** 互认率 (shared/stats/definitions.ts); null without reports shown. */
  rate: number | null;
  /** 元 */
  saved: number;
  measures: Measures;
  deviation?: Deviation;
}

export interface ReasonStats {
  code: string;
  display: string;
  count: number;
  /** count / all re-tests */
  share: number;
}

export interface Stats {
  from: number;
  to: number;
  /** "可互认" cards shown (once per card per patient view). */
  prompts: number;
  promptsByTrigger: Record<Trigger, number>;
  /** Reports decided: each report once, with its latest decision. */
  decisions: number;
  recognized: number;
  retested: number;
  /** Decisions in the period that changed an earlier one (修改). */
  revisions: number;
  /** 互认率, the national target's definition (definitions.ts): the hub's dashboards show the same. */
  rate: number | null;
  /** The counts every rate is made of, and every rate of definitions.ts. */
  measures: Measures;
  rates: Record<RateId, number | null>;
  /** 节省费用 (元): the prices the recognized reports' decisions carry. */
  saved: number;
  /** Recognized reports whose decision carries no price (the item has none in the pack). */
  unpriced: number;
  byDepartment: GroupStats[];
  byPhysician: GroupStats[];
  byItem: GroupStats[];
  reasons: ReasonStats[];
  /** 调阅: patients' external results viewed, and things opened on them (seed 003 counts clicks). */
  usage: { views: number; patients: number; physicians: number; opened: number; openedBy: Record<OpenedTarget, number> };
  rule: DeviationRule;
}

/**
 * The browser's own monitoring figures for one period (the offline view of the extension's
 * statistics page and the widget's), pure, with the hub's definitions: reports (份) as
 * report-facts.ts attributes them — each counted in the period it was first shown, with its latest
 * decision — and the rates of definitions.ts. Deviation flags as the hub's dashboards flag them.
 */
export function computeStats(input: StatsInput): Stats {
  const { from, to } = input;
  const rule = input.rule ?? DEFAULT_DEVIATION_RULE;
  const inPeriod = (t: number) => t >= from && t < to;
  const events = input.events.filter((e) => inPeriod(Date.parse(e.at)));
  const facts = reportFacts(input.decisions, input.events).filter((f) => inPeriod(f.firstShownAt));
  const views = events.filter(isView);
  const measures = measuresOf(facts, views.length);
  const revisions = input.decisions.filter((d) => d.extension[EXT].revises && inPeriod(Date.parse(d.outcomeTimestamp))).length;

  const groups = (keyOf: (f: ReportFact) => { key: string; name: string; detail?: string }, viewKey?: (e: AuditEvent) => string) => {
    const map = new Map<string, { key: string; label: string; detail?: string; measures: Measures }>();
    for (const f of facts) {
      const k = keyOf(f);
      const g = map.get(k.key) ?? { key: k.key, label: k.name, ...(k.detail !== undefined ? { detail: k.detail } : {}), measures: EMPTY_MEASURES };
      g.measures = addMeasures(g.measures, measuresOf([f], 0));
      map.set(k.key, g);
    }
    if (viewKey) for (const e of views) {
      const g = map.get(viewKey(e));
      if (g) g.measures = addMeasures(g.measures, { ...EMPTY_MEASURES, views: 1 });
    }
    return rateRows([...map.values()], measures, { rule })
      .map(
        (r): GroupStats => ({
          key: r.key,
          name: r.label,
          ...(r.detail !== undefined ? { detail: r.detail } : {}),
          decisions: r.measures.reportsRecognized + r.measures.reportsRetested,
          recognized: r.measures.reportsRecognized,
          retested: r.measures.reportsRetested,
          rate: r.rates.recognitionRate,
          saved: r.measures.saved,
          measures: r.measures,
          ...(r.deviation ? { deviation: r.deviation } : {}),
        }),
      )
      .sort((a, b) => b.measures.reportsShown - a.measures.reportsShown || a.name.localeCompare(b.name, 'zh-CN'));
  };

  const retested = facts.filter((f) => f.outcome === 'overridden');
  const reasons = new Map<string, { display: string; count: number }>();
  for (const f of retested) {
    const code = f.reasonCode ?? '';
    const r = reasons.get(code) ?? { display: f.reasonDisplay ?? code, count: 0 };
    r.count++;
    reasons.set(code, r);
  }
  const prompted = events.filter((e): e is Extract<AuditEvent, { kind: 'prompted' }> => e.kind === 'prompted');
  const opened = events.filter((e): e is Extract<AuditEvent, { kind: 'opened' }> => e.kind === 'opened');
  const openedBy: Record<OpenedTarget, number> = { images: 0, others: 0, trend: 0 };
  for (const e of opened) openedBy[e.target]++;
  const viewed = events.filter((e) => e.kind === 'viewed');
  const rates = ratesOf(measures);

  return {
    from,
    to,
    prompts: prompted.length,
    promptsByTrigger: {
      'patient-view': prompted.filter((e) => e.trigger === 'patient-view').length,
      'order-select': prompted.filter((e) => e.trigger === 'order-select').length,
    },
    decisions: measures.reportsRecognized + measures.reportsRetested,
    recognized: measures.reportsRecognized,
    retested: measures.reportsRetested,
    revisions,
    rate: rates.recognitionRate,
    measures,
    rates,
    saved: measures.saved,
    unpriced: facts.filter((f) => f.outcome === 'accepted' && !f.priced).length,
    byDepartment: groups(
      (f) => ({ key: f.department, name: f.department }),
      (e) => e.actor.department ?? '',
    ),
    byPhysician: groups(
      (f) => ({ key: `${f.department}\u0000${f.physician}`, name: f.physician, detail: f.department }),
      (e) => `${e.actor.department ?? ''}\u0000${e.actor.physician ?? ''}`,
    ),
    byItem: groups((f) => ({ key: `${f.item.id ?? `name:${f.item.name}`}`, name: f.item.name })),
    reasons: [...reasons.entries()]
      .map(([code, r]) => ({ code, display: r.display, count: r.count, share: r.count / retested.length }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code, 'en', { numeric: true })),
    usage: {
      views: viewed.length,
      patients: new Set(viewed.map((e) => `${e.patient.system ?? ''}|${e.patient.value}`)).size,
      physicians: new Set(events.map((e) => `${e.actor.department ?? ''}\u0000${e.actor.physician ?? ''}`)).size,
      opened: opened.length,
      openedBy,
    },
    rule,
  };
}
