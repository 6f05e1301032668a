import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import type { Faults } from './faults.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface DemoProcess {
  url: string;
  fhirBase: string;
  /** With `hub: true`: the demo hub and what the extension needs to reach it. */
  hubUrl?: string;
  hubToken?: string;
  hubSigningKeys?: string[];
  /** Injects platform faults through the server's `POST /_faults`. */
  setFaults(faults: Faults): Promise<void>;
  close(): Promise<void>;
}

/**
 * Runs the demo server in its own process, as in real use: Medplum's searches are synchronous
 * CPU work, and in the test's own process they would stall the browser driver and skew timings.
 */
export async function spawnDemo(options: { today: string; args?: string[]; hub?: { dataDir: string } }): Promise<DemoProcess> {
  const hubArgs = options.hub ? ['--hub-port', '0', '--hub-data', options.hub.dataDir] : ['--no-hub'];
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'demo/main.ts', '--no-build', '--port', '0', '--ready-json', '--today', options.today, ...hubArgs, ...(options.args ?? [])],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } },
  );
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<{ url: string; fhirBase: string; hubUrl?: string; hubToken?: string; hubSigningKeys?: string[] }>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('demo server did not start within 60 s')), 60_000);
    child.once('exit', (code) => fail(new Error(`demo server exited (${code})`)));
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      clearTimeout(timer);
      ok(JSON.parse(line));
    });
  });
  return {
    ...ready,
    async setFaults(faults) {
      const res = await fetch(`${ready.url}/_faults`, { method: 'POST', body: JSON.stringify(faults) });
      if (!res.ok) throw new Error(`setting faults failed: ${res.status}`);
    },
    close: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      }),
  };
}
