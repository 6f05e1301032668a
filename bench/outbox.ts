import { runOutboxScenario } from '../tests/e2e/outbox-scenario.ts';

const COUNT = 1_000;

/**
 * The outbox fault scenario of tests/e2e/outbox-fault.test.ts with 1,000 decisions: made while
 * the endpoint answers 500, 429, is offline and loses answers; the worker stopped mid-send; the
 * browser reopened on the same profile. Needs the built extension and Chromium.
 */
export async function benchOutbox(): Promise<void> {
  const r = await runOutboxScenario({ count: COUNT });
  console.log(
    `outbox: ${r.made} decisions through faults, worker stop and browser restart: lost ${r.lost}, ` +
      `duplicated ${r.stored - r.made + r.lost} (stored ${r.stored} for ${r.made} made, unknown ${r.unknown}; resends absorbed by the endpoint's uuid dedup ${r.duplicatesReceived}), ` +
      `${r.requests} requests, time to drain after the endpoint recovered ${(r.drainMs / 1000).toFixed(1)} s`,
  );
}
