import { useQuery } from '@tanstack/react-query';
import type { EncounterContext } from '../../domain/encounter';
import type { ExternalResult } from '../../domain/external-result';
import { SourceError, type FetchProgress, type ResultsSource } from '../../results/source';
import { useT } from '../i18n/I18nProvider';
import { patientKey } from './patient-key';
import { PatientHeader } from './PatientHeader';
import { useState } from 'react';

export interface PanelProps {
  context: EncounterContext | null;
  source: ResultsSource;
  /** How far back to look; derived from the active rule packs' longest time limit. */
  lookbackDays: number;
  now?: () => Date;
}

/** The one panel both shells render: the extension sidebar and the embeddable widget. */
export function Panel({ context, source, lookbackDays, now = () => new Date() }: PanelProps) {
  const t = useT();
  if (!context) {
    return (
      <section className="hr-panel" aria-live="polite">
        <p className="hr-empty">{t('noPatient')}</p>
        <p className="hr-hint">{t('noPatientHint')}</p>
      </section>
    );
  }
  return (
    <section className="hr-panel">
      <PatientHeader patient={context.patient} />
      {/* Keyed by patient: switching patients remounts, so no state crosses over. */}
      <PatientResults key={patientKey(context.patient.identifier)} context={context} source={source} lookbackDays={lookbackDays} now={now} />
    </section>
  );
}

function PatientResults({ context, source, lookbackDays, now }: Required<Omit<PanelProps, 'context'>> & { context: EncounterContext }) {
  const t = useT();
  const [progress, setProgress] = useState<FetchProgress>();
  const identifier = context.patient.identifier;
  const query = useQuery({
    queryKey: ['results', source.id, patientKey(identifier)],
    queryFn: ({ signal }) => {
      const since = new Date(now().getTime() - lookbackDays * 86_400_000);
      return source.fetchResults({ patient: identifier, since, signal, onProgress: setProgress });
    },
  });

  if (query.isPending) {
    return (
      <p className="hr-status" role="status">
        {progress ? t('loadingPages', { ...progress }) : t('loading')}
      </p>
    );
  }
  if (query.isError) {
    const kind = query.error instanceof SourceError ? query.error.kind : undefined;
    const key = kind === 'unauthorized' ? 'errorUnauthorized' : kind === 'timeout' ? 'errorTimeout' : kind === 'unreachable' ? 'errorUnreachable' : 'errorOther';
    return (
      <div className="hr-status hr-error" role="alert">
        <p>{t(key)}</p>
        <button type="button" onClick={() => void query.refetch()}>
          {t('retry')}
        </button>
      </div>
    );
  }
  const { patientFound, results, unreadable } = query.data;
  if (!patientFound) return <p className="hr-status" role="status">{t('patientNotFound')}</p>;
  const newest = newestResult(results);
  return (
    <div className="hr-summary" role="status">
      <p className="hr-count">{results.length ? t('resultsCount', { count: results.length }) : t('noResults')}</p>
      {newest && (
        <p className="hr-newest">
          {t('newest')}：<strong>{newest.item.name}</strong> · {newest.issuer.name ?? '—'} · {(newest.collectedAt ?? newest.reportedAt ?? '').slice(0, 10)}
        </p>
      )}
      {unreadable > 0 && <p className="hr-warning">{t('unreadable', { count: unreadable })}</p>}
    </div>
  );
}

function newestResult(results: ExternalResult[]): ExternalResult | undefined {
  let best: ExternalResult | undefined;
  let bestTime = -Infinity;
  for (const r of results) {
    const time = Date.parse(r.collectedAt ?? r.reportedAt ?? '');
    if (time > bestTime) {
      best = r;
      bestTime = time;
    }
  }
  return best;
}
