import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL server for the hub's tests and bench: Debian's `postgresql` package
 * (installed by the README's test line and .ci/run), a new cluster in a temporary folder on a
 * free loopback port, stopped and removed by `stop()`. PostgreSQL refuses to run as root, so as
 * root the server runs as the `postgres` user the package creates.
 */
export interface LocalPostgres {
  url: string;
  /** Server version, e.g. "15.18". */
  version: string;
  stop(): Promise<void>;
}

export class NoPostgresError extends Error {
  override name = 'NoPostgresError';
}

/** The newest installed PostgreSQL's bin folder (/usr/lib/postgresql/<n>/bin), or $HUB_PG_BIN. */
export function findPostgresBin(): string {
  if (process.env.HUB_PG_BIN) return process.env.HUB_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new NoPostgresError('PostgreSQL server binaries not found: apt-get install -y postgresql (or set HUB_PG_BIN)');
  return join(root, versions[0], 'bin');
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

export async function startLocalPostgres(options: { settings?: Record<string, string> } = {}): Promise<LocalPostgres> {
  const bin = findPostgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'huren-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : join(bin, cmd), asRoot ? ['-u', 'postgres', '--', join(bin, cmd), ...args] : args, { stdio: 'pipe', cwd: dir });
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(dir, Number(ids), Number(gid));
    chmodSync(dir, 0o700);
  }
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'huren', '-E', 'UTF8', '--no-locale']);
  const port = await freePort();
  const settings = { listen_addresses: '127.0.0.1', port: String(port), unix_socket_directories: dir, max_connections: '200', ...options.settings };
  const opts = Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`).join(' ');
  run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  const version = /\d+(?:\.\d+)+/.exec(run('postgres', ['--version']).toString())?.[0] ?? 'unknown';
  let stopped = false;
  return {
    url: `postgres://huren@127.0.0.1:${port}/postgres`,
    version,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
