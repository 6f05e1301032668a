import { useEffect, useMemo, useRef } from 'react';
import { EXT, type Decision } from '../domain/decision';
import type { EncounterContext } from '../domain/encounter';
import type { PanelServices } from '../ui/panel/services';
import { recordAudit, type OpenedTarget } from './event';

interface CardLike {
  card: string;
  trigger: 'patient-view' | 'order-select';
  item: { id: string | null; name: string; category: 'lab' | 'imaging' };
  /** The card's verdict and results, when the card model has them: the prompted event says which result was offered. */
  verdict?: { resultId: string; clockDate: string | null; issuer: { id: string; name: string } | null; pack: { id: string; version: string } };
  results?: readonly { reportNumber?: string; issuer: { name?: string | null }; source?: 'platform' | 'paper' }[];
}

export interface PanelAuditor {
  opened(target: OpenedTarget, card?: CardLike): void;
  decided(card: CardLike, decision: Decision): void;
  cited(card: CardLike, decision: Decision, how: 'copied' | 'inserted'): void;
}

const itemOf = (c: CardLike) => ({ id: c.item.id, name: c.item.name, category: c.item.category });

/** The external result a card offered and the pack that judged it (per report: 份). */
function shownOf(c: CardLike) {
  if (!c.verdict) return {};
  const first = c.results?.[0];
  return {
    result: {
      id: c.verdict.resultId,
      ...(first?.reportNumber ? { reportNumber: first.reportNumber.slice(0, 128) } : {}),
      date: c.verdict.clockDate,
      // Names from a platform can be long; an over-long field would make the whole event invalid.
      issuer: { id: c.verdict.issuer?.id?.slice(0, 128) ?? null, name: (c.verdict.issuer?.name ?? first?.issuer.name ?? null)?.slice(0, 128) ?? null },
      ...(first?.source === 'paper' ? { source: 'paper' as const } : {}),
    },
    pack: { id: c.verdict.pack.id, version: c.verdict.pack.version },
  };
}

/**
 * The panel's audit calls for one patient view (the panel remounts per patient): `viewed` once
 * when results are shown, `prompted` once per card, and an auditor for what the physician opens
 * and decides. All fire-and-forget: the physician never waits for the audit.
 */
export function usePanelAudit(
  context: EncounterContext,
  services: PanelServices,
  shown: { patientFound: boolean; results: readonly unknown[] } | undefined,
  cards: readonly CardLike[] | undefined,
): PanelAuditor {
  const log = services.audit;
  const who = useMemo(() => ({ actor: { ...context.user }, patient: context.patient.identifier }), [context.user, context.patient.identifier]);
  const viewed = useRef(false);
  const prompted = useRef(new Set<string>());

  useEffect(() => {
    if (viewed.current || !shown?.patientFound) return;
    viewed.current = true;
    recordAudit(log, { kind: 'viewed', ...who, resultCount: shown.results.length });
  }, [log, who, shown]);

  useEffect(() => {
    for (const c of cards ?? []) {
      if (prompted.current.has(c.card)) continue;
      prompted.current.add(c.card);
      recordAudit(log, { kind: 'prompted', ...who, card: c.card, item: itemOf(c), trigger: c.trigger, ...shownOf(c) });
    }
  }, [log, who, cards]);

  return useMemo(
    () => ({
      cited: (card, d, how) => recordAudit(log, { kind: 'cited', ...who, card: card.card, decision: d.uuid, item: itemOf(card), how }),
      opened: (target, card) => recordAudit(log, { kind: 'opened', ...who, target, ...(card ? { card: card.card, item: itemOf(card) } : {}) }),
      decided: (card, d) =>
        recordAudit(log, {
          kind: 'decided',
          ...who,
          card: card.card,
          decision: d.uuid,
          outcome: d.outcome,
          item: itemOf(card),
          ...(d.extension[EXT].revises ? { revises: d.extension[EXT].revises } : {}),
          ...(d.overrideReason ? { reason: d.overrideReason.reason.code } : {}),
        }),
    }),
    [log, who],
  );
}
