import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import { usePanelAudit } from '../../audit/use-panel-audit';
import type { Decision, DecisionContext } from '../../domain/decision';
import type { EncounterContext } from '../../domain/encounter';
import { checkPatient, refuseWrongPatient, type PatientCheck } from '../../domain/patient-check';
import { citationText } from '../../decisions/citation';
import { makeDecision, type Choice } from '../../decisions/make-decision';
import { retestNotice } from '../../decisions/patient-notice';
import { SourceError } from '../../results/source';
import { useT } from '../i18n/I18nProvider';
import { TrendDialog } from '../trend/TrendDialog';
import { OtherResults } from './OtherResults';
import { ConsentGate } from './ConsentGate';
import { PaperEntry } from './PaperEntry';
import { OutboxStatus } from './OutboxStatus';
import { patientKey } from './patient-key';
import { PatientHeader } from './PatientHeader';
import { printNotice } from './print-notice';
import { ResultCard, type CardActions } from './ResultCard';
import type { PanelServices } from './services';
import { decisionsKey, usePatientData } from './use-patient-data';
import type { CardModel } from './view-model';
import { WrongPatient } from './WrongPatient';

export interface PanelProps {
  context: EncounterContext | null;
  services: PanelServices;
}

/** The one panel both shells render: the extension sidebar and the embeddable widget. */
export function Panel({ context, services }: PanelProps) {
  const t = useT();
  if (!context) {
    return (
      <section className="hr-panel" aria-live="polite">
        <p className="hr-empty">{t('noPatient')}</p>
        <p className="hr-hint">{t('noPatientHint')}</p>
      </section>
    );
  }
  // 患者身份核对, first against the 身份证号 alone: a page whose patient contradicts its own
  // identifier is not looked up on the platform at all.
  const pageCheck = checkPatient(context.patient, undefined, (services.now ?? (() => new Date()))());
  return (
    <section className="hr-panel">
      <PatientHeader patient={context.patient} />
      {/* Keyed by patient: switching patients remounts, so no state crosses over. */}
      {pageCheck.verdict === 'mismatch' ? (
        <WrongPatient key={patientKey(context.patient.identifier)} fields={pageCheck.fields} context={context} services={services} />
      ) : (
        <ConsentGate key={patientKey(context.patient.identifier)} context={context} services={services}>
          <PatientResults context={context} services={services} />
        </ConsentGate>
      )}
      <OutboxStatus outbox={services.outbox} />
    </section>
  );
}

