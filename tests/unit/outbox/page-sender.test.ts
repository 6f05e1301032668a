// @vitest-environment node
import { afterEach, beforeEach, expect, test } from 'vitest';
import { coalescing } from '../../../shared/outbox/page-sender';
import { idbOutboxStore } from '../../../shared/outbox/idb-store';
import { WidgetDb } from '../../../shared/storage/widget-db';
import { WidgetConfig } from '../../../widget/options';
import { WIDGET_DB, widgetServices } from '../../../widget/services';
import { decision, startEndpoint, type TestEndpoint } from './fixtures';

let server: TestEndpoint;
beforeEach(async () => {
  server = await startEndpoint();
});
afterEach(async () => {
  await server.close();
});

async function until(check: () => Promise<boolean> | boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('widget: a decision saved through the panel services is sent from the host page right away', async () => {
  const config = WidgetConfig.parse({ fhirBaseUrl: 'http://127.0.0.1:9/fhir/R4', receivingInstitution: 'zj-rmyy', packs: ['demo'], feedbackEndpoint: server.base });
  const services = widgetServices(config);
  const seen: number[] = [];
  const stop = services.outbox!.subscribe((s) => seen.push(s.pending));
  const d = decision(0);
  await services.decisions.save(d);
  await until(() => server.endpoint.stats().stored === 1);
  expect(server.endpoint.stats().uuids).toEqual([d.uuid]);
  await until(async () => (await idbOutboxStore(new WidgetDb(WIDGET_DB)).status()).pending === 0);
  await until(() => seen.at(-1) === 0);
  stop();
});

test('widget without a feedback endpoint: decisions are stored, nothing is sent, no outbox is shown', async () => {
  const services = widgetServices(WidgetConfig.parse({ fhirBaseUrl: 'http://127.0.0.1:9/fhir/R4', receivingInstitution: 'zj-rmyy', packs: ['demo'] }));
  expect(services.outbox).toBeUndefined();
  await services.decisions.save(decision(1));
  expect(server.endpoint.stats().requests).toBe(0);
});

test('coalescing: calls during a run add one more pass, not parallel runs', async () => {
  let running = 0;
  let maxParallel = 0;
  let runs = 0;
  const run = coalescing(async () => {
    running++;
    maxParallel = Math.max(maxParallel, running);
    runs++;
    await new Promise((r) => setTimeout(r, 20));
    running--;
  });
  await Promise.all([run(), run(), run(), run()]);
  expect(maxParallel).toBe(1);
  expect(runs).toBe(2);
  await run();
  expect(runs).toBe(3);
});
