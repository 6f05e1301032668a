import { SaxesParser } from 'saxes';
import type { Frame } from 'playwright-core';
import { configureExtension, launchWithExtension } from '../demo/browser.ts';
import { demoDocuments } from '../demo/cda/demo-documents.ts';
import { demoCdaSettings } from '../demo/cda/settings.ts';
import type { EmrPatient } from '../demo/data/generate.ts';
import { generateDemoData } from '../demo/data/generate.ts';
import { spawnDemo } from '../demo/server/spawn.ts';
import { cdaResults } from '../shared/results/cda/normalize-cda.ts';
import { parseCdaDocument } from '../shared/results/cda/parse-cda.ts';
import { measure, report, watchFor, type Run } from './panel-latency.ts';
import { median } from './stats.ts';

const RUNS = 7;

/**
 * WS/T 500 documents: parse + normalize 1,000 documents (ms per document) beside a bare
 * namespace-aware XML parse of the same bytes (saxes with no handlers: the floor), and the first
 * card in real Chromium with the extension on the CDA source (XDS.b), as the panel bench does for FHIR.
 */
export async function benchCda(): Promise<void> {
  benchParse();
  await benchFirstCard();
}

function benchParse(): void {
  // The demo patients' documents in every issuer's style, repeated to 1,000.
  const all = demoDocuments(generateDemoData({ today: new Date() }).bundle).map((d) => new TextEncoder().encode(d.xml));
  const docs = Array.from({ length: 1000 }, (_, i) => all[i % all.length]!);
  const bytes = docs.reduce((n, d) => n + d.byteLength, 0);
  const bare = () => {
    for (const d of docs) new SaxesParser({ xmlns: true }).write(new TextDecoder('utf-8', { fatal: true }).decode(d)).close();
  };
  let results = 0;
  const full = () => {
    results = 0;
    for (const d of docs) results += cdaResults(parseCdaDocument(d)).results.length;
  };
  const time = (fn: () => void) => {
    fn(); // warm-up
    const t: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const s = performance.now();
      fn();
      t.push(performance.now() - s);
    }
    return median(t);
  };
  const b = time(bare);
  const f = time(full);
  console.log(
    `\n## CDA documents (WS/T 500)\nparse+normalize 1,000 documents (${(bytes / 1e6).toFixed(1)} MB, ${results} results): ${(f / 1000).toFixed(3)} ms/document` +
      `  | bare XML parse of the same bytes (saxes, namespaces on, no handlers): ${(b / 1000).toFixed(3)} ms/document  | ratio ${(f / b).toFixed(2)}  (median of ${RUNS} runs)`,
  );
}

async function benchFirstCard(): Promise<void> {
  const server = await spawnDemo({ today: new Date().toISOString().slice(0, 10) });
  const browser = await launchWithExtension();
  try {
    await configureExtension(browser.serviceWorker, { fhirBaseUrl: server.fhirBase, ...demoCdaSettings(server.url, 'xds') });
    const patients = (await (await fetch(`${server.url}/emr/api/patients`)).json()) as EmrPatient[];
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/emr/?open=0`);
    const frame = await new Promise<Frame>((resolve) => {
      const poll = () => {
        const f = page.frames().find((x) => x.url().startsWith('chrome-extension://'));
        if (f) resolve(f);
        else setTimeout(poll, 20);
      };
      poll();
    });
    await watchFor(frame, patients[0]!.name);
    const cold: Run[] = [];
    for (let i = 1; i < patients.length; i++) cold.push(await measure(page, frame, i, patients[i]!, '/xds/'));
    const warm: Run[] = [];
    for (let round = 0; round < 2; round++) for (let i = 1; i < patients.length; i++) warm.push(await measure(page, frame, i, patients[i]!, '/xds/'));
    console.log('Sidebar first card on the CDA source (XDS.b: ITI-18 + ITI-43 MTOM, real Chromium):');
    report('cold (first view of a patient)', cold);
    report('warm (patient seen before)', warm);
  } finally {
    await browser.context.close();
    await server.close();
  }
}