function PatientResults({ context, services }: { context: EncounterContext; services: PanelServices }) {
  const t = useT();
  const queryClient = useQueryClient();
  const { results, shown, refreshing, model, rulesError, progress, combined } = usePatientData(context, services);
  const now = services.now ?? (() => new Date());
  // 患者身份核对 against what the platform says about the patient it found (and the 身份证号).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const check = useMemo((): PatientCheck => checkPatient(context.patient, shown?.patient, now()), [context.patient, shown]);
  const wrong = check.verdict === 'mismatch';
  // Read at the moment of a decision: the answer that is on screen then, not the one at render.
  const checkRef = useRef(check);
  checkRef.current = check;
  // A mismatched patient is neither viewed nor prompted.
  const audit = usePanelAudit(context, services, wrong ? undefined : shown, wrong ? undefined : model?.cards);
  const [trendCard, setTrendCard] = useState<CardModel | null>(null);

  const decide = useCallback(
    async (card: CardModel, choice: Choice): Promise<Decision> => {
      // The decision boundary: nothing is stored for a patient the page, its 身份证号 or the platform contradict.
      refuseWrongPatient(checkRef.current);
      const about: DecisionContext = {
        hospital: services.receivingInstitution,
        patient: context.patient.identifier,
        item: { id: card.item.id, name: card.item.name, category: card.item.category },
        result: {
          id: card.verdict.resultId,
          reportNumber: card.results[0]?.reportNumber,
          date: card.verdict.clockDate,
          ...(card.results[0]?.source === 'paper' ? { source: 'paper' as const } : {}),
        },
        issuer: { id: card.verdict.issuer?.id ?? null, name: card.verdict.issuer?.name ?? card.results[0]?.issuer.name ?? null },
        practitioner: { physician: context.user.physician, department: context.user.department },
        pack: { id: card.verdict.pack.id, version: card.verdict.pack.version },
        trigger: card.trigger,
        ...(card.decision ? { revises: card.decision.uuid } : {}),
        ...(card.item.price !== null ? { savedPrice: card.item.price } : {}),
      };
      const decision = makeDecision(choice, card.card, about, { uuid: crypto.randomUUID(), now: (services.now ?? (() => new Date()))() });
      // Durable first: the card shows the decision only after the store has committed it.
      await services.decisions.save(decision);
      queryClient.setQueryData<Decision[]>(decisionsKey(context), (prev = []) => [...prev, decision]);
      services.onDecision?.(decision);
      audit.decided(card, decision);
      return decision;
    },
    [context, services, queryClient, audit],
  );

  const actionsFor = useMemo(() => {
    const base = {
      decide,
      openTrend: (card: CardModel) => {
        setTrendCard(card);
        audit.opened('trend', card);
      },
      opened: (card: CardModel, target: 'images') => audit.opened(target, card),
      cited: (card: CardModel, decision: Decision, how: 'copied' | 'inserted') => audit.cited(card, decision, how),
      insertIntoNote: services.insertIntoNote,
      citation: (card: CardModel) =>
        citationText({
          itemName: card.item.name,
          date: card.verdict.clockDate,
          issuerName: card.verdict.issuer?.name ?? card.results[0]?.issuer.name ?? '',
          results: card.results,
          mark: card.verdict.mark,
          ...(card.results[0]?.source === 'paper' ? { source: 'paper' as const } : {}),
        }),
      printNotice: (card: CardModel, decision: Decision) => {
        const pack = services.packs.find((p) => p.meta.id === card.packId);
        const reason = pack?.retestReasons.find((r) => r.code === decision.overrideReason?.reason.code);
        if (!reason) return;
        printNotice(
          retestNotice({
            patientName: context.patient.name,
            itemName: card.item.name,
            issuerName: card.verdict.issuer?.name ?? '',
            date: card.verdict.clockDate,
            reason,
            comment: decision.overrideReason?.userComment,
            physician: context.user.physician,
            department: context.user.department,
            today: decision.outcomeTimestamp.slice(0, 10),
          }),
        );
      },
    };
    return (card: CardModel): CardActions => ({ ...base, watchVisibility: services.watchVisibility, reasons: services.packs.find((p) => p.meta.id === card.packId)?.retestReasons ?? [] });
  }, [decide, services, context, audit]);

  if (check.verdict === 'mismatch') {
    return (
      <div className="hr-results">
        <WrongPatient fields={check.fields} context={context} services={services} />
      </div>
    );
  }

  // One place in the tree whatever the platform answers, so an open entry form survives its answer.
  const paperEntry = <PaperEntry context={context} services={services} />;
  const hasPaper = (combined?.length ?? 0) > (shown?.results.length ?? 0);
  let platformLine: ReactNode = null;
  if (results.isPending && !shown) {
    platformLine = (
      <p className="hr-status" role="status">
        {progress ? t('loadingPages', { ...progress }) : t('loading')}
      </p>
    );
  } else if (results.isError || !shown) {
    const kind = results.error instanceof SourceError ? results.error.kind : undefined;
    if (kind === 'aborted') return null;
    const key = kind === 'unauthorized' ? 'errorUnauthorized' : kind === 'timeout' ? 'errorTimeout' : kind === 'unreachable' || kind === 'server' ? 'errorUnreachable' : 'errorOther';
    // Paper reports still show (a hospital not yet connected to the platform recognizes on paper).
    platformLine = (
      <div className="hr-status hr-error" role="alert">
        <p>{t(key)}</p>
        <button type="button" onClick={() => void results.refetch()}>
          {t('retry')}
        </button>
      </div>
    );
  } else if (!shown.patientFound) {
    platformLine = <p className="hr-status" role="status">{t('patientNotFound')}</p>;
  } else {
    const time = new Date(shown.fetchedAt).toLocaleString('zh-CN', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
    platformLine = (
      <p className={shown.stale ? 'hr-freshness hr-warning' : 'hr-freshness'} role="status">
        {shown.stale ? t('stale', { time }) : t('fresh', { time })} · {t('resultsCount', { count: model?.counts.results ?? 0 })}
        {refreshing && ` · ${t('refreshing')}`}
      </p>
    );
  }
  const showResults = !!shown?.patientFound || hasPaper;
  const unreadable = shown?.patientFound ? shown.unreadable : 0;

  return (
    <div className="hr-results">
      {platformLine}
      {paperEntry}
      {unreadable > 0 && <p className="hr-warning">{t('unreadable', { count: unreadable })}</p>}
      {shown?.unreadableDocuments && shown.unreadableDocuments.length > 0 && (
        <details className="hr-unreadable-docs">
          <summary>{t('unreadableDocumentsHeading', { count: shown.unreadableDocuments.length })}</summary>
          <ul>
            {shown.unreadableDocuments.slice(0, 50).map((d, i) => (
              <li key={`${d.ref}-${i}`}>{t('unreadableDocument', { ref: d.ref, reason: d.reason })}</li>
            ))}
          </ul>
        </details>
      )}
      {rulesError && (
        <p className="hr-error" role="alert">
          {t('rulesUnavailable')}
        </p>
      )}
      {showResults && model && model.counts.results === 0 && <p className="hr-status">{t('noResults')}</p>}
      {showResults && model && model.counts.results > 0 && (
        <>
          <h2 className="hr-section">{t('recognizableHeading', { count: model.cards.length })}</h2>
          {model.cards.length === 0 && <p className="hr-muted">{t('nothingRecognizable')}</p>}
          {model.cards.map((card) => (
            <ResultCard key={card.card} card={card} actions={actionsFor(card)} />
          ))}
          {/* A click on the summary that opens the list counts as usage (调阅). */}
          <div onClickCapture={(e) => (e.target as Element).closest?.('summary') && !(e.target as Element).closest('details')?.open && audit.opened('others')}>
            <OtherResults others={model.others} />
          </div>
        </>
      )}
      {trendCard && services.packs.some((p) => p.meta.id === trendCard.packId) && (
        <TrendDialog card={trendCard} results={combined ?? []} pack={services.packs.find((p) => p.meta.id === trendCard.packId)!} onClose={() => setTrendCard(null)} />
      )}
    </div>
  );
}
