import { useEffect, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, type Filters } from './api';
import { useLocale, useT } from './strings';

const cn = (iso: string | null, locale: string) => (iso ? new Date(iso).toLocaleString(locale, { timeZone: 'Asia/Shanghai', hour12: false }) : '—');

/** 明细: the reports behind a number, in a dialog (Escape closes it; focus returns to the number). */
export function Drilldown({ title, filters, outcome, onClose }: { title: string; filters: Filters; outcome?: string; onClose: () => void }) {
  const t = useT();
  const locale = useLocale();
  const ref = useRef<HTMLDialogElement>(null);
  const { data, error, isPending } = useQuery({ queryKey: ['drilldown', filters, outcome], queryFn: () => api.drilldown(filters, outcome) });
  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement as HTMLElement | null;
    dialog.showModal();
    return () => opener?.focus();
  }, []);
  return (
    <dialog ref={ref} className="drilldown" aria-labelledby="drill-title" onClose={onClose}>
      <header>
        <h2 id="drill-title">
          {t('drilldownOf')}
          {title}
        </h2>
        <span className="exports">
          <a href={`${api.exportUrl('drilldown', filters, { outcome, format: 'csv', lang: locale })}`} download>
            {t('exportCsv')}
          </a>
          <a href={`${api.exportUrl('drilldown', filters, { outcome, format: 'xlsx', lang: locale })}`} download>
            {t('exportXlsx')}
          </a>
        </span>
        <button type="button" onClick={() => ref.current?.close()}>
          {t('close')}
        </button>
      </header>
      <p className="note">{t('drilldownAudit')}</p>
      {isPending && <p role="status">{t('loading')}</p>}
      {error && <p role="alert">{(error as Error).message}</p>}
      {data && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('shownAt')}</th>
              <th scope="col">{t('decidedAt')}</th>
              <th scope="col">{t('department')}</th>
              <th scope="col">{t('physician')}</th>
              <th scope="col">{t('patient')}</th>
              <th scope="col">{t('item')}</th>
              <th scope="col">{t('issuer')}</th>
              <th scope="col">{t('resultDate')}</th>
              <th scope="col">{t('reportNumber')}</th>
              <th scope="col">{t('outcome')}</th>
              <th scope="col">{t('reason')}</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.length === 0 && (
              <tr>
                <td colSpan={11}>{t('empty')}</td>
              </tr>
            )}
            {data.rows.map((r, i) => (
              <tr key={`${r.decision ?? ''}-${i}`}>
                <td>{cn(r.shownAt, locale)}</td>
                <td>{cn(r.decidedAt, locale)}</td>
                <td>{r.department || t('notGiven')}</td>
                <td>{r.physician || t('notGiven')}</td>
                <td className="mono">{r.patient}</td>
                <td>{r.itemName}</td>
                <td>{r.issuerName}</td>
                <td>{r.resultDate ?? '—'}</td>
                <td className="mono">{r.reportNumber ?? '—'}</td>
                <td>
                  {r.outcome === 'accepted' ? t('accepted') : r.outcome === 'overridden' ? t('overridden') : t('none')}
                  {r.cited ? ` · ${t('cited').replace(/（.*）|\s*\(.*\)/, '')}` : ''}
                </td>
                <td>
                  {r.reasonCode ? `${r.reasonDisplay ?? r.reasonCode}` : ''}
                  {r.comment ? `（${r.comment}）` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </dialog>
  );
}
