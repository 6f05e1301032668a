import type { RatedRow } from './api';
import { number, percent, useLocale, useT } from './strings';

export type CountKey = 'reportsShown' | 'reportsRecognized' | 'reportsRetested' | 'reportsUndecided' | 'reportsCited';
const OUTCOME_OF: Record<CountKey, string | undefined> = {
  reportsShown: undefined,
  reportsRecognized: 'accepted',
  reportsRetested: 'overridden',
  reportsUndecided: 'undecided',
  reportsCited: 'cited',
};

/**
 * A monitoring table: one row per group with its counts, rates and deviation flag. Counts are
 * buttons when a drill-down is allowed (they open the reports behind the number); a group name is a
 * button when the table drills into the next level (科室 → 医师).
 */
export function MeasuresTable({
  caption,
  groupTitle,
  rows,
  total,
  onOpenGroup,
  onDrill,
  exportBase,
  ranked = false,
  showViews = true,
}: {
  caption: string;
  groupTitle: string;
  rows: RatedRow[];
  total?: RatedRow;
  onOpenGroup?: (row: RatedRow) => void;
  onDrill?: (row: RatedRow | null, outcome?: string) => void;
  exportBase?: string;
  ranked?: boolean;
  showViews?: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  const count = (row: RatedRow | null, key: CountKey, value: number) =>
    onDrill && value > 0 ? (
      <button type="button" className="link" onClick={() => onDrill(row, OUTCOME_OF[key])} aria-label={`${t('drilldown')} ${row?.label ?? ''} ${value}`}>
        {number(value, locale)}
      </button>
    ) : (
      number(value, locale)
    );
  const cells = (row: RatedRow | null, r: RatedRow) => (
    <>
      <td className="num">{count(row, 'reportsShown', r.measures.reportsShown)}</td>
      <td className="num">{count(row, 'reportsRecognized', r.measures.reportsRecognized)}</td>
      <td className="num">{count(row, 'reportsRetested', r.measures.reportsRetested)}</td>
      <td className="num">{count(row, 'reportsUndecided', r.measures.reportsUndecided)}</td>
      <td className="num">{count(row, 'reportsCited', r.measures.reportsCited)}</td>
      <td className="num">{number(r.measures.prompts, locale)}</td>
      {showViews && <td className="num">{number(r.measures.views, locale)}</td>}
      <td className="num strong">{percent(r.rates.recognitionRate)}</td>
      <td className="num">{percent(r.rates.promptRate)}</td>
      <td className="num">{number(r.measures.saved, locale)}</td>
    </>
  );
  return (
    <section className="table-block">
      <table>
        <caption>
          {caption}
          {exportBase && (
            <span className="exports">
              <a href={`${exportBase}&format=csv&lang=${locale}`} download>
                {t('exportCsv')}
              </a>
              <a href={`${exportBase}&format=xlsx&lang=${locale}`} download>
                {t('exportXlsx')}
              </a>
            </span>
          )}
        </caption>
        <thead>
          <tr>
            {ranked && <th scope="col">{t('rank')}</th>}
            <th scope="col">{groupTitle}</th>
            <th scope="col">{t('shown')}</th>
            <th scope="col">{t('recognized')}</th>
            <th scope="col">{t('retested')}</th>
            <th scope="col">{t('undecided')}</th>
            <th scope="col">{t('cited')}</th>
            <th scope="col">{t('prompts')}</th>
            {showViews && <th scope="col">{t('views')}</th>}
            <th scope="col">互认率</th>
            <th scope="col">同期互认率</th>
            <th scope="col">{t('saved')}</th>
            <th scope="col">{t('flagged')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={13}>{t('empty')}</td>
            </tr>
          )}
          {rows.map((r, i) => (
            <tr key={r.key} className={r.deviation ? 'flagged' : undefined}>
              {ranked && <td className="num">{i + 1}</td>}
              <th scope="row">
                {onOpenGroup ? (
                  <button type="button" className="link" onClick={() => onOpenGroup(r)}>
                    {r.label || t('notGiven')}
                  </button>
                ) : (
                  r.label || t('notGiven')
                )}
                {r.detail !== undefined && <span className="detail">{r.detail}</span>}
              </th>
              {cells(r, r)}
              <td>
                {r.deviation && (
                  <span className="badge" title={t('rule')}>
                    {r.deviation.direction === 'above' ? t('above') : t('below')} {Math.abs(r.deviation.difference * 100).toFixed(1)} {t('points')}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
        {total && rows.length > 1 && (
          <tfoot>
            <tr>
              {ranked && <td />}
              <th scope="row">{locale === 'en' ? 'Total' : '合计'}</th>
              {cells(null, total)}
              <td />
            </tr>
          </tfoot>
        )}
      </table>
    </section>
  );
}
