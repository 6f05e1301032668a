// `npm test`: every Vitest project (unit, component, end-to-end), then the plain closing line
// CI reads ("N passed, N failed"). Vitest's exit code is kept as ours.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });

// Types first: a type error is a failed check, counted in the closing line.
const types = spawnSync('npx', ['tsc', '--noEmit', '-p', '.'], { stdio: 'inherit' });
const typeFailures = types.status === 0 ? 0 : 1;
console.log(types.status === 0 ? 'typecheck: ok' : 'typecheck: FAILED');

const report = 'test-results/vitest.json';
const run = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
let passed = 0;
let failed = typeFailures;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests;
  // A file that fails outside its tests (a hook, an import) fails no test: count the file then.
  failed += Math.max(json.numFailedTests, json.numFailedTestSuites ?? 0) + (json.numRuntimeErrorTestSuites ?? 0);
} catch {
  failed = Math.max(failed, 1);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 ? 0 : run.status || 1);
