import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

/** Builds the extension (chrome-mv3) and the widget, as `npm run build` does. */
export function buildAll(): void {
  // Vitest sets NODE_ENV=test, which would make Vite emit React's development JSX runtime.
  const env = { ...process.env, NODE_ENV: 'production' };
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit', env });
  if (result.status !== 0) throw new Error(`build failed (exit ${result.status})`);
}
