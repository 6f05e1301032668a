import { expect, test } from 'vitest';
import { runOutboxScenario } from './outbox-scenario.ts';

test('every decision reaches the hospital exactly once through 500, 429, offline, lost answers, a stopped worker and a browser restart', async () => {
  const result = await runOutboxScenario({ count: 41, log: (line) => console.log(`outbox: ${line}`) });
  console.log(`outbox: ${JSON.stringify(result)}`);
  expect(result.made).toBe(41);
  expect(result.stored).toBe(41);
  expect(result.lost).toBe(0);
  expect(result.unknown).toBe(0);
  expect(result.pendingAfter).toBe(0);
  // The lost answers and the stopped worker's batch were resent and absorbed by the uuid dedup.
  expect(result.duplicatesReceived).toBeGreaterThan(0);
}, 90_000);
