import { useCallback, useEffect, useMemo, useState } from 'react';
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from '../../audit/retention';
import type { AuditEvent } from '../../audit/event';
import type { Decision } from '../../domain/decision';
import { toCsv, toJson } from '../../export/csv';
import { downloadText } from '../../export/download';
import { auditColumns, decisionColumns, statsCsv } from '../../export/tables';
import type { RulePack } from '../../rules';
import { computeStats } from '../../stats/compute';
import { dexieStatsSource, type StatsSource } from '../../stats/load';
import { cnDay, currentPeriod, periodOfDays, type Period, type PeriodKind } from '../../stats/period';
import type { HurenDb } from '../../storage/db';
import { I18nProvider, useT } from '../i18n/I18nProvider';
import type { Locale } from '../i18n/messages';
import { percent } from './charts';
import { GroupSection, Kpis, ReasonsSection, UsageSection } from './sections';
import { statsCss } from './styles';

export interface StatsViewProps {
  /** The database to read: the extension's 'huren' (or give `source`). */
  db?: HurenDb;
  /** Where to read instead of `db`: the widget's 'huren-widget' (widget/stats.tsx). */
  source?: StatsSource;
  packs?: readonly RulePack[];
  now?: () => Date;
  /** How files are saved; a Blob download by default. */
  download?: typeof downloadText;
  locale?: Locale;
}

/** 互认统计: the monitoring page of the extension and the widget's statistics view. */
export function StatsApp(props: StatsViewProps) {
  return (
    <I18nProvider locale={props.locale ?? 'zh-CN'}>
      <StatsView {...props} />
    </I18nProvider>
  );
}

type Loaded = { decisions: Decision[]; events: AuditEvent[] };

