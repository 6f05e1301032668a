-- Report facts off the ingest path (docs/monitoring.md): an ingest statement only queues the
-- uuids it stored; the refresher applies them to report_fact, deleting them from the queue in the
-- same transaction (exactly once), then rebuilds the rollups of the days they touched.
create table fact_queue (
  seq bigint generated always as identity primary key,
  kind text not null check (kind in ('decision', 'event')),
  uuid uuid not null
);
