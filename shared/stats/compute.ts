import type { AuditEvent, OpenedTarget } from '../audit/event';
import { EXT, type Decision, type Trigger } from '../domain/decision';
import { latestByCard } from '../decisions/store';
import type { RulePack } from '../rules';
import { DEFAULT_DEVIATION_RULE, flagDeviations, type Deviation, type DeviationRule } from './deviation';

export interface StatsInput {
  /** Every known decision, revisions included (the period is applied here, after revisions). */
  decisions: readonly Decision[];
  /** Audit events; those outside the period are ignored. */
  events: readonly AuditEvent[];
  /** from ≤ t < to, epoch ms. */
  from: number;
  to: number;
  /** For the price of a recognized item whose decision carries none. */
  packs?: readonly RulePack[];
  rule?: DeviationRule;
}

/** One row of a "by department / physician / item" table. */
export interface GroupStats {
  key: string;
  /** '' when the host did not say (shown as 未填写). */
  name: string;
  /** The physician's department, for the physician table. */
  detail?: string;
  decisions: number;
  recognized: number;
  retested: number;
  /** recognized / (recognized + retested); null without decisions. */
  rate: number | null;
  /** 元 */
  saved: number;
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
  /** Cards decided: each card once, with its latest decision. */
  decisions: number;
  recognized: number;
  retested: number;
  /** Decisions in the period that changed an earlier one (修改). */
  revisions: number;
  rate: number | null;
  /** 节省费用 (元): item prices of the recognized cards. */
  saved: number;
  /** Recognized cards whose item has no price in the pack. */
  unpriced: number;
  byDepartment: GroupStats[];
  byPhysician: GroupStats[];
  byItem: GroupStats[];
  reasons: ReasonStats[];
  /** 调阅: patients' external results viewed, and things opened on them (seed 003 counts clicks). */
  usage: { views: number; patients: number; physicians: number; opened: number; openedBy: Record<OpenedTarget, number> };
  rule: DeviationRule;
}

const rateOf = (recognized: number, retested: number) => (recognized + retested === 0 ? null : recognized / (recognized + retested));

/**
 * The monitoring figures for one period, pure. Each card counts once, with its latest decision
 * (a revision replaces the outcome it revises), in the period in which that latest decision was
 * made. Recognition rate = recognized / (recognized + re-tested).
 */
export function computeStats(input: StatsInput): Stats {
  const { from, to } = input;
  const rule = input.rule ?? DEFAULT_DEVIATION_RULE;
  const inPeriod = (iso: string) => {
    const t = Date.parse(iso);
    return t >= from && t < to;
  };

  const latest = [...latestByCard(input.decisions).values()].filter((d) => inPeriod(d.outcomeTimestamp));
  const revisions = input.decisions.filter((d) => d.extension[EXT].revises && inPeriod(d.outcomeTimestamp)).length;

  const departments = new Groups();
  const physicians = new Groups();
  const items = new Groups();
  const reasons = new Map<string, { display: string; count: number }>();
  let recognized = 0;
  let retested = 0;
  let saved = 0;
  let unpriced = 0;

  for (const d of latest) {
    const ctx = d.extension[EXT];
    const accepted = d.outcome === 'accepted';
    const price = accepted ? (ctx.savedPrice ?? packPrice(input.packs, ctx.pack.id, ctx.item.id)) : 0;
    if (accepted) {
      recognized++;
      if (price === null) unpriced++;
      else saved += price;
    } else {
      retested++;
      const code = d.overrideReason?.reason.code ?? '';
      const r = reasons.get(code) ?? { display: d.overrideReason?.reason.display ?? code, count: 0 };
      r.count++;
      reasons.set(code, r);
    }
    const dept = ctx.practitioner.department ?? '';
    const phys = ctx.practitioner.physician ?? '';
    departments.add(dept, dept, accepted, price ?? 0);
    physicians.add(`${dept}\u0000${phys}`, phys, accepted, price ?? 0, dept);
    items.add(`${ctx.pack.id}\u0000${ctx.item.id ?? `name:${ctx.item.name}`}`, ctx.item.name, accepted, price ?? 0);
  }

  const rate = rateOf(recognized, retested);
  const events = input.events.filter((e) => inPeriod(e.at));
  const count = <K extends AuditEvent['kind']>(kind: K) => events.filter((e): e is Extract<AuditEvent, { kind: K }> => e.kind === kind);
  const prompted = count('prompted');
  const viewed = count('viewed');
  const opened = count('opened');
  const openedBy: Record<OpenedTarget, number> = { images: 0, others: 0, trend: 0 };
  for (const e of opened) openedBy[e.target]++;

  return {
    from,
    to,
    prompts: prompted.length,
    promptsByTrigger: {
      'patient-view': prompted.filter((e) => e.trigger === 'patient-view').length,
      'order-select': prompted.filter((e) => e.trigger === 'order-select').length,
    },
    decisions: latest.length,
    recognized,
    retested,
    revisions,
    rate,
    saved: Math.round(saved * 100) / 100,
    unpriced,
    byDepartment: departments.rows(rate, rule, true),
    byPhysician: physicians.rows(rate, rule, true),
    byItem: items.rows(rate, rule, false),
    reasons: [...reasons.entries()]
      .map(([code, r]) => ({ code, display: r.display, count: r.count, share: r.count / retested }))
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

class Groups {
  private readonly map = new Map<string, GroupStats>();

  add(key: string, name: string, accepted: boolean, price: number, detail?: string): void {
    const g = this.map.get(key) ?? { key, name, ...(detail !== undefined ? { detail } : {}), decisions: 0, recognized: 0, retested: 0, rate: null, saved: 0 };
    g.decisions++;
    if (accepted) {
      g.recognized++;
      g.saved += price;
    } else g.retested++;
    this.map.set(key, g);
  }

  /** Rows by decisions (most first); deviation flags only where the rule applies (departments, physicians). */
  rows(overall: number | null, rule: DeviationRule, flag: boolean): GroupStats[] {
    const rows = [...this.map.values()].map((g) => ({ ...g, rate: rateOf(g.recognized, g.retested), saved: Math.round(g.saved * 100) / 100 }));
    rows.sort((a, b) => b.decisions - a.decisions || a.name.localeCompare(b.name, 'zh-CN'));
    if (!flag) return rows;
    const flags = flagDeviations(rows, overall, rule);
    return rows.map((g, i) => (flags[i] ? { ...g, deviation: flags[i] } : g));
  }
}

function packPrice(packs: readonly RulePack[] | undefined, packId: string, itemId: string | null): number | null {
  if (!packs || itemId === null) return null;
  return packs.find((p) => p.meta.id === packId)?.catalog.find((i) => i.id === itemId)?.price ?? null;
}
