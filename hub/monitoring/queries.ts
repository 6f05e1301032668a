import type { Queryable } from '../db/database.ts';
import { EMPTY_MEASURES, type Measures } from '../../shared/stats/definitions.ts';
import { REPORT_MEASURES } from './refresh.ts';

/**
 * The dashboards' questions (docs/monitoring.md): measures per group for a period. Inside one
 * hospital they read the report facts themselves (one hospital-month is thousands of rows, by
 * the (hospital, day) index, and always current); across hospitals they read the region rollups.
 * Every rate the dashboards show is computed from these Measures with the formulas of
 * shared/stats/definitions.ts — no rate is computed in SQL.
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

interface Grouping {
  key: string;
  label: string;
  detail?: string;
}

const CAMPUS = "coalesce(f.campus_id, dep.campus_id, '')";
const DAY_GROUPS = {
  day: { key: "to_char(day, 'YYYY-MM-DD')", label: "to_char(day, 'YYYY-MM-DD')" },
  week: { key: "to_char(date_trunc('week', day), 'YYYY-MM-DD')", label: "to_char(date_trunc('week', day), 'YYYY-MM-DD')" },
  month: { key: "to_char(day, 'YYYY-MM')", label: "to_char(day, 'YYYY-MM')" },
};
/** Groupings over the report facts (f) with their department's campus (dep). */
const FACT_GROUPS: Record<Exclude<GroupBy, 'all'>, Grouping> = {
  hospital: { key: 'f.hospital_id', label: 'f.hospital_id' },
  campus: { key: CAMPUS, label: CAMPUS },
  department: { key: "coalesce(f.department, '')", label: "coalesce(f.department, '')" },
  physician: { key: "coalesce(f.department, '') || chr(31) || coalesce(f.physician, '')", label: "coalesce(f.physician, '')", detail: "coalesce(f.department, '')" },
  item: { key: "coalesce(f.item_id, 'name:' || f.item_name)", label: 'max(f.item_name)' },
  category: { key: "coalesce(f.item_category, '')", label: "coalesce(f.item_category, '')" },
  issuer: { key: "coalesce(f.issuer_id, 'name:' || coalesce(f.issuer_name, ''))", label: "max(coalesce(f.issuer_name, f.issuer_id, ''))" },
  reason: { key: "case when f.outcome = 'overridden' then coalesce(f.reason_code, '') else '' end", label: "case when f.outcome = 'overridden' then coalesce(f.reason_code, '') else '' end" },
  day: { key: "to_char(f.shown_day, 'YYYY-MM-DD')", label: "to_char(f.shown_day, 'YYYY-MM-DD')" },
  week: { key: "to_char(date_trunc('week', f.shown_day), 'YYYY-MM-DD')", label: "to_char(date_trunc('week', f.shown_day), 'YYYY-MM-DD')" },
  month: { key: "to_char(f.shown_day, 'YYYY-MM')", label: "to_char(f.shown_day, 'YYYY-MM')" },
};
/** Groupings the views rollup (v) has. */
const VIEW_GROUPS: Partial<Record<GroupBy, string>> = {
  hospital: 'hospital_id',
  campus: "coalesce(campus_id, '')",
  department: "coalesce(department, '')",
  physician: "coalesce(department, '') || chr(31) || coalesce(physician, '')",
  ...Object.fromEntries(Object.entries(DAY_GROUPS).map(([k, v]) => [k, v.key])),
  all: "''",
};

const SUMS = `sum(shown)::int as shown, sum(recognized)::int as recognized, sum(retested)::int as retested, sum(undecided)::int as undecided,
  sum(cited)::int as cited, sum(prompts)::int as prompts, coalesce(sum(saved), 0) as saved`;

interface SumRow {
  key: string;
  label: string;
  detail?: string;
  shown: number | null;
  recognized: number;
  retested: number;
  undecided: number;
  cited: number;
  prompts: number;
  saved: number;
  views?: number;
}

class Where {
  readonly parts: string[] = [];
  constructor(readonly params: unknown[] = []) {}
  add(sql: string, value: unknown): void {
    this.params.push(value);
    this.parts.push(sql.replace('?', `$${this.params.length}`));
  }
  get sql(): string {
    return this.parts.join(' and ') || 'true';
  }
}

const groupClause = (g: Grouping, all: boolean) => (all ? '' : ` group by ${g.key}${g.label.startsWith('max(') ? '' : `, ${g.label}`}${g.detail ? `, ${g.detail}` : ''}`);

/** Measures per group from the report facts (one hospital, or anything an admin asks). */
async function fromFacts(db: Queryable, scope: Scope, groupBy: GroupBy): Promise<SumRow[]> {
  const g = groupBy === 'all' ? { key: "''", label: "''" } : FACT_GROUPS[groupBy];
  const w = new Where();
  w.add('f.shown_day >= ?::date', scope.from);
  w.add('f.shown_day < ?::date', scope.to);
  if (scope.hospitalId !== undefined) w.add('f.hospital_id = ?', scope.hospitalId);
  if (scope.campusId !== undefined) w.add(`${CAMPUS} = ?`, scope.campusId);
  if (scope.department !== undefined) w.add("coalesce(f.department, '') = ?", scope.department);
  if (scope.physician !== undefined) w.add("coalesce(f.physician, '') = ?", scope.physician);
  if (scope.itemId !== undefined) w.add("coalesce(f.item_id, '') = ?", scope.itemId);
  if (scope.issuerId !== undefined) w.add("coalesce(f.issuer_id, '') = ?", scope.issuerId);
  const needsCampus = groupBy === 'campus' || scope.campusId !== undefined;
  const { rows } = await db.query<SumRow>(
    `select ${g.key} as key, ${g.label} as label${g.detail ? `, ${g.detail} as detail` : ''}, ${REPORT_MEASURES}
     from report_fact f${needsCampus ? ' left join department dep on dep.hospital_id = f.hospital_id and dep.name = f.department' : ''}
     where ${w.sql}${groupClause(g, groupBy === 'all')}`,
    w.params,
  );
  return rows;
}

