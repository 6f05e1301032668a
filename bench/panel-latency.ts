import { chromium, type Frame, type Page } from 'playwright-core';
import { CHROMIUM, configureExtension, launchWithExtension } from '../demo/browser.ts';
import type { EmrPatient } from '../demo/data/generate.ts';
import { spawnDemo } from '../demo/server/spawn.ts';
import { median, ms, percentile } from './stats.ts';

export interface Run {
  patient: string;
  results: number;
  /** Patient identifier in the page → first card (or "nothing recognizable") visible in the sidebar. */
  firstCardMs: number;
  /** Span of the platform requests made for this patient (0 when answered from memory). */
  fetchMs: number;
}

/** Waits, inside the sidebar, for the header to name the patient and a card (or an empty state) to show. */
export async function watchFor(frame: Frame, name: string): Promise<number> {
  // A string, not a function: tsx would wrap inner functions in a `__name` helper the page lacks.
  return frame.evaluate(`new Promise((resolve) => {
    const expected = ${JSON.stringify(name)};
    let observer;
    const check = () => {
      const header = document.querySelector('.hr-patient-name')?.textContent;
      const ready = document.querySelector('article.hr-card') ?? document.querySelector('.hr-results .hr-muted, .hr-results .hr-status');
      if (header === expected && ready) {
        observer?.disconnect();
        resolve(performance.timeOrigin + performance.now());
        return true;
      }
      return false;
    };
    if (!check()) {
      observer = new MutationObserver(check);
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    }
  })`) as Promise<number>;
}

/** `platformPath`: the part of request URLs that are platform fetches (FHIR by default; /xds/ or /cda-rest/ for the CDA source). */
export async function measure(page: Page, frame: Frame, index: number, patient: EmrPatient, platformPath = '/fhir/R4/'): Promise<Run> {
  await frame.evaluate(() => performance.clearResourceTimings());
  const seen = watchFor(frame, patient.name);
  const start = await page.evaluate((i) => {
    (window as unknown as { demoEmr: { open(i: number): void } }).demoEmr.open(i);
    return performance.timeOrigin + performance.now();
  }, index);
  const end = await seen;
  const { fetchMs, results } = await frame.evaluate((platform) => {
    const fhir = performance.getEntriesByType('resource').filter((e) => e.name.includes(platform));
    const span = fhir.length ? Math.max(...fhir.map((e) => (e as PerformanceResourceTiming).responseEnd)) - Math.min(...fhir.map((e) => e.startTime)) : 0;
    const text = document.querySelector('.hr-freshness')?.textContent ?? '';
    return { fetchMs: span, results: Number(/外院结果 (\d+) 项/.exec(text)?.[1] ?? 0) };
  }, platformPath);
  return { patient: patient.name, results, firstCardMs: end - start, fetchMs };
}

export function report(label: string, runs: Run[]): void {
  const first = runs.map((r) => r.firstCardMs);
  const overhead = runs.map((r) => r.firstCardMs - r.fetchMs);
  const fetches = runs.map((r) => r.fetchMs);
  const sizes = runs.map((r) => r.results);
  console.log(
    `${label.padEnd(34)} n=${runs.length}  first card median ${ms(median(first))}  p95 ${ms(percentile(first, 95))}` +
      `  | platform fetch median ${ms(median(fetches))}  | first card − fetch median ${ms(median(overhead))} p95 ${ms(percentile(overhead, 95))}` +
      `  | results per patient median ${median(sizes)} (max ${Math.max(...sizes)})`,
  );
}

/**
 * Issue 6 figures in real Chromium: patient identifier appearing in the EMR page → first card in
 * the sidebar, cold (first view: the platform is asked) and warm (seen before), and the content
 * script's main-thread cost on page load against the same page without the extension.
 */
export async function benchPanelLatency(): Promise<void> {
  console.log('\n## Sidebar latency (real Chromium, local demo FHIR server)');
  const server = await spawnDemo({ today: new Date().toISOString().slice(0, 10) });
  const browser = await launchWithExtension();
  try {
    await configureExtension(browser.serviceWorker, { fhirBaseUrl: server.fhirBase });
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
    for (let i = 1; i < patients.length; i++) cold.push(await measure(page, frame, i, patients[i]!));
    const warm: Run[] = [];
    for (let round = 0; round < 2; round++) {
      for (let i = 1; i < patients.length; i++) warm.push(await measure(page, frame, i, patients[i]!));
    }
    report('cold (first view of a patient)', cold);
    report('warm (patient seen before)', warm);
    console.log('goals: warm ≤ 150 ms p95; cold ≤ fetch time + 100 ms');

    await contentScriptCost(server.url, page);
  } finally {
    await browser.context.close();
    await server.close();
  }
}

/** Main-thread script time of loading the demo EMR page, with the extension and without it. */
async function contentScriptCost(origin: string, withExtension: Page): Promise<void> {
  const runs = 20;
  const scriptTime = async (page: Page): Promise<number[]> => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const out: number[] = [];
    for (let i = 0; i < runs; i++) {
      const before = await cdp.send('Performance.getMetrics');
      await page.goto(`${origin}/emr/?open=0`);
      await page.waitForTimeout(400);
      const after = await cdp.send('Performance.getMetrics');
      const get = (m: typeof before, name: string) => m.metrics.find((x) => x.name === name)?.value ?? 0;
      // The counters reset on navigation: `after` is this load's total.
      out.push((get(after, 'ScriptDuration') || get(after, 'TaskDuration') - get(before, 'TaskDuration')) * 1000);
    }
    return out;
  };
  const plain = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const base = await scriptTime(await plain.newPage());
    const ext = await scriptTime(withExtension);
    console.log(
      `EMR page load, main-thread script time   without extension median ${ms(median(base))}  with extension median ${ms(median(ext))}` +
        `  → content script ≈ ${ms(median(ext) - median(base))} (ratio ${(median(ext) / median(base)).toFixed(2)})`,
    );
  } finally {
    await plain.close();
  }
}
