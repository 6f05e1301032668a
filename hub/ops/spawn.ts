import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface HubProcess {
  url: string;
  publicKey: string;
  engine: 'pglite' | 'postgres';
  pid: number;
  child: ChildProcess;
  /** Graceful stop (SIGTERM: requests in flight finish); resolves when the process exited. */
  close(): Promise<void>;
  /** SIGKILL, as a crash or an OOM killer would: nothing is finished. */
  kill(): Promise<void>;
}

/**
 * Runs `npm run hub` in its own process (the demo, the end-to-end tests, the bench): a real
 * server, killable like one. Resolves once it prints its ready line.
 */
export async function spawnHub(options: { dataDir: string; port?: number; host?: string; databaseUrl?: string; logLevel?: string }): Promise<HubProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'hub/main.ts', 'serve', '--data', options.dataDir, '--port', String(options.port ?? 0), '--host', options.host ?? '127.0.0.1', '--ready-json'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, HUB_LOG_LEVEL: options.logLevel ?? 'warn', HUB_DATABASE_URL: options.databaseUrl ?? '' },
    },
  );
  const lines = createInterface({ input: child.stdout! });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const ready = await new Promise<{ url: string; publicKey: string; engine: 'pglite' | 'postgres' }>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('hub did not start within 60 s')), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`hub exited (${code}) before it was ready`));
    });
    lines.on('line', (line) => {
      if (!line.startsWith('{"url"')) return;
      clearTimeout(timer);
      ok(JSON.parse(line));
    });
  });
  const stop = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { ...ready, pid: child.pid!, child, close: () => stop('SIGTERM'), kill: () => stop('SIGKILL') };
}
