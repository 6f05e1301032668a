/**
 * The hub's one way to PostgreSQL, whichever engine holds the data: PGlite (Postgres compiled to
 * WebAssembly, in a data folder; the default) or a PostgreSQL server (HUB_DATABASE_URL). Both
 * speak the same SQL with $n parameters; everything above this file is written once.
 */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[] }>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  /** 'pglite' or 'postgres': for the logs and the figures, never for choosing SQL. */
  readonly engine: 'pglite' | 'postgres';
  /** Runs `body` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(body: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… of a PostgreSQL server; unset: PGlite in `dataDir`. */
  url?: string;
  /** Folder of the embedded database (PGlite); created when missing. */
  dataDir?: string;
  /** Connections to a PostgreSQL server. */
  poolSize?: number;
}

/** Opens the database the options name (a server when `url` is set, else PGlite in `dataDir`, else PGlite in memory). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const { openPostgres } = await import('./postgres.ts');
    return openPostgres(options.url, options.poolSize);
  }
  const { openPglite } = await import('./pglite.ts');
  return openPglite(options.dataDir);
}
