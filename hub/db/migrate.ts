import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './database.ts';

export const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** The numbered SQL files (`NNN_name.sql`), in order. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return { version: Number(file.slice(0, 3)), name: file.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Any number: two hubs starting at once on one server take turns (pg_advisory_xact_lock). */
const LOCK_KEY = 48_736_501;

/**
 * Brings the schema up to date: each pending migration in its own transaction, recorded in
 * `hub_migration` in that same transaction, so a failure leaves the previous version intact.
 * An applied migration whose file changed since is refused: old migrations are never edited.
 */
export async function migrate(db: Database, migrations = readMigrations()): Promise<{ applied: string[]; version: number }> {
  await db.query(`create table if not exists hub_migration (
    version integer primary key, name text not null, checksum text not null, applied_at timestamptz not null default now())`);
  const applied: string[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const { rows } = await tx.query<{ checksum: string }>('select checksum from hub_migration where version = $1', [m.version]);
      if (rows[0]) {
        if (rows[0].checksum !== m.checksum) throw new MigrationError(`migration ${m.name} was changed after it was applied; add a new migration instead`);
        return false;
      }
      await tx.exec(m.sql);
      await tx.query('insert into hub_migration (version, name, checksum) values ($1, $2, $3)', [m.version, m.name, m.checksum]);
      return true;
    });
    if (done) applied.push(m.name);
  }
  return { applied, version: migrations.at(-1)?.version ?? 0 };
}

/** The schema version the database is at (0 before the first migration). */
export async function schemaVersion(db: Database): Promise<number> {
  const { rows } = await db.query<{ v: number | null }>(
    `select (select max(version) from hub_migration) as v where to_regclass('hub_migration') is not null`,
  ).catch(() => ({ rows: [] as { v: number | null }[] }));
  return rows[0]?.v ?? 0;
}
