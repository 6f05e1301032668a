import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, type Account, type Definitions, type Filters, type GroupBy, type Hospitals, type RatedRow } from './api';
import { Chart, rateBars, trend } from './Chart';
import { Drilldown } from './Drilldown';
import { DefinitionsBlock, Kpis } from './Kpis';
import { MeasuresTable } from './MeasuresTable';
import { useLocale, useT, type StringKey } from './strings';

/** Measures of one grouping, through react-query (cached per filters). */
function useMeasures(filters: Filters, groupBy: GroupBy, enabled = true) {
  return useQuery({ queryKey: ['measures', filters, groupBy], queryFn: () => api.measures(filters, groupBy), enabled });
}

const exportBase = (filters: Filters, groupBy: GroupBy) => api.exportUrl('measures', filters, { groupBy });

function Block({ title, filters, groupBy, onOpenGroup, onDrill, ranked, showViews, chart, relabel }: {
  title: string;
  filters: Filters;
  groupBy: GroupBy;
  onOpenGroup?: (row: RatedRow) => void;
  onDrill?: (filters: Filters, title: string, outcome?: string) => void;
  ranked?: boolean;
  showViews?: boolean;
  chart?: boolean;
  relabel?: (row: RatedRow) => string;
}) {
  const t = useT();
  const { data, isPending, error } = useMeasures(filters, groupBy);
  const rows = useMemo(() => {
    const list = (data?.rows ?? []).map((r) => (relabel ? { ...r, label: relabel(r) } : r));
    return ranked ? [...list].sort((a, b) => (b.rates.recognitionRate ?? -1) - (a.rates.recognitionRate ?? -1)) : list;
  }, [data, ranked, relabel]);
  if (isPending) return <p role="status">{t('loading')}</p>;
  if (error) return <p role="alert">{(error as Error).message}</p>;
  // A chart of the 15 groups with the most reports; the table below has them all.
  const charted = ranked ? rows : [...rows].sort((a, b) => b.measures.reportsShown - a.measures.reportsShown).slice(0, 15);
  const narrow = (r: RatedRow): Filters => {
    const f = { ...filters };
    if (groupBy === 'department') f.department = r.key;
    if (groupBy === 'physician') {
      const [department, physician] = r.key.split('\u001f');
      f.department = department;
      f.physician = physician;
    }
    if (groupBy === 'campus') f.campus = r.key;
    if (groupBy === 'item' && !r.key.startsWith('name:')) f.item = r.key;
    if (groupBy === 'issuer' && !r.key.startsWith('name:')) f.issuer = r.key;
    if (groupBy === 'hospital') f.hospital = r.key;
    return f;
  };
  return (
    <>
      {chart && charted.length > 0 && (
        <Chart
          label={`${title}：互认率${charted.length < rows.length ? `（前 ${charted.length} 项）` : ''}`}
          height={Math.max(140, charted.length * 26 + 50)}
          option={rateBars(
            charted.map((r) => r.label || t('notGiven')),
            charted.map((r) => r.rates.recognitionRate),
            data!.total.rates.recognitionRate,
            charted.map((r) => !!r.deviation),
            '互认率',
          )}
        />
      )}
      <MeasuresTable
        caption={title}
        groupTitle={title.replace(/^按/, '').replace(/^By /, '')}
        rows={rows}
        total={data!.total}
        onOpenGroup={onOpenGroup}
        onDrill={onDrill && ((row, outcome) => onDrill(row ? narrow(row) : filters, row?.label ?? title, outcome))}
        exportBase={exportBase(filters, groupBy)}
        ranked={ranked}
        showViews={showViews}
      />
    </>
  );
}

