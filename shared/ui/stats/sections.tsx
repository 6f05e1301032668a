import type { GroupStats, Stats } from '../../stats/compute';
import { useT } from '../i18n/I18nProvider';
import { BarChart, percent } from './charts';

const MAX_BARS = 12;
const points = (d: number) => Math.round(Math.abs(d) * 1000) / 10;

/** The summary tiles people look at first. */
export function Kpis({ stats }: { stats: Stats }) {
  const t = useT();
  const tiles: [string, string, string][] = [
    [t('kpiPrompts'), String(stats.prompts), t('kpiPromptsDetail', { pv: stats.promptsByTrigger['patient-view'], os: stats.promptsByTrigger['order-select'] })],
    [t('kpiRecognized'), String(stats.recognized), stats.revisions ? t('kpiRevisions', { count: stats.revisions }) : ''],
    [t('kpiRetested'), String(stats.retested), ''],
    [t('kpiRate'), percent(stats.rate), t('kpiRateDetail')],
    [t('kpiPromptRate'), percent(stats.rates.promptRate), t('kpiPromptRateDetail')],
    [t('kpiSaved'), t('yuan', { amount: stats.saved.toLocaleString('zh-CN') }), stats.unpriced ? t('kpiUnpriced', { count: stats.unpriced }) : t('kpiSavedDetail')],
    [t('kpiViews'), String(stats.usage.views), t('kpiViewsDetail', { patients: stats.usage.patients, opened: stats.usage.opened })],
  ];
  return (
    <ul className="hr-kpis">
      {tiles.map(([label, value, detail]) => (
        <li key={label} className="hr-kpi" data-kpi={label}>
          <div className="hr-kpi-label">{label}</div>
          <div className="hr-kpi-value">{value}</div>
          {detail && <div className="hr-kpi-detail">{detail}</div>}
        </li>
      ))}
    </ul>
  );
}

export function DeviationBadge({ group }: { group: GroupStats }) {
  const t = useT();
  if (!group.deviation) return null;
  const key = group.deviation.direction === 'above' ? 'deviationAbove' : 'deviationBelow';
  return <span className="hr-deviation">{t(key, { points: points(group.deviation.difference) })}</span>;
}

/** 按科室 / 按医师 / 按项目: a rate chart beside its table (the table is the chart's text alternative). */
export function GroupSection({ title, groups, stats, kind }: { title: string; groups: readonly GroupStats[]; stats: Stats; kind: 'department' | 'physician' | 'item' }) {
  const t = useT();
  if (!groups.length) return null;
  const name = (g: GroupStats) => g.name || t('unspecified');
  const shown = groups.slice(0, MAX_BARS);
  const summary = shown.map((g) => `${name(g)} ${percent(g.rate)}（${g.decisions}）${g.deviation ? ` ${t(g.deviation.direction === 'above' ? 'deviationAbove' : 'deviationBelow', { points: points(g.deviation.difference) })}` : ''}`).join('；');
  return (
    <section aria-labelledby={`hr-h-${kind}`}>
      <h2 id={`hr-h-${kind}`}>{title}</h2>
      <div className="hr-grid">
        <BarChart
          bars={shown.map((g) => ({ key: g.key, label: name(g), value: g.rate ?? 0, text: `${percent(g.rate)}（${g.decisions}）`, flagged: !!g.deviation }))}
          max={1}
          label={t('rateChartLabel', { title, overall: percent(stats.rate), summary })}
          {...(stats.rate !== null ? { reference: { value: stats.rate, text: t('overallMark', { rate: percent(stats.rate) }) } } : {})}
        />
        <table className="hr-table">
          <thead>
            <tr>
              <th scope="col">{t('colName')}</th>
              {kind === 'physician' && <th scope="col">{t('colDepartment')}</th>}
              <th scope="col" className="hr-num">{t('colDecisions')}</th>
              <th scope="col" className="hr-num">{t('colRecognized')}</th>
              <th scope="col" className="hr-num">{t('colRetested')}</th>
              <th scope="col" className="hr-num">{t('colRate')}</th>
              <th scope="col" className="hr-num">{t('colSaved')}</th>
              {kind !== 'item' && <th scope="col">{t('colFlag')}</th>}
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.key}>
                <th scope="row">{name(g)}</th>
                {kind === 'physician' && <td>{g.detail || t('unspecified')}</td>}
                <td className="hr-num">{g.decisions}</td>
                <td className="hr-num">{g.recognized}</td>
                <td className="hr-num">{g.retested}</td>
                <td className="hr-num">{percent(g.rate)}</td>
                <td className="hr-num">{g.saved.toLocaleString('zh-CN')}</td>
                {kind !== 'item' && (
                  <td>
                    <DeviationBadge group={g} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function ReasonsSection({ stats }: { stats: Stats }) {
  const t = useT();
  if (!stats.reasons.length) return null;
  const max = Math.max(...stats.reasons.map((r) => r.count));
  const summary = stats.reasons.map((r) => `${r.code} ${r.count}（${percent(r.share)}）`).join('；');
  return (
    <section aria-labelledby="hr-h-reasons">
      <h2 id="hr-h-reasons">{t('reasonsHeading')}</h2>
      <div className="hr-grid">
        <BarChart bars={stats.reasons.map((r) => ({ key: r.code, label: `${r.code} ${r.display}`, value: r.count, text: `${r.count}（${percent(r.share)}）` }))} max={max} label={t('reasonChartLabel', { summary })} />
        <table className="hr-table">
          <thead>
            <tr>
              <th scope="col">{t('colReason')}</th>
              <th scope="col" className="hr-num">{t('colCount')}</th>
              <th scope="col" className="hr-num">{t('colShare')}</th>
            </tr>
          </thead>
          <tbody>
            {stats.reasons.map((r) => (
              <tr key={r.code}>
                <th scope="row">
                  {r.code} {r.display}
                </th>
                <td className="hr-num">{r.count}</td>
                <td className="hr-num">{percent(r.share)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function UsageSection({ stats }: { stats: Stats }) {
  const t = useT();
  const rows: [string, number][] = [
    [t('usageViews'), stats.usage.views],
    [t('usagePatients'), stats.usage.patients],
    [t('usageImages'), stats.usage.openedBy.images],
    [t('usageOthers'), stats.usage.openedBy.others],
    [t('usageTrend'), stats.usage.openedBy.trend],
  ];
  return (
    <section aria-labelledby="hr-h-usage">
      <h2 id="hr-h-usage">{t('usageHeading')}</h2>
      <table className="hr-table" style={{ maxWidth: 420 }}>
        <tbody>
          {rows.map(([label, n]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td className="hr-num">{n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
