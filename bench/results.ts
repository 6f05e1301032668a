import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { BundleBuilder } from '../demo/data/builders.ts';
import { Random } from '../demo/data/random.ts';
import { ID_CARD_SYSTEM, PANELS } from '../demo/data/reference.ts';
import { makeIdCard } from '../demo/data/id-card.ts';
import { startDemoServer } from '../demo/server/demo-server.ts';
import type { ExternalResult } from '../shared/domain/external-result.ts';
import { createFhirSource } from '../shared/results/fhir/fhir-source.ts';
import { sinceFor } from '../shared/results/since.ts';
import { HurenDb, type CachedFetchRow, type CachedResultRow } from '../shared/storage/db.ts';
import { patientKey, ResultsCache } from '../shared/storage/results-cache.ts';
import { benchCda } from './cda.ts';

const RUNS = 10;

/**
 * Fetch + parse + normalize of 200 and 2,000 results from the local FHIR server (median of
 * RUNS, with the share spent outside HTTP round trips), and a cached-results query of one patient
 * among 100,000 cached results in Dexie over fake-indexeddb; then the CDA figures (bench/cda.ts).
 */
export async function benchResults(): Promise<void> {
  await benchFetch();
  await benchCache();
  await benchCda();
}

async function benchFetch(): Promise<void> {
  const today = new Date();
  const { bundle, patients } = benchBundle(today, [200, 2000]);
  const server = await startDemoServer({ port: 0, bundles: [bundle] });
  try {
    for (const [i, size] of [200, 2000].entries()) {
      const http = inFlightClock();
      const source = createFhirSource({ baseUrl: server.fhirBase, fetch: http.fetch });
      const query = { patient: { system: ID_CARD_SYSTEM, value: patients[i]! }, since: sinceFor(today, 60) };
      const totals: number[] = [];
      const outside: number[] = [];
      let count = 0;
      for (let run = -1; run < RUNS; run++) {
        http.reset();
        const t0 = performance.now();
        const got = await source.fetchResults(query);
        const total = performance.now() - t0;
        count = got.results.length;
        if (run < 0) continue; // warm-up
        totals.push(total);
        outside.push(total - http.busyMs());
      }
      const t = median(totals);
      const o = median(outside);
      console.log(
        `results: fetch+parse+normalize ${count} results (target ${size}): median ${t.toFixed(1)} ms over ${RUNS} runs; ` +
          `outside HTTP round trips ${o.toFixed(1)} ms (${((o / t) * 100).toFixed(1)} %)`,
      );
    }
  } finally {
    await server.close();
  }
}

async function benchCache(): Promise<void> {
  const db = new HurenDb('huren-bench', { indexedDB, IDBKeyRange });
  await db.delete();
  await db.open();
  const cache = new ResultsCache({ db });
  const patients = 1000;
  const perPatient = 100;
  const fetchedAt = Date.now();
  const keys: string[] = [];
  const t0 = performance.now();
  for (let p = 0; p < patients; p++) {
    const key = await patientKey({ system: ID_CARD_SYSTEM, value: `bench-${p}` });
    keys.push(key);
    const rows: CachedResultRow[] = Array.from({ length: perPatient }, (_, k) => ({ patientKey: key, id: `Observation/${p}-${k}`, fetchedAt, result: sampleResult(p, k) }));
    const meta: CachedFetchRow = { patientKey: key, fetchedAt, sourceId: 'bench', patientFound: true, unreadable: 0 };
    await db.transaction('rw', db.results, db.fetches, async () => {
      await db.results.bulkPut(rows);
      await db.fetches.put(meta);
    });
  }
  const fill = performance.now() - t0;
  const rng = new Random(5);
  const times: number[] = [];
  let n = 0;
  for (let run = -1; run < Math.max(RUNS, 20); run++) {
    const key = keys[rng.int(0, keys.length - 1)]!;
    const s = performance.now();
    n = (await cache.getByKey(key))?.results.length ?? 0;
    if (run >= 0) times.push(performance.now() - s);
  }
  console.log(
    `results: Dexie (fake-indexeddb) query of one patient (${n} results) among ${patients * perPatient} cached results: ` +
      `median ${median(times).toFixed(2)} ms over ${times.length} runs (goal ≤ 10 ms; filling took ${(fill / 1000).toFixed(1)} s)`,
  );
  db.close();
  await db.delete();
}

/** One patient per requested size, each with that many lab analytes (血常规: 4 per report) in the window. */
function benchBundle(today: Date, sizes: number[]): { bundle: Bundle; patients: string[] } {
  const rng = new Random(99);
  const b = new BundleBuilder(rng, today);
  const patients = sizes.map((size, i) => {
    const idCard = makeIdCard('440803', `1970-01-0${i + 1}`, 100 + i, 'male');
    const ref = b.add<Patient>({ resourceType: 'Patient', identifier: [{ system: ID_CARD_SYSTEM, value: idCard }], gender: 'male' });
    for (let k = 0; k < size / 4; k++) b.labReport(ref, PANELS.CBC!, 'zj-zxyy', 1 + (k % 50), { sex: 'M' });
    return idCard;
  });
  return { bundle: { resourceType: 'Bundle', type: 'transaction', entry: b.entries }, patients };
}

/** Wraps fetch and measures the wall time during which at least one request (with its body) is in flight. */
function inFlightClock() {
  let active = 0;
  let since = 0;
  let busy = 0;
  const wrapped: typeof fetch = async (input, init) => {
    if (active++ === 0) since = performance.now();
    try {
      const res = await fetch(input, init);
      const text = await res.text();
      return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
    } finally {
      if (--active === 0) busy += performance.now() - since;
    }
  };
  return { fetch: wrapped, busyMs: () => busy, reset: () => void ((busy = 0), (active = 0)) };
}

function sampleResult(p: number, k: number): ExternalResult {
  return {
    id: `Observation/${p}-${k}`,
    category: 'lab',
    item: { name: '白细胞计数', codes: [{ system: 'http://loinc.org', code: '6690-2', display: '白细胞计数' }] },
    value: 6.2,
    unit: '10^9/L',
    referenceRange: { low: 3.5, high: 9.5, text: '3.5-9.5' },
    interpretation: 'N',
    abnormal: false,
    collectedAt: '2026-11-20T08:30:00+08:00',
    reportedAt: '2026-11-20T11:02:00+08:00',
    issuer: { identifiers: [{ system: 'https://huren.example/fhir/sid/org', value: 'zj-zxyy' }], name: '湛江中心人民医院' },
    reportNumber: `ZJZX-L20261120${String(k).padStart(5, '0')}`,
    marks: ['湛江市 HR'],
    status: 'final',
    report: { id: `DiagnosticReport/${p}-${Math.floor(k / 4)}`, name: '血常规' },
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