/** Measures per group from the region rollups (across hospitals: totals per hospital-day, or per hospital-day-item). */
async function fromRollups(db: Queryable, scope: Scope, groupBy: GroupBy): Promise<SumRow[]> {
  const byItem = groupBy === 'item' || groupBy === 'category' || scope.itemId !== undefined;
  const table = byItem ? 'rollup_region_day' : 'rollup_hospital_day';
  const groups: Partial<Record<GroupBy, Grouping>> = {
    all: { key: "''", label: "''" },
    hospital: { key: 'hospital_id', label: 'hospital_id' },
    item: { key: "coalesce(item_id, 'name:' || item_name)", label: 'max(item_name)' },
    category: { key: "coalesce(item_category, '')", label: "coalesce(item_category, '')" },
    ...DAY_GROUPS,
  };
  const g = groups[groupBy]!;
  const w = new Where();
  w.add('day >= ?::date', scope.from);
  w.add('day < ?::date', scope.to);
  if (scope.hospitalId !== undefined) w.add('hospital_id = ?', scope.hospitalId);
  if (scope.itemId !== undefined) w.add("coalesce(item_id, '') = ?", scope.itemId);
  const { rows } = await db.query<SumRow>(
    `select ${g.key} as key, ${g.label} as label, ${SUMS}${byItem ? '' : ', sum(views)::int as views'}
     from ${table} where ${w.sql}${groupClause(g, groupBy === 'all')}`,
    w.params,
  );
  return rows;
}

/** 调阅 per group from the views rollup, where the grouping has them. */
async function views(db: Queryable, scope: Scope, groupBy: GroupBy): Promise<Map<string, number>> {
  const key = VIEW_GROUPS[groupBy];
  const out = new Map<string, number>();
  if (!key || scope.itemId !== undefined || scope.issuerId !== undefined) return out;
  const w = new Where();
  w.add('day >= ?::date', scope.from);
  w.add('day < ?::date', scope.to);
  if (scope.hospitalId !== undefined) w.add('hospital_id = ?', scope.hospitalId);
  if (scope.campusId !== undefined) w.add("coalesce(campus_id, '') = ?", scope.campusId);
  if (scope.department !== undefined) w.add("coalesce(department, '') = ?", scope.department);
  if (scope.physician !== undefined) w.add("coalesce(physician, '') = ?", scope.physician);
  const { rows } = await db.query<{ key: string; views: number | null }>(
    `select ${key} as key, sum(views)::int as views from rollup_views_day where ${w.sql}${groupBy === 'all' ? '' : ` group by ${key}`}`,
    w.params,
  );
  for (const r of rows) if (r.views !== null) out.set(r.key, r.views);
  return out;
}

/**
 * Measures per group. Inside one hospital (or with filters inside hospitals) from the report
 * facts; across hospitals from the region rollups. Views (调阅) are added where the grouping has
 * them (hospital, campus, department, physician, time).
 */
export async function measuresBy(db: Queryable, scope: Scope, groupBy: GroupBy): Promise<GroupRow[]> {
  const insideHospitals = scope.hospitalId !== undefined || scope.campusId !== undefined || scope.department !== undefined || scope.physician !== undefined || scope.issuerId !== undefined;
  const regionGrouping = ['all', 'hospital', 'item', 'category', 'day', 'week', 'month'].includes(groupBy);
  const fromRegion = !insideHospitals && regionGrouping;
  const summed = await (fromRegion ? fromRollups(db, scope, groupBy) : fromFacts(db, scope, groupBy));
  const counted = fromRegion && summed.some((r) => r.views !== undefined) ? null : await views(db, scope, groupBy);
  // Without groups, an empty period still gives one row of nulls: no row then.
  const out: GroupRow[] = summed
    .filter((r) => r.shown !== null)
    .map((r) => ({
      key: r.key,
      label: r.label,
      ...(r.detail !== undefined ? { detail: r.detail } : {}),
      measures: {
        reportsShown: r.shown!,
        reportsRecognized: r.recognized,
        reportsRetested: r.retested,
        reportsUndecided: r.undecided,
        reportsCited: r.cited,
        prompts: r.prompts,
        views: counted ? (counted.get(r.key) ?? 0) : (r.views ?? 0),
        saved: Math.round(Number(r.saved) * 100) / 100,
      },
    }));
  // Groups with views and no reports (a department that only looked) still show.
  if (counted) {
    for (const [key, n] of counted) if (!out.some((r) => r.key === key)) out.push({ key, label: key.split('\u001f').at(-1) ?? key, measures: { ...EMPTY_MEASURES, views: n } });
  }
  return out;
}