function Trend({ filters }: { filters: Filters }) {
  const t = useT();
  const [grain, setGrain] = useState<'day' | 'week' | 'month'>('day');
  const { data } = useMeasures(filters, grain);
  return (
    <section aria-labelledby="trend-h" className="panel">
      <h2 id="trend-h">
        {t('trend')}
        <span className="segmented no-print" role="group" aria-label={t('trend')}>
          {(['day', 'week', 'month'] as const).map((g) => (
            <button key={g} type="button" aria-pressed={grain === g} onClick={() => setGrain(g)}>
              {t(g)}
            </button>
          ))}
        </span>
      </h2>
      {data && (
        <Chart
          label={`${t('trend')}（${t(grain)}）`}
          option={trend(
            data.rows.map((r) => r.label),
            data.rows.map((r) => r.measures.reportsShown),
            data.rows.map((r) => r.rates.recognitionRate),
            { shown: t('shown'), rate: '互认率' },
          )}
        />
      )}
    </section>
  );
}

/** 本院 (医务科, admin) and 本科室 (科主任, the same view held to the department by the hub). */
export function HospitalView({ account, filters, definitions, hospitals }: { account: Account; filters: Filters; definitions?: Definitions; hospitals?: Hospitals }) {
  const t = useT();
  const locale = useLocale();
  const [department, setDepartment] = useState<string | undefined>(account.department ?? undefined);
  const [drill, setDrill] = useState<{ filters: Filters; title: string; outcome?: string }>();
  const scoped: Filters = { ...filters, ...(department !== undefined ? { department } : {}) };
  const total = useMeasures(scoped, 'all');
  const onDrill = (f: Filters, title: string, outcome?: string) => setDrill({ filters: f, title, outcome });
  const campusName = (row: RatedRow) => hospitals?.campuses.find((c) => c.id === row.key && c.hospital_id === (filters.hospital ?? account.hospitalId))?.name ?? row.label;
  const categoryName = (row: RatedRow) => (row.key === 'lab' ? t('lab') : row.key === 'imaging' ? t('imaging') : row.label);
  return (
    <>
      {total.data && <Kpis total={total.data.total} definitions={definitions} />}
      {total.data && (
        <p className="freshness">
          {t('refreshedAt')} {new Date(total.data.refreshedAt).toLocaleString(locale, { hour12: false })}
        </p>
      )}
      <Trend filters={scoped} />
      {account.role !== 'department_head' && department === undefined && (
        <section className="panel">
          <h2>{t('byCampus')}</h2>
          <Block title={t('byCampus')} filters={scoped} groupBy="campus" relabel={campusName} onDrill={onDrill} />
        </section>
      )}
      {department === undefined ? (
        <section className="panel">
          <h2>{t('byDepartment')}</h2>
          <Block title={t('byDepartment')} filters={scoped} groupBy="department" chart onOpenGroup={(r) => setDepartment(r.key)} onDrill={onDrill} />
        </section>
      ) : (
        <section className="panel">
          <h2>
            {t('byPhysician')} · {department || t('notGiven')}
            {account.role !== 'department_head' && (
              <button type="button" className="back" onClick={() => setDepartment(undefined)}>
                {t('back')}
              </button>
            )}
          </h2>
          <Block title={t('byPhysician')} filters={scoped} groupBy="physician" chart onDrill={onDrill} />
        </section>
      )}
      <section className="panel">
        <h2>{t('byItem')}</h2>
        <Block title={t('category')} filters={scoped} groupBy="category" relabel={categoryName} showViews={false} />
        <Block title={t('byItem')} filters={scoped} groupBy="item" chart showViews={false} onDrill={onDrill} />
      </section>
      <section className="panel">
        <h2>{t('byIssuer')}</h2>
        <Block title={t('byIssuer')} filters={scoped} groupBy="issuer" showViews={false} onDrill={onDrill} />
      </section>
      <section className="panel">
        <h2>{t('byReason')}</h2>
        <Block title={t('byReason')} filters={scoped} groupBy="reason" showViews={false} onDrill={onDrill} />
      </section>
      <DefinitionsBlock definitions={definitions} />
      {drill && <Drilldown title={drill.title} filters={drill.filters} outcome={drill.outcome} onClose={() => setDrill(undefined)} />}
    </>
  );
}

