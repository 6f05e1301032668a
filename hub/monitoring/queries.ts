import type { Queryable } from '../db/database.ts';
import { EMPTY_MEASURES, type Measures } from '../../shared/stats/definitions.ts';

/**
 * The dashboards' questions, answered from the rollups (docs/monitoring.md): measures per group
 * for a period. Every figure the dashboards show is computed from these Measures with the
 * formulas of shared/stats/definitions.ts — no rate is computed in SQL.
 */
export type GroupBy = 'hospital' | 'campus' | 'department' | 'physician' | 'item' | 'category' | 'issuer' | 'reason' | 'day' | 'week' | 'month' | 'all';

export interface Scope {
  /** One hospital (hospital and department views); absent: every hospital (region views). */
  hospitalId?: string;
  /** Calendar days in China time, from inclusive, to exclusive (YYYY-MM-DD). */
  from: string;
  to: string;
  campusId?: string;
  department?: string;
  physician?: string;
  itemId?: string;
  issuerId?: string;
}

export interface GroupRow {
  key: string;
  /** What to show for the key (a name; '' when the EMR did not say). */
  label: string;
  /** For physicians: their department. */
  detail?: string;
  measures: Measures;
}

const GROUPS: Record<Exclude<GroupBy, 'all'>, { key: string; label: string; detail?: string; views: boolean; region: boolean }> = {
  hospital: { key: 'hospital_id', label: 'hospital_id', views: true, region: true },
  campus: { key: "coalesce(campus_id, '')", label: "coalesce(campus_id, '')", views: true, region: false },
  department: { key: "coalesce(department, '')", label: "coalesce(department, '')", views: true, region: false },
  physician: { key: "coalesce(department, '') || chr(31) || coalesce(physician, '')", label: "coalesce(physician, '')", detail: "coalesce(department, '')", views: true, region: false },
  item: { key: "coalesce(item_id, 'name:' || item_name)", label: 'max(item_name)', views: false, region: true },
  category: { key: "coalesce(item_category, '')", label: "coalesce(item_category, '')", views: false, region: true },
  issuer: { key: "coalesce(issuer_id, 'name:' || coalesce(issuer_name, ''))", label: "max(coalesce(issuer_name, issuer_id, ''))", views: false, region: false },
  reason: { key: "coalesce(reason_code, '')", label: "coalesce(reason_code, '')", views: false, region: false },
  day: { key: "to_char(day, 'YYYY-MM-DD')", label: "to_char(day, 'YYYY-MM-DD')", views: true, region: true },
  week: { key: `to_char(date_trunc('week', day), 'YYYY-MM-DD')`, label: `to_char(date_trunc('week', day), 'YYYY-MM-DD')`, views: true, region: true },
  month: { key: "to_char(day, 'YYYY-MM')", label: "to_char(day, 'YYYY-MM')", views: true, region: true },
};

function where(scope: Scope, columns: { dims: boolean }): { sql: string; params: unknown[] } {
  const params: unknown[] = [scope.from, scope.to];
  const parts = ['day >= $1::date', 'day < $2::date'];
  const add = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    params.push(value);
    parts.push(`coalesce(${column}, '') = $${params.length}`);
  };
  add('hospital_id', scope.hospitalId);
  if (columns.dims) {
    add('campus_id', scope.campusId);
    add('department', scope.department);
    add('physician', scope.physician);
    add('item_id', scope.itemId);
    add('issuer_id', scope.issuerId);
  }
  return { sql: parts.join(' and '), params };
}

const SUMS = `sum(shown)::int as shown, sum(recognized)::int as recognized, sum(retested)::int as retested, sum(undecided)::int as undecided,
  sum(cited)::int as cited, sum(prompts)::int as prompts, coalesce(sum(saved), 0) as saved`;

interface SumRow {
  key: string;
  label: string;
  detail?: string;
  shown: number;
  recognized: number;
  retested: number;
  undecided: number;
  cited: number;
  prompts: number;
  saved: number;
}

/**
 * Measures per group. Region queries (no hospital, grouped by hospital/item/category/time) read
 * the small per-hospital-item rollup; the rest read the full rollup of one hospital. Views
 * (调阅) are added where the grouping has them (hospital, campus, department, physician, time).
 */
export async function measuresBy(db: Queryable, scope: Scope, groupBy: GroupBy): Promise<GroupRow[]> {
  const g = groupBy === 'all' ? { key: "''", label: "''", views: true, region: true } : GROUPS[groupBy];
  const byDims = !!(scope.campusId ?? scope.department ?? scope.physician ?? scope.issuerId);
  const region = g.region && !byDims && (!scope.hospitalId || groupBy === 'item' || groupBy === 'category');
  const table = region ? 'rollup_region_day' : 'rollup_day';
  const w = where(scope, { dims: !region });
  if (region && scope.itemId) {
    w.params.push(scope.itemId);
    w.sql += ` and coalesce(item_id, '') = $${w.params.length}`;
  }
  const groupClause = groupBy === 'all' ? '' : ` group by ${g.key}${g.label.startsWith('max(') ? '' : `, ${g.label}`}${g.detail ? `, ${g.detail}` : ''}`;
  const { rows: summed } = await db.query<SumRow>(
    `select ${g.key} as key, ${g.label} as label${g.detail ? `, ${g.detail} as detail` : ''}, ${SUMS}
     from ${table} where ${w.sql}${groupClause}`,
    w.params,
  );
  // Without groups, an empty period still gives one row of nulls: no row then.
  const rows = summed.filter((r) => r.shown !== null);
  const views = new Map<string, number>();
  if (g.views && !scope.itemId && !scope.issuerId) {
    const v = where(scope, { dims: true });
    const { rows: counted } = await db.query<{ key: string; views: number }>(
      `select ${g.key} as key, sum(views)::int as views from rollup_views_day where ${v.sql}${groupBy === 'all' ? '' : ` group by ${g.key}`}`,
      v.params,
    );
    for (const r of counted) if (r.views !== null) views.set(r.key, r.views);
  }
  const out: GroupRow[] = rows.map((r) => ({
    key: r.key,
    label: r.label,
    ...(r.detail !== undefined ? { detail: r.detail } : {}),
    measures: {
      reportsShown: r.shown,
      reportsRecognized: r.recognized,
      reportsRetested: r.retested,
      reportsUndecided: r.undecided,
      reportsCited: r.cited,
      prompts: r.prompts,
      views: views.get(r.key) ?? 0,
      saved: Math.round(Number(r.saved) * 100) / 100,
    },
  }));
  // Groups with views and no reports (a department that only looked) still show.
  for (const [key, n] of views) if (!out.some((r) => r.key === key)) out.push({ key, label: key.split('\u001f').at(-1) ?? key, measures: { ...EMPTY_MEASURES, views: n } });
  return out;
}
