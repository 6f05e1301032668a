import pg from 'pg';
import type { Database } from './database.ts';

// int8 (bigint counts, sums) as JS numbers: the hub's counts stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** A PostgreSQL server through a node-postgres pool. */
export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: 30_000, application_name: 'huren-hub' });
  // An idle client losing its server must not crash the hub; the next query reconnects.
  pool.on('error', () => undefined);
  await pool.query('select 1');
  return {
    engine: 'postgres',
    query: async (sql, params) => ({ rows: (await pool.query(sql, params ? [...params] : undefined)).rows }),
    exec: async (sql) => void (await pool.query(sql)),
    async transaction(body) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await body({
          query: async (sql, params) => ({ rows: (await client.query(sql, params ? [...params] : undefined)).rows }),
          exec: async (sql) => void (await client.query(sql)),
        });
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
