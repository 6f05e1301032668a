-- Dashboard sign-in (docs/monitoring.md): accounts with roles, sessions.

create table account (
  id bigint generated always as identity primary key,
  username text not null unique,
  display_name text not null,
  -- scrypt$N$r$p$salt$hash (base64): hub/accounts/passwords.ts
  password_hash text not null,
  -- admin: everything; quality (医务科): one hospital; department_head (科主任): one department;
  -- region (卫健委/质控中心): hospitals side by side, never patient-level rows.
  role text not null check (role in ('admin', 'quality', 'department_head', 'region')),
  hospital_id text references hospital (id),
  department text,
  created_at timestamptz not null default now(),
  disabled_at timestamptz,
  check ((role in ('quality', 'department_head')) = (hospital_id is not null)),
  check ((role = 'department_head') = (department is not null))
);

create table account_session (
  -- SHA-256 of the cookie's random token: a stolen database holds no usable session.
  id bytea primary key,
  account_id bigint not null references account (id),
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index account_session_expiry on account_session (expires_at);
