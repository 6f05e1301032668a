import { useRef, useState } from 'react';
import type { Decision } from '../../domain/decision';
import { EXT } from '../../domain/decision';
import type { Choice } from '../../decisions/make-decision';
import type { RetestReason } from '../../rules';
import { useLocale, useT } from '../i18n/I18nProvider';
import { CitationBox } from './CitationBox';
import { ReasonPicker } from './ReasonPicker';
import { ResultRows } from './ResultRows';
import type { CardModel } from './view-model';
import { useVisibleConfirm, type WatchVisibility } from './visibility';

export interface CardActions {
  reasons: readonly RetestReason[];
  decide: (card: CardModel, choice: Choice) => Promise<Decision>;
  citation: (card: CardModel) => string;
  insertIntoNote?: (text: string) => Promise<boolean>;
  printNotice: (card: CardModel, decision: Decision) => void;
  /** 趋势: opens the trend of a lab card's item. */
  openTrend?: (card: CardModel) => void;
  /** Told when the physician opens the images link (audit). */
  opened?: (card: CardModel, target: 'images') => void;
  /** Told when a recognized result went into the record (引用: copied or inserted). */
  cited?: (card: CardModel, decision: Decision, how: 'copied' | 'inserted') => void;
  /** Where the panel is framed by a page Huren does not control: a decision counts only from a card that is seen. */
  watchVisibility?: WatchVisibility;
}

