/**
 * `npm run bench`: performance figures, each with a baseline measured in the same run.
 * Never in tests: timings on a shared 2-core machine are for reading, not for asserting.
 *   --no-build        measure the current build
 *   --only a,b        run some sections: bundles, rules, results, panel, outbox, hub, monitoring
 */
import { parseArgs } from 'node:util';
import { buildAll } from '../demo/build.ts';
import { measureBundles, printBundles } from './bundles.ts';
import { benchHub } from './hub.ts';
import { benchMonitoring } from './monitoring.ts';
import { benchOutbox } from './outbox.ts';
import { benchPanelLatency } from './panel-latency.ts';
import { benchResults } from './results.ts';
import { benchRules } from './rules.ts';

const { values } = parseArgs({ options: { 'no-build': { type: 'boolean', default: false }, only: { type: 'string' } } });
const only = values.only?.split(',');
const wanted = (name: string) => !only || only.includes(name);

if (!values['no-build']) buildAll();
const sections: [string, () => Promise<void> | void][] = [
  ['bundles', () => printBundles(measureBundles())],
  ['rules', benchRules],
  ['results', benchResults],
  ['panel', benchPanelLatency],
  ['outbox', benchOutbox],
  ['hub', benchHub],
  ['monitoring', benchMonitoring],
];
for (const [name, run] of sections) if (wanted(name)) await run();
process.exit(0);
