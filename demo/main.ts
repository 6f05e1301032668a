/**
 * `npm run demo`: builds the extension and the widget, then serves the demo EMR pages, the
 * widget page and a FHIR R4 platform on one local port.
 *   --port N      (default 8787, or $PORT; 0 picks a free one)
 *   --host H      (default 127.0.0.1)
 *   --load F      load a FHIR R4 transaction/batch/collection Bundle (repeatable)
 *   --today D     date the demo data is relative to (YYYY-MM-DD; default today)
 *   --no-build    serve what is already built
 *   --browser     also launch Chromium with the extension loaded (needs a display)
 *   --hub-port N  port of the demo's hub (default 8788, or $HUB_PORT; 0 picks a free one)
 *   --hub-data D  the hub's data folder (default .huren-demo/hub: decisions and events stay across runs)
 *   --no-hub      run without the hub
 *   --ready-json  print one JSON line {url, fhirBase} when listening (for tests that spawn the demo)
 *   --source S    results source the --browser extension uses: fhir (default), cda-xds or cda-rest
 *                 (the same patients' results as WS/T 500 documents; docs/cda-mapping.md)
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Bundle } from '@medplum/fhirtypes';
import { configureExtension, EXTENSION_DIR, launchWithExtension } from './browser.ts';
import { buildAll } from './build.ts';
import { generateDemoData } from './data/generate.ts';
import { startDemoServer } from './server/demo-server.ts';
import { demoDocuments } from './cda/demo-documents.ts';
import { demoCdaSettings } from './cda/settings.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, startDemoHub } from './hub.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    load: { type: 'string', multiple: true, default: [] },
    today: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    browser: { type: 'boolean', default: false },
    'ready-json': { type: 'boolean', default: false },
    'hub-port': { type: 'string', default: process.env.HUB_PORT ?? '8788' },
    'hub-data': { type: 'string', default: '.huren-demo/hub' },
    'no-hub': { type: 'boolean', default: false },
    source: { type: 'string', default: 'fhir' },
  },
});
if (!['fhir', 'cda-xds', 'cda-rest'].includes(values.source!)) throw new Error('--source must be fhir, cda-xds or cda-rest');

if (!values['no-build']) buildAll();

const today = values.today ? new Date(`${values.today}T09:00:00+08:00`) : new Date();
const demo = generateDemoData({ today });
const foreign: Bundle[] = [];
for (const file of values.load ?? []) foreign.push(JSON.parse(await readFile(file, 'utf8')) as Bundle);

// The hospital's hub first: the in-house EMR page hands its address and token to the widget.
const hub = values['no-hub'] ? undefined : await startDemoHub({ dataDir: values['hub-data']!, port: Number(values['hub-port']), today });
const server = await startDemoServer({
  port: Number(values.port),
  host: values.host,
  bundles: [demo.bundle],
  emrPatients: demo.emrPatients,
  cdaDocuments: demoDocuments(demo.bundle),
  ...(hub ? { hub: { url: hub.hub.url, token: hub.token } } : {}),
});
const hubSettings = hub ? { hubUrl: hub.hub.url, hubToken: hub.token, hubSigningKeys: [hub.publicKey] } : {};
for (const [i, bundle] of foreign.entries()) {
  const { loaded, failed } = await server.fhir.load(bundle);
  console.log(`loaded ${values.load![i]}: ${loaded} resources${failed ? `, ${failed} failed` : ''}`);
}

if (values['ready-json']) console.log(JSON.stringify({ url: server.url, fhirBase: server.fhirBase, ...hubSettings }));
else console.log(`
Huren demo is running (Ctrl-C to stop)
  Demo EMR (extension sidebar):  ${server.url}/emr/
  In-house EMR (widget):         ${server.url}/inhouse/
  In-house EMR (iframe mode):    ${server.url.replace('127.0.0.1', 'emr.demo.localhost')}/inhouse-frame/
  FHIR R4 platform:              ${server.fhirBase}
  WS/T 500 documents (CDA):      XDS.b ${server.url}/xds/registry + ${server.url}/xds/repository, REST ${server.url}/cda-rest/documents
${
  hub
    ? `  Huren Hub (医院中心):             ${hub.hub.url}  (PGlite in ${values['hub-data']})
    In the extension's options page (医院中心): address ${hub.hub.url}
      token   ${hub.token}
      key     ${hub.publicKey}
    Decisions and events arriving:  npm run hub -- --data ${values['hub-data']} stats
    Monitoring dashboard:           ${hub.hub.url}/dashboard/
      accounts ${DEMO_ACCOUNTS.map((a) => `${a.username} (${a.displayName})`).join(', ')}; password ${DEMO_PASSWORD}
`
    : ''
}  Extension to load in Chrome/Edge (chrome://extensions → 开发者模式 → 加载已解压的扩展程序):
                                 ${EXTENSION_DIR}
  The extension's default platform is http://127.0.0.1:8787/fhir/R4; on another port set it in the options page.
  Statistics: the extension's 统计 page (chrome-extension://<id>/stats.html).
`);

let closeBrowser: (() => Promise<void>) | undefined;
if (values.browser) {
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.log('--browser: no display here ($DISPLAY is not set); open the URLs above in your own browser.');
  } else {
    const browser = await launchWithExtension({ headless: false });
    const source = values.source === 'fhir' ? {} : demoCdaSettings(server.url, values.source === 'cda-xds' ? 'xds' : 'rest');
    await configureExtension(browser.serviceWorker, hub ? { fhirBaseUrl: server.fhirBase, ...source, ...hubSettings } : { fhirBaseUrl: server.fhirBase, ...source, feedbackEndpoint: `${server.url}/cds-services/huren` });
    await (await browser.context.newPage()).goto(`${server.url}/emr/`);
    closeBrowser = () => browser.context.close();
  }
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await closeBrowser?.().catch(() => undefined);
  await server.close();
  await hub?.close();
  console.log('Huren demo stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