/** 区域 (卫健委/质控中心): hospitals side by side, ranked by 互认率 and flagged; per item; no identifiers. */
export function RegionView({ filters, definitions, hospitals }: { filters: Filters; definitions?: Definitions; hospitals?: Hospitals }) {
  const t = useT();
  const [item, setItem] = useState<string>('');
  const items = useMeasures({ ...filters, hospital: undefined }, 'item');
  const scoped: Filters = { ...filters, hospital: undefined, ...(item ? { item } : {}) };
  const total = useMeasures(scoped, 'all');
  const name = (row: RatedRow) => hospitals?.hospitals.find((h) => h.id === row.key)?.name ?? row.key;
  return (
    <>
      {total.data && <Kpis total={total.data.total} definitions={definitions} />}
      <p className="note">{t('noIdentifiers')}</p>
      <section className="panel">
        <h2>
          {t('byHospital')}
          <label className="inline">
            {t('item')}
            <select value={item} onChange={(e) => setItem(e.target.value)}>
              <option value="">{t('allItems')}</option>
              {(items.data?.rows ?? [])
                .filter((r) => !r.key.startsWith('name:'))
                .map((r) => (
                  <option key={r.key} value={r.key}>
                    {r.label}
                  </option>
                ))}
            </select>
          </label>
        </h2>
        <Block title={t('byHospital')} filters={scoped} groupBy="hospital" ranked chart relabel={name} />
      </section>
      <Trend filters={scoped} />
      <section className="panel">
        <h2>{t('byItem')}</h2>
        <Block title={t('byItem')} filters={{ ...filters, hospital: undefined }} groupBy="item" showViews={false} />
      </section>
      <DefinitionsBlock definitions={definitions} />
    </>
  );
}

/** 月度报告: one month on A4 (print), its charts and tables. */
export function ReportView({ account, month, definitions, hospitals }: { account: Account; month: string; definitions?: Definitions; hospitals?: Hospitals }) {
  const t = useT();
  const locale = useLocale();
  const from = `${month}-01`;
  const [y, m] = month.split('-').map(Number) as [number, number];
  const to = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  const region = account.role === 'region' || account.role === 'admin';
  const filters: Filters = { from, to };
  const total = useMeasures(filters, 'all');
  const byGroup: GroupBy = region ? 'hospital' : account.role === 'department_head' ? 'physician' : 'department';
  const name = (row: RatedRow) => hospitals?.hospitals.find((h) => h.id === row.key)?.name ?? row.label;
  const groupTitle: StringKey = region ? 'byHospital' : account.role === 'department_head' ? 'byPhysician' : 'byDepartment';
  const owner = account.hospitalId ? (hospitals?.hospitals.find((h) => h.id === account.hospitalId)?.name ?? account.hospitalId) : t('allHospitals');
  return (
    <article className="report">
      <header>
        <h1>{t('reportTitle')}</h1>
        <p>
          {owner}
          {account.department ? ` · ${account.department}` : ''} · {month}
        </p>
        <button type="button" className="no-print" onClick={() => window.print()}>
          {t('printReport')}
        </button>
      </header>
      {total.data && <Kpis total={total.data.total} definitions={definitions} />}
      <Trend filters={filters} />
      <section className="panel">
        <h2>{t(groupTitle)}</h2>
        <Block title={t(groupTitle)} filters={filters} groupBy={byGroup} chart ranked={region} relabel={region ? name : undefined} />
      </section>
      <section className="panel">
        <h2>{t('byItem')}</h2>
        <Block title={t('byItem')} filters={filters} groupBy="item" showViews={false} />
      </section>
      {!region && (
        <section className="panel">
          <h2>{t('byReason')}</h2>
          <Block title={t('byReason')} filters={filters} groupBy="reason" showViews={false} />
        </section>
      )}
      <DefinitionsBlock definitions={definitions} />
      <footer>{new Date().toLocaleString(locale, { hour12: false })}</footer>
    </article>
  );
}
