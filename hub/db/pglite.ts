import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import type { Database, Queryable } from './database.ts';

/**
 * PGlite: one connection, so queries and transactions are serialized by PGlite itself; a
 * transaction holds it until it ends. Durable on commit (a SIGKILL after the answer loses
 * nothing: tests/hub/sigkill.int.test.ts).
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // numeric as a JS number, as the PostgreSQL driver is set up (postgres.ts): the same rows from both engines.
  const parsers = { [types.NUMERIC]: (v: string) => Number(v) };
  const db = dataDir ? new PGlite(dataDir, { parsers }) : new PGlite({ parsers });
  await db.waitReady;
  const query: Queryable['query'] = async (sql, params) => {
    const result = await db.query(sql, params ? [...params] : undefined);
    return { rows: result.rows as never[] };
  };
  return {
    engine: 'pglite',
    query,
    exec: async (sql) => void (await db.exec(sql)),
    transaction: (body) =>
      db.transaction((tx) =>
        body({
          query: async (sql, params) => ({ rows: (await tx.query(sql, params ? [...params] : undefined)).rows as never[] }),
          exec: async (sql) => void (await tx.exec(sql)),
        }),
      ),
    close: () => db.close(),
  };
}
