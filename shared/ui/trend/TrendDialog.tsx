import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ExternalResult } from '../../domain/external-result';
import type { RulePack } from '../../rules';
import { useT } from '../i18n/I18nProvider';
import { trendCss } from './styles';
import { TrendChart } from './TrendChart';
import { trendAnalytes, trendSeries, type TrendPoint } from './trend-series';

export interface TrendDialogProps {
  card: { item: { id: string | null; name: string }; results: readonly ExternalResult[] };
  /** Every result already fetched for the patient (the panel has them; nothing is fetched again). */
  results: readonly ExternalResult[];
  pack: RulePack;
  onClose: () => void;
}

/**
 * 趋势: one lab item of the patient over time across institutions, each value with its own lab's
 * reference range. A modal dialog: focus moves in, Tab stays in, Escape (or 关闭) closes.
 */
export function TrendDialog({ card, results, pack, onClose }: TrendDialogProps) {
  const t = useT();
  const titleId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const analytes = useMemo(() => trendAnalytes(card, results, pack), [card, results, pack]);
  const [selected, setSelected] = useState(analytes[0]?.id);
  const analyte = analytes.find((a) => a.id === selected) ?? analytes[0];
  const data = useMemo(() => (analyte ? trendSeries(analyte, results, pack) : undefined), [analyte, results, pack]);

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.querySelector<HTMLElement>('button, select')?.focus();
    return () => opener?.focus?.();
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
    } else if (e.key === 'Tab') {
      const focusable = [...dialog.current!.querySelectorAll<HTMLElement>('button, select, [tabindex="0"]')];
      const first = focusable[0];
      const last = focusable.at(-1);
      const active = (dialog.current!.getRootNode() as Document | ShadowRoot).activeElement;
      if (e.shiftKey && active === first) {
        e.preventDefault();
        last?.focus();
      } else if (!e.shiftKey && active === last) {
        e.preventDefault();
        first?.focus();
      }
    }
  };

  return (
    <div className="hr-trend-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <style>{trendCss}</style>
      <div ref={dialog} className="hr-trend" role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onKeyDown}>
        <div className="hr-trend-head">
          <h2 id={titleId}>{t('trendTitle', { item: analyte?.name ?? card.item.name })}</h2>
          <button type="button" onClick={onClose}>
            {t('trendClose')}
          </button>
        </div>
        {analytes.length > 1 && (
          <label className="hr-trend-note">
            {t('trendAnalyte')}{' '}
            <select value={analyte?.id} onChange={(e) => setSelected(e.target.value)}>
              {analytes.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}（{a.count}）
                </option>
              ))}
            </select>
          </label>
        )}
        {!data || data.points.length === 0 ? (
          <p className="hr-trend-note">{t('trendEmpty')}</p>
        ) : (
          <>
            <TrendChart data={data} />
            <p className="hr-trend-note">{t('trendNote')}</p>
            <div className="hr-trend-scroll" tabIndex={0} aria-label={t('trendTableCaption')}>
              <TrendTable points={[...data.points].reverse()} unplotted={data.unplotted} caption={t('trendTableCaption')} />
            </div>
          </>
        )}
      </div>
    </div>
  );
}

function TrendTable({ points, unplotted, caption }: { points: readonly TrendPoint[]; unplotted: readonly TrendPoint[]; caption: string }) {
  const t = useT();
  const row = (p: TrendPoint, plotted: boolean) => (
    <tr key={p.resultId} className={p.outside ? 'hr-outside' : undefined}>
      <td>{p.date}</td>
      <td>{p.issuer}</td>
      <td className="hr-num">
        {p.value}
        {p.outside === 'high' ? ' ↑' : p.outside === 'low' ? ' ↓' : p.outside === 'flag' ? ' !' : ''}
      </td>
      <td>{p.unit ?? ''}</td>
      <td>{p.rangeText ?? '—'}</td>
      <td>{plotted ? (p.outside ? t('trendOutside') : '') : t('trendUnplotted')}</td>
    </tr>
  );
  return (
    <table className="hr-trend-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('trendDate')}</th>
          <th scope="col">{t('trendIssuer')}</th>
          <th scope="col">{t('trendValue')}</th>
          <th scope="col">{t('trendUnit')}</th>
          <th scope="col">{t('trendRange')}</th>
          <th scope="col">{t('trendFlag')}</th>
        </tr>
      </thead>
      <tbody>
        {points.map((p) => row(p, true))}
        {unplotted.map((p) => row(p, false))}
      </tbody>
    </table>
  );
}
