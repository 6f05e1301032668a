import type { TestProject } from 'vitest/node';
import { startLocalPostgres, type LocalPostgres } from '../../hub/ops/local-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres:// URL of the throwaway server every hub test file gets its own database on. */
    postgresUrl: string;
  }
}

let server: LocalPostgres | undefined;

/**
 * The hub's tests run on both engines: PGlite in process, and a real PostgreSQL server this
 * setup starts (Debian's package, as its own user) and stops after the run. A missing server is
 * a failure, not a skip: CI installs it (README test line).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  server = await startLocalPostgres({ settings: { fsync: 'on' } });
  project.provide('postgresUrl', server.url);
  return async () => {
    await server?.stop();
  };
}