export function StatsView({ db, source: given, packs, now = () => new Date(), download = downloadText }: StatsViewProps) {
  const t = useT();
  const [kind, setKind] = useState<PeriodKind>('week');
  const [custom, setCustom] = useState(() => ({ first: currentPeriod('month', now()).firstDay, last: cnDay(now()) }));
  const period: Period = useMemo(
    () => (kind === 'custom' ? periodOfDays(custom.first <= custom.last ? custom.first : custom.last, custom.first <= custom.last ? custom.last : custom.first) : currentPeriod(kind, now())),
    // `now` is read when the period choice changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [kind, custom],
  );
  const source = useMemo(() => given ?? dexieStatsSource(db!), [given, db]);
  const [data, setData] = useState<Loaded | 'error'>();
  useEffect(() => {
    let live = true;
    setData(undefined);
    source.load(period).then(
      (d) => live && setData(d),
      () => live && setData('error'),
    );
    return () => {
      live = false;
    };
  }, [source, period]);
  const stats = useMemo(() => (data && data !== 'error' ? computeStats({ ...data, from: period.from, to: period.to, ...(packs ? { packs } : {}) }) : undefined), [data, period, packs]);

  const stem = `huren-${period.firstDay}_${period.lastDay}`;
  const inPeriod = (iso: string) => Date.parse(iso) >= period.from && Date.parse(iso) < period.to;
  const periodDecisions = () => (data && data !== 'error' ? data.decisions.filter((d) => inPeriod(d.outcomeTimestamp)) : []);
  const exports = data && data !== 'error' && stats && {
    csv: {
      decisions: () => download(`${stem}-decisions.csv`, toCsv(periodDecisions(), decisionColumns), 'text/csv'),
      stats: () => download(`${stem}-statistics.csv`, statsCsv(stats), 'text/csv'),
      audit: () => download(`${stem}-audit.csv`, toCsv(data.events, auditColumns), 'text/csv'),
    },
    json: {
      decisions: () => download(`${stem}-decisions.json`, toJson(periodDecisions()), 'application/json'),
      stats: () => download(`${stem}-statistics.json`, toJson(stats), 'application/json'),
      audit: () => download(`${stem}-audit.json`, toJson(data.events), 'application/json'),
    },
  };

  return (
    <main className="hr-stats">
      <style>{statsCss}</style>
      <h1>{t('statsTitle')}</h1>
      <div className="hr-period" role="group" aria-label={t('statsPeriod')}>
        {(['week', 'month', 'custom'] as const).map((k) => (
          <button key={k} type="button" aria-pressed={kind === k} onClick={() => setKind(k)}>
            {t(k === 'week' ? 'periodWeek' : k === 'month' ? 'periodMonth' : 'periodCustom')}
          </button>
        ))}
        {kind === 'custom' && (
          <>
            <label>
              {t('periodFrom')} <input type="date" value={custom.first} onChange={(e) => e.target.value && setCustom((c) => ({ ...c, first: e.target.value }))} />
            </label>
            <label>
              {t('periodTo')} <input type="date" value={custom.last} onChange={(e) => e.target.value && setCustom((c) => ({ ...c, last: e.target.value }))} />
            </label>
          </>
        )}
      </div>
      <p className="hr-period-range">{t('periodRange', { from: period.firstDay, to: period.lastDay })}</p>

      {data === 'error' && (
        <p className="hr-status hr-error" role="alert">
          {t('statsError')}
        </p>
      )}
      {!data && (
        <p className="hr-status" role="status">
          {t('statsLoading')}
        </p>
      )}
      {stats && (
        <>
          <Kpis stats={stats} />
          {stats.decisions === 0 && <p className="hr-status">{t('statsNoDecisions')}</p>}
          <GroupSection title={t('byDepartment')} groups={stats.byDepartment} stats={stats} kind="department" />
          <GroupSection title={t('byPhysician')} groups={stats.byPhysician} stats={stats} kind="physician" />
          <p className="hr-rule">
            {t('deviationRule', { min: stats.rule.minDecisions, overall: percent(stats.rate), sd: stats.rule.sdMultiple, points: stats.rule.thresholdPoints })}
          </p>
          <GroupSection title={t('byItem')} groups={stats.byItem} stats={stats} kind="item" />
          <ReasonsSection stats={stats} />
          <UsageSection stats={stats} />
        </>
      )}

      {exports && (
        <section aria-labelledby="hr-h-export">
          <h2 id="hr-h-export">{t('exportHeading')}</h2>
          <div className="hr-exports">
            {(['decisions', 'stats', 'audit'] as const).map((what) => (
              <ExportRow key={what} label={t(what === 'decisions' ? 'exportDecisions' : what === 'stats' ? 'exportStats' : 'exportAudit')} onCsv={exports.csv[what]} onJson={exports.json[what]} />
            ))}
          </div>
          <p className="hr-note">{t('exportNote')}</p>
        </section>
      )}
      <Retention log={source} />
    </main>
  );
}

function ExportRow({ label, onCsv, onJson }: { label: string; onCsv: () => void; onJson: () => void }) {
  return (
    <>
      <span>{label}</span>
      <button type="button" onClick={onCsv} aria-label={`${label} CSV`}>
        CSV
      </button>
      <button type="button" onClick={onJson} aria-label={`${label} JSON`}>
        JSON
      </button>
    </>
  );
}

/** 审计记录保留期限: stored beside the audit; saving purges what is now too old. */
function Retention({ log }: { log: StatsSource }) {
  const t = useT();
  const [days, setDays] = useState('');
  const [saved, setSaved] = useState<number>();
  useEffect(() => {
    void log.retentionDays().then((d) => setDays(String(d)), () => undefined);
  }, [log]);
  const save = useCallback(async () => {
    const value = await log.setRetentionDays(Number(days));
    setDays(String(value));
    setSaved(value);
  }, [log, days]);
  return (
    <section aria-labelledby="hr-h-retention">
      <h2 id="hr-h-retention">{t('retentionHeading')}</h2>
      <form
        className="hr-period"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label>
          {t('retentionLabel')} <input type="number" min={MIN_RETENTION_DAYS} max={MAX_RETENTION_DAYS} step={1} value={days} onChange={(e) => setDays(e.target.value)} style={{ width: '6em' }} />
        </label>
        <button type="submit">{t('retentionSave')}</button>
        {saved !== undefined && <span role="status">{t('retentionSaved', { days: saved })}</span>}
      </form>
      <p className="hr-note">{t('retentionNote', { min: MIN_RETENTION_DAYS, max: MAX_RETENTION_DAYS })}</p>
    </section>
  );
}
