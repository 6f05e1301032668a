-- Huren Hub, first schema. One dialect: PostgreSQL (15 on servers, PGlite's 18 embedded).
-- Never edit an applied migration: add the next numbered file (hub/db/migrate.ts checks).

-- 医院 and 院区. `id` is the institution's id in the rule packs (机构代码).
create table hospital (
  id text primary key,
  name text not null,
  level text,
  region text,
  created_at timestamptz not null default now()
);

create table campus (
  hospital_id text not null references hospital (id),
  id text not null,
  name text not null,
  primary key (hospital_id, id)
);

-- 科室 and 医生 as they appear in decisions and events (the EMR's own names); a department
-- may be placed in a campus by the hospital (hub org import).
create table department (
  hospital_id text not null references hospital (id),
  name text not null,
  campus_id text,
  first_seen_at timestamptz not null default now(),
  primary key (hospital_id, name)
);

create table physician (
  hospital_id text not null references hospital (id),
  name text not null,
  department text not null default '',
  first_seen_at timestamptz not null default now(),
  primary key (hospital_id, name, department)
);

-- Bearer tokens of ingesting browsers: only a SHA-256 of the secret is kept (docs/hub.md).
create table ingest_token (
  id text primary key,
  hospital_id text not null references hospital (id),
  scope text not null check (scope in ('hospital', 'department', 'workstation')),
  campus_id text,
  department text,
  label text not null,
  secret_sha256 bytea not null,
  created_at timestamptz not null default now(),
  created_by text not null,
  revoked_at timestamptz,
  revoked_by text,
  last_used_at timestamptz
);
create index ingest_token_hospital on ingest_token (hospital_id);

-- 互认/复查决定: CDS Hooks 2.0 feedback entries, once per uuid. The patient identifier is not in
-- clear anywhere: `patient_ref` is a keyed per-hospital pseudonym (HMAC-SHA-256), `patient_sealed`
-- the identifier encrypted with the hospital's key (AES-256-GCM), and `entry` the feedback entry
-- without it. Keys live outside the database (docs/hub.md).
create table decision (
  uuid uuid primary key,
  hospital_id text not null references hospital (id),
  campus_id text,
  department text,
  physician text,
  token_id text not null,
  card uuid not null,
  outcome text not null check (outcome in ('accepted', 'overridden')),
  reason_code text,
  item_id text,
  item_name text not null,
  item_category text not null,
  issuer_id text,
  issuer_name text,
  result_id text not null,
  result_date text,
  pack_id text not null,
  pack_version text not null,
  trigger text not null,
  revises uuid,
  saved_price numeric(12, 2),
  patient_ref text not null,
  patient_sealed bytea not null,
  decided_at timestamptz not null,
  received_at timestamptz not null default now(),
  entry jsonb not null
);
create index decision_hospital_time on decision (hospital_id, decided_at);
create index decision_card on decision (hospital_id, card);

-- The other fact streams: prompted (提醒), viewed/opened (调阅), cited (引用), pack refusals.
create table event (
  uuid uuid primary key,
  hospital_id text not null references hospital (id),
  campus_id text,
  department text,
  physician text,
  token_id text not null,
  kind text not null,
  card uuid,
  item_id text,
  item_name text,
  item_category text,
  issuer_id text,
  issuer_name text,
  result_id text,
  result_date text,
  trigger text,
  patient_ref text,
  patient_sealed bytea,
  occurred_at timestamptz not null,
  received_at timestamptz not null default now(),
  detail jsonb not null
);
create index event_hospital_time on event (hospital_id, occurred_at);

-- Rule packs as published: the exact signed text, its hash and signature.
create table rule_pack (
  pack_id text not null,
  version text not null,
  name text not null,
  region text not null,
  body_text text not null,
  sha256 text not null,
  signature text not null,
  key_id text not null,
  published_at timestamptz not null default now(),
  published_by text not null,
  primary key (pack_id, version)
);

-- Each hospital's fleet configuration, versioned: active packs, site adapters, settings.
create table hospital_config (
  hospital_id text not null references hospital (id),
  version integer not null,
  body jsonb not null,
  created_at timestamptz not null default now(),
  created_by text not null,
  primary key (hospital_id, version)
);

-- Who did what at the hub: ingests, configuration served, tokens issued and revoked, refusals.
create table hub_audit (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor text not null,
  action text not null,
  hospital_id text,
  outcome text not null,
  detail jsonb not null default '{}'::jsonb
);
create index hub_audit_time on hub_audit (at);