/** One "可互认" card: the prior result on the card, recognize in one click, re-test with a reason. */
export function ResultCard({ card, actions }: { card: CardModel; actions: CardActions }) {
  const t = useT();
  const locale = useLocale();
  const [mode, setMode] = useState<'prompt' | 'reasons'>('prompt');
  const [revising, setRevising] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const [obscured, setObscured] = useState(false);
  const cardRef = useRef<HTMLElement>(null);
  const seen = useVisibleConfirm(cardRef, actions.watchVisibility);
  const { verdict } = card;
  const issuer = verdict.issuer?.name ?? card.results[0]?.issuer.name ?? '—';
  const headingId = `hr-card-${card.card}`;

  const choose = async (choice: Choice) => {
    setBusy(true);
    setFailed(false);
    setObscured(false);
    try {
      // A click on a card the physician cannot see (made transparent, covered by the page) is not a decision.
      if (!(await seen())) {
        setObscured(true);
        return;
      }
      await actions.decide(card, choice);
      setMode('prompt');
      setRevising(false);
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };

  const decided = card.decision && !revising ? card.decision : undefined;
  const coverage = card.coverage;
  const partial = coverage !== undefined && !coverage.complete;
  const names = (items: readonly { name: string }[]) => items.map((i) => i.name).join('、');
  // "可免于重复检查" only when the whole panel is covered; otherwise say what is and is not.
  const summary = partial
    ? t('summaryPartial', { issuer, date: verdict.clockDate ?? '', item: card.item.name, covered: names(coverage.covered), missing: names(coverage.missing) })
    : t('summary', {
        issuer,
        date: verdict.clockDate ?? '',
        item: card.item.name,
        mark: verdict.mark ? `（${verdict.mark}）` : verdict.via === 'alliance' ? `（${t('viaAlliance')}）` : '',
      });
  const dateLabel = verdict.clockBasis === 'report' ? t('clockReport') : card.item.category === 'lab' ? t('clockCollection') : t('clockExam');

  return (
    <article ref={cardRef} className={`hr-card${card.order ? ' hr-card-order' : ''}${decided ? ' hr-card-decided' : ''}`} aria-labelledby={headingId}
      data-result={card.verdict.resultId}>
      {card.order && <p className="hr-badge">{t('duplicateOrder', { order: card.order.name })}</p>}
      {card.results[0]?.source === 'paper' && (
        <p className="hr-badge hr-badge-paper" title={t('paperSourceTitle')} data-source="paper">
          {t('paperSource')}
        </p>
      )}
      <h3 id={headingId} className="hr-card-title">
        {card.item.name}
        <span className="hr-status-ok">{verdict.reasonShort[locale]}</span>
      </h3>
      <p className="hr-card-meta">
        {issuer} · {dateLabel} {verdict.clockDate}
        {card.clockFallback && <span className="hr-muted"> {t('clockFallback')}</span>}
        {verdict.mark && (
          <span className="hr-mark">
            {' '}
            · {verdict.mark}
            <span className="hr-mark-source" data-source={verdict.markSource ?? undefined}>
              （{verdict.markSource === 'result' ? t('markFromResult') : t('markFromPack')}）
            </span>
          </span>
        )}
      </p>
      {partial && (
        <div className="hr-coverage" role="note">
          <p className="hr-coverage-covered">{t('coverageCovered', { items: names(coverage.covered) })}</p>
          <p className="hr-coverage-missing">{t('coverageMissing', { items: names(coverage.missing) })}</p>
        </div>
      )}
      <p className="hr-days">
        {verdict.daysLeft === 0 ? t('lastDay', { day: verdict.lastValidDay ?? '' }) : t('daysLeft', { days: verdict.daysLeft ?? 0, day: verdict.lastValidDay ?? '' })}
      </p>
      {/* Opening the images (云胶片) is audited; the link itself stays a plain link. */}
      <div onClickCapture={(e) => (e.target as Element).closest?.('a.hr-images') && actions.opened?.(card, 'images')}>
        <ResultRows results={card.results} />
      </div>
      {card.item.category === 'lab' && actions.openTrend && (
        <p className="hr-card-tools">
          <button type="button" onClick={() => actions.openTrend!(card)}>
            {t('trend')}
          </button>
        </p>
      )}
      <p className="hr-card-summary">{summary}</p>

      {decided ? (
        <DecidedView card={card} decision={decided} actions={actions} onRevise={() => setRevising(true)} />
      ) : mode === 'reasons' ? (
        <ReasonPicker reasons={actions.reasons} busy={busy} onCancel={() => setMode('prompt')} onSave={(reason, comment) => void choose({ kind: 'retest', reason, comment })} />
      ) : (
        <div className="hr-actions">
          <button type="button" className="hr-primary" disabled={busy} onClick={() => void choose({ kind: 'recognize' })}>
            {busy ? t('saving') : t('recognize')}
          </button>
          <button type="button" disabled={busy} onClick={() => setMode('reasons')}>
            {t('retest')}
          </button>
          {revising && (
            <button type="button" onClick={() => setRevising(false)}>
              {t('cancel')}
            </button>
          )}
        </div>
      )}
      {failed && (
        <p className="hr-error" role="alert">
          {t('saveFailed')}
        </p>
      )}
      {obscured && (
        <p className="hr-error" role="alert">
          {t('obscured')}
        </p>
      )}
    </article>
  );
}

function DecidedView({ card, decision, actions, onRevise }: { card: CardModel; decision: Decision; actions: CardActions; onRevise: () => void }) {
  const t = useT();
  const context = decision.extension[EXT];
  const when = new Date(decision.outcomeTimestamp).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false });
  return (
    <div className="hr-decided">
      <p className="hr-decided-line" role="status">
        <strong>{decision.outcome === 'accepted' ? t('decidedRecognized') : t('decidedRetest', { reason: decision.overrideReason?.reason.display ?? '' })}</strong>{' '}
        <span className="hr-muted">{t('decidedBy', { who: context.practitioner.physician ?? '', time: when })}</span>
      </p>
      {decision.outcome === 'accepted' && <CitationBox text={actions.citation(card)} insertIntoNote={actions.insertIntoNote} onCited={(how) => actions.cited?.(card, decision, how)} />}
      <div className="hr-actions">
        {decision.outcome === 'overridden' && (
          <button type="button" onClick={() => actions.printNotice(card, decision)}>
            {t('printNotice')}
          </button>
        )}
        <button type="button" onClick={onRevise}>
          {t('revise')}
        </button>
      </div>
    </div>
  );
}
