-- Monitoring at a region's scale (docs/monitoring.md): views inside one hospital read the report
-- facts directly (a hospital-month is thousands of rows, by index); region views read two small
-- rollups: per hospital and day, and per hospital, day and item. The all-dimension rollup of 002
-- compressed nothing (one report per combination) and goes.
drop table rollup_day;

create table rollup_hospital_day (
  hospital_id text not null,
  day date not null,
  shown integer not null,
  recognized integer not null,
  retested integer not null,
  undecided integer not null,
  cited integer not null,
  prompts integer not null,
  saved numeric(14, 2) not null,
  views integer not null,
  primary key (hospital_id, day)
);
create index rollup_hospital_day_day on rollup_hospital_day (day);
