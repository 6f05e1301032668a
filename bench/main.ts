/**
 * `npm run bench`: performance figures, each with a baseline measured in the same run.
 * Never in tests: timings on a shared 2-core machine are for reading, not for asserting.
 */
import { buildAll } from '../demo/build.ts';
import { measureBundles, printBundles } from './bundles.ts';

if (!process.argv.includes('--no-build')) buildAll();
printBundles(measureBundles());

// Each area's benchmark lives beside the others and is optional while that area is being built.
for (const [file, fn] of [
  ['./rules.ts', 'benchRules'],
  ['./results.ts', 'benchResults'],
] as const) {
  let mod: Record<string, () => Promise<void>>;
  try {
    mod = await import(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') continue;
    throw err;
  }
  await mod[fn]!();
}
