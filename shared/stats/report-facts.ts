import type { AuditEvent } from '../audit/event';
import { EXT, type Decision } from '../domain/decision';
import { EMPTY_MEASURES, type Measures } from './definitions';

/**
 * One report (份) as monitoring counts it: one external result of one patient, as cards offered
 * it and decisions settled it. The hub computes the same facts in SQL (hub/monitoring/), and a
 * test checks both give the same counts on the same data.
 */
export interface ReportFact {
  patient: string;
  resultId: string;
  /** Epoch ms of the first prompt or decision: the report's period. */
  firstShownAt: number;
  prompts: number;
  outcome: 'accepted' | 'overridden' | null;
  reasonCode: string | null;
  reasonDisplay: string | null;
  decidedAt: number | null;
  decision: string | null;
  cited: boolean;
  /** 元, when recognized and priced. */
  saved: number;
  /** The latest decision carried a price (a recognition of an item the pack prices). */
  priced: boolean;
  department: string;
  physician: string;
  item: { id: string | null; name: string; category: 'lab' | 'imaging' };
  issuer: { id: string | null; name: string | null };
}

const patientOf = (p: { system?: string; value: string }) => `${p.system ?? ''}|${p.value.trim()}`;
const byTimeThenUuid = (a: { t: number; uuid: string }, b: { t: number; uuid: string }) => a.t - b.t || (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0);

/** A report as first seen, before any decision settles it. */
function unsettled(
  patient: string,
  resultId: string,
  at: number,
  about: { department: string; physician: string; item: ReportFact['item']; issuer: ReportFact['issuer'] },
): ReportFact {
  return {
    patient,
    resultId,
    firstShownAt: at,
    prompts: 0,
    outcome: null,
    reasonCode: null,
    reasonDisplay: null,
    decidedAt: null,
    decision: null,
    cited: false,
    saved: 0,
    priced: false,
    department: about.department,
    physician: about.physician,
    item: { ...about.item },
    issuer: { ...about.issuer },
  };
}

/**
 * The attribution rules, the same in SQL and here:
 * - a report is one (patient, external result id); shown when a card offered it (a `prompted`
 *   event naming the result) or a decision was made on it; prompts without a result (written
 *   before the hub) cannot be counted per report and are left out;
 * - its period is when it was first shown (the earliest prompt or decision);
 * - its outcome is its latest decision (by time, then uuid): a revision replaces what it revises;
 * - department, physician, item and issuer are those of its latest decision, or of its first
 *   prompt when undecided;
 * - it is cited when a `cited` event names a card it was decided on and its outcome is 互认.
 */
export function reportFacts(decisions: readonly Decision[], events: readonly AuditEvent[]): ReportFact[] {
  const facts = new Map<string, ReportFact & { firstPromptAt: number; cards: Set<string> }>();
  const prompts = events.filter((e): e is Extract<AuditEvent, { kind: 'prompted' }> => e.kind === 'prompted' && !!e.result);
  for (const e of [...prompts].sort((a, b) => byTimeThenUuid({ t: Date.parse(a.at), uuid: a.card }, { t: Date.parse(b.at), uuid: b.card }))) {
    const key = `${patientOf(e.patient)}\u0000${e.result!.id}`;
    const t = Date.parse(e.at);
    const fact = facts.get(key);
    if (fact) {
      fact.prompts++;
      continue;
    }
    facts.set(key, {
      ...unsettled(patientOf(e.patient), e.result!.id, t, { department: e.actor.department ?? '', physician: e.actor.physician ?? '', item: e.item, issuer: e.result!.issuer }),
      firstPromptAt: t,
      prompts: 1,
      cards: new Set([e.card]),
    });
  }
  const sorted = [...decisions].sort((a, b) => byTimeThenUuid({ t: Date.parse(a.outcomeTimestamp), uuid: a.uuid }, { t: Date.parse(b.outcomeTimestamp), uuid: b.uuid }));
  for (const d of sorted) {
    const ctx = d.extension[EXT];
    const key = `${patientOf(ctx.patient)}\u0000${ctx.result.id}`;
    const t = Date.parse(d.outcomeTimestamp);
    let fact = facts.get(key);
    if (!fact) {
      fact = { ...unsettled(patientOf(ctx.patient), ctx.result.id, t, { department: '', physician: '', item: ctx.item, issuer: ctx.issuer }), firstPromptAt: Infinity, prompts: 0, cards: new Set() };
      facts.set(key, fact);
    }
    fact.firstShownAt = Math.min(fact.firstShownAt, t);
    fact.cards.add(d.card);
    // Sorted by time then uuid: the last one seen is the latest decision.
    fact.outcome = d.outcome;
    fact.reasonCode = d.overrideReason?.reason.code ?? null;
    fact.reasonDisplay = d.overrideReason?.reason.display ?? null;
    fact.decidedAt = t;
    fact.decision = d.uuid;
    fact.saved = d.outcome === 'accepted' ? (ctx.savedPrice ?? 0) : 0;
    fact.priced = ctx.savedPrice !== undefined;
    fact.department = ctx.practitioner.department ?? '';
    fact.physician = ctx.practitioner.physician ?? '';
    fact.item = { ...ctx.item };
    fact.issuer = { ...ctx.issuer };
  }
  const citedCards = new Set(events.filter((e) => e.kind === 'cited').map((e) => (e as { card: string }).card));
  return [...facts.values()].map(({ firstPromptAt: _f, cards, ...fact }) => ({
    ...fact,
    cited: fact.outcome === 'accepted' && [...cards].some((c) => citedCards.has(c)),
  }));
}

/** The measures of these facts (those first shown in the period) and views (events in the period). */
export function measuresOf(facts: readonly ReportFact[], views: number): Measures {
  const m: Measures = { ...EMPTY_MEASURES, views };
  for (const f of facts) {
    m.reportsShown++;
    m.prompts += f.prompts;
    if (f.outcome === 'accepted') {
      m.reportsRecognized++;
      m.saved += f.saved;
      if (f.cited) m.reportsCited++;
    } else if (f.outcome === 'overridden') m.reportsRetested++;
    else m.reportsUndecided++;
  }
  m.saved = Math.round(m.saved * 100) / 100;
  return m;
}

/** Views (调阅): `viewed` and `opened` events. */
export const isView = (e: AuditEvent) => e.kind === 'viewed' || e.kind === 'opened';
