-- Monitoring (docs/monitoring.md): one row per report (份) and daily rollups rebuilt from it.

-- 报告事实: one external result of one patient, within one hospital, as cards offered it and
-- decisions settled it (the attribution rules: shared/stats/report-facts.ts). Kept current by
-- the ingest statements, from newly stored rows only, so resends never count twice.
create table report_fact (
  hospital_id text not null references hospital (id),
  patient_ref text not null,
  -- The identifier, sealed for the hospital (as in decision/event), for the audited drill-down.
  patient_sealed bytea,
  result_id text not null,
  first_shown_at timestamptz not null,
  -- first_shown_at as a calendar day in the hub's time zone (Asia/Shanghai): the report's period.
  shown_day date not null,
  prompts integer not null default 0,
  card uuid,
  outcome text check (outcome in ('accepted', 'overridden')),
  reason_code text,
  decided_at timestamptz,
  decision uuid,
  saved_price numeric(12, 2),
  cited boolean not null default false,
  campus_id text,
  department text,
  physician text,
  item_id text,
  item_name text,
  item_category text,
  issuer_id text,
  issuer_name text,
  primary key (hospital_id, patient_ref, result_id)
);
create index report_fact_day on report_fact (hospital_id, shown_day);
create index report_fact_card on report_fact (hospital_id, card);

-- A cited event that arrives before its decision is found again when the decision comes.
create index event_cited_card on event (hospital_id, card) where kind = 'cited';

-- Hospital-days whose rollups must be rebuilt (marked by ingest, cleared by the refresher).
create table rollup_dirty (
  hospital_id text not null,
  day date not null,
  marked_at timestamptz not null default now(),
  primary key (hospital_id, day)
);

-- Report measures per hospital, day (first shown) and every dimension the dashboards group by.
create table rollup_day (
  hospital_id text not null,
  day date not null,
  campus_id text,
  department text,
  physician text,
  item_id text,
  item_name text,
  item_category text,
  issuer_id text,
  issuer_name text,
  reason_code text,
  shown integer not null,
  recognized integer not null,
  retested integer not null,
  undecided integer not null,
  cited integer not null,
  prompts integer not null,
  saved numeric(14, 2) not null
);
create index rollup_day_hospital on rollup_day (hospital_id, day);

-- The same measures per hospital, day and item only: the region's views.
create table rollup_region_day (
  hospital_id text not null,
  day date not null,
  item_id text,
  item_name text,
  item_category text,
  shown integer not null,
  recognized integer not null,
  retested integer not null,
  undecided integer not null,
  cited integer not null,
  prompts integer not null,
  saved numeric(14, 2) not null
);
create index rollup_region_day_day on rollup_region_day (day, hospital_id);

-- 调阅: viewed and opened events per hospital, day, campus, department, physician.
create table rollup_views_day (
  hospital_id text not null,
  day date not null,
  campus_id text,
  department text,
  physician text,
  views integer not null
);
create index rollup_views_day_hospital on rollup_views_day (hospital_id, day);
