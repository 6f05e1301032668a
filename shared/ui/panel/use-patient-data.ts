import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { EncounterContext } from '../../domain/encounter';
import { latestByCard } from '../../decisions/store';
import { sinceFor } from '../../results/since';
import type { FetchProgress, ResultsFetch } from '../../results/source';
import { evaluate, EvaluationError, type Evaluation, type RulePack } from '../../rules';
import { patientKey } from './patient-key';
import type { PanelServices } from './services';
import { buildPanelModel, type PanelModel } from './view-model';
import { paperResults } from '../../paper/paper-report';
import type { ExternalResult } from '../../domain/external-result';

/** The longest time limit in the active packs: how far back results are worth fetching. */
export function maxLimitDays(packs: readonly RulePack[]): number {
  let max = 0;
  for (const pack of packs) {
    max = Math.max(max, pack.defaults.timeLimitDays.lab, pack.defaults.timeLimitDays.imaging);
    for (const item of pack.catalog) max = Math.max(max, item.timeLimitDays ?? 0);
  }
  return max;
}

export const resultsKey = (sourceId: string, ctx: EncounterContext) => ['results', sourceId, patientKey(ctx.patient.identifier)] as const;
export const decisionsKey = (ctx: EncounterContext) => ['decisions', patientKey(ctx.patient.identifier)] as const;
export const paperKey = (ctx: EncounterContext) => ['paper', patientKey(ctx.patient.identifier)] as const;

/**
 * Everything the panel shows for one patient: results (source + cache), decisions, and the
 * engine's verdicts. Keys carry the patient, so nothing of one patient renders under another.
 */
export function usePatientData(context: EncounterContext, services: PanelServices) {
  const [progress, setProgress] = useState<FetchProgress>();
  const now = services.now ?? (() => new Date());
  const results = useQuery({
    queryKey: resultsKey(services.source.id, context),
    queryFn: ({ signal }): Promise<ResultsFetch & { stale?: boolean }> =>
      services.source.fetchResults({
        patient: context.patient.identifier,
        since: sinceFor(now(), maxLimitDays(services.packs)),
        signal,
        onProgress: setProgress,
      }),
  });
  // A warm cache shows at once; the platform's answer replaces it when it comes.
  const cached = useQuery({
    queryKey: [...resultsKey(services.source.id, context), 'cached'],
    queryFn: async () => (await services.source.cachedResults?.(context.patient.identifier)) ?? null,
    enabled: !!services.source.cachedResults,
    staleTime: Infinity,
  });
  const shown = results.data ?? (results.isPending ? cached.data ?? undefined : undefined);
  const decisions = useQuery({
    queryKey: decisionsKey(context),
    queryFn: () => services.decisions.forPatient(context.patient.identifier),
  });
  // Paper reports the physician entered for this patient, judged with the platform's results.
  const paper = useQuery({
    queryKey: paperKey(context),
    queryFn: async () => (services.paper ? await services.paper.forPatient(context.patient.identifier) : []),
  });
  const paperFromReports = useMemo(() => (paper.data ?? []).flatMap((r) => paperResults(r, services.packs)), [paper.data, services.packs]);

  const evaluated = useMemo((): { model?: PanelModel; rulesError?: string; combined?: ExternalResult[] } => {
    if (!shown && paperFromReports.length === 0) return {};
    const combined = [...(shown?.results ?? []), ...paperFromReports];
    let evaluation: Evaluation;
    try {
      evaluation = evaluate({
      packs: services.packs,
      receivingInstitution: services.receivingInstitution,
      now: now(),
      flags: context.flags,
      results: combined,
      orders: context.orders,
    });
    } catch (err) {
      // No usable pack, or the receiving institution is in none: say so instead of guessing.
      if (err instanceof EvaluationError) return { rulesError: err.message };
      throw err;
    }
    return { combined, model: buildPanelModel({ evaluation, results: combined, packs: services.packs, decisions: latestByCard(decisions.data ?? []) }) };
    // `now` is read when results, orders or decisions change, not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shown, paperFromReports, decisions.data, context.orders, context.flags, services.packs, services.receivingInstitution]);

  /** What is on screen: the platform's answer, or the cache while it is being asked. */
  const refreshing = !results.data && !!shown;
  return { results, shown, refreshing, decisions, ...evaluated, progress };
}
