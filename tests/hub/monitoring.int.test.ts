import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../demo/data/random.ts';
import type { AuditEvent } from '../../shared/audit/event.ts';
import { EXT, type Decision } from '../../shared/domain/decision.ts';
import type { HubEventEntry } from '../../shared/hub/ingest.ts';
import { measuresOf, reportFacts, isView, type ReportFact } from '../../shared/stats/report-facts.ts';
import { addMeasures, EMPTY_MEASURES, type Measures } from '../../shared/stats/definitions.ts';
import { refreshRollups } from '../../hub/monitoring/refresh.ts';
import { measuresBy, type GroupBy } from '../../hub/monitoring/queries.ts';
import { bearer, ENGINES, HOSPITAL, testHub } from './support.ts';

/**
 * The hub's SQL (report facts at ingest, rollups, grouped measures) against the definitions'
 * own JS (shared/stats/report-facts.ts) on the same generated data: every count equal, whatever
 * order the two streams arrive in and however often batches are resent.
 */
const DAY = (d: number, h: number, m = 0) => new Date(Date.UTC(2026, 10, d, h - 8, m)).toISOString(); // China time
const DEPARTMENTS = ['呼吸内科', '心血管内科', '消化内科'];
const PHYSICIANS = ['李明', '王芳', '张伟', '赵强'];
const ITEMS = [
  { id: 'cbc', name: '血细胞分析', category: 'lab' as const },
  { id: 'lft', name: '肝功能', category: 'lab' as const },
  { id: 'ct-chest', name: '胸部CT', category: 'imaging' as const },
];
const ISSUERS = [
  { id: 'zj-zxyy', name: '湛江中心人民医院' },
  { id: 'zj-mzqrmyy', name: '麻章区人民医院' },
];

function generate(seed: number): { decisions: Decision[]; events: HubEventEntry[] } {
  const r = new Random(seed);
  const decisions: Decision[] = [];
  const events: HubEventEntry[] = [];
  const uuid = () => crypto.randomUUID();
  for (let p = 0; p < 30; p++) {
    const patient = { system: 'urn:oid:2.16.156.10011.1.3', value: `4408021990010${String(1000 + p)}` };
    const actor = { physician: r.pick(PHYSICIANS), department: r.pick(DEPARTMENTS) };
    const day = r.int(1, 28);
    events.push({ uuid: uuid(), hospital: HOSPITAL, event: { kind: 'viewed', at: DAY(day, 9), actor, patient, resultCount: r.int(1, 9) } });
    if (r.chance(0.3)) events.push({ uuid: uuid(), hospital: HOSPITAL, event: { kind: 'opened', at: DAY(day, 9, 2), actor, patient, target: 'others' } });
    for (let k = 0; k < r.int(1, 4); k++) {
      const item = r.pick(ITEMS);
      const issuer = r.pick(ISSUERS);
      const result = { id: `DiagnosticReport/${p}-${k}`, reportNumber: `B${p}${k}`, date: '2026-10-20', issuer };
      const card = uuid();
      const views = r.chance(0.2) ? 0 : r.int(1, 3);
      for (let v = 0; v < views; v++) {
        const promptDay = Math.min(28, day + v);
        events.push({ uuid: uuid(), hospital: HOSPITAL, event: { kind: 'prompted', at: DAY(promptDay, 10, k), actor, patient, card, item, trigger: v ? 'order-select' : 'patient-view', result, pack: { id: 'demo', version: '1' } } });
      }
      const decide = views === 0 ? true : r.chance(0.7);
      if (!decide) continue;
      const makeDecision = (outcome: 'accepted' | 'overridden', at: string, revises?: string): Decision =>
        ({
          uuid: uuid(),
          card,
          outcome,
          ...(outcome === 'accepted'
            ? { acceptedSuggestions: [{ id: 'recognize' }] }
            : { overrideReason: { reason: { system: 'https://huren.example/fhir/CodeSystem/retest-reason', code: r.pick(['RT-1', 'RT-2', 'RT-6']), display: '理由' } } }),
          outcomeTimestamp: at,
          extension: {
            [EXT]: {
              hospital: HOSPITAL,
              patient,
              item,
              result: { id: result.id, reportNumber: result.reportNumber, date: result.date },
              issuer,
              practitioner: actor,
              pack: { id: 'demo', version: '1' },
              trigger: 'patient-view',
              ...(revises ? { revises } : {}),
              ...(outcome === 'accepted' ? { savedPrice: r.pick([25, 80, 350]) } : {}),
            },
          },
        }) as Decision;
      const first = makeDecision(r.chance(0.65) ? 'accepted' : 'overridden', DAY(day, 10, 30 + k));
      decisions.push(first);
      if (r.chance(0.2)) decisions.push(makeDecision(first.outcome === 'accepted' ? 'overridden' : 'accepted', DAY(day, 11, k), first.uuid));
      const latest = decisions.at(-1)!;
      if (latest.outcome === 'accepted' && r.chance(0.5)) {
        events.push({ uuid: uuid(), hospital: HOSPITAL, event: { kind: 'cited', at: DAY(day, 11, 30 + k), actor, patient, card, decision: latest.uuid, item, how: r.pick(['copied', 'inserted'] as const) } });
      }
    }
  }
  return { decisions, events };
}

function shuffled<T>(items: readonly T[], r: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

const dayOf = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/** The JS side: measures per group of the facts first shown in [from, to) and the views in it. */
function expected(facts: ReportFact[], events: AuditEvent[], from: string, to: string, group: (f: { department: string; physician: string; item?: string }) => string): Map<string, Measures> {
  const out = new Map<string, Measures>();
  const inPeriod = (ms: number) => dayOf(ms) >= from && dayOf(ms) < to;
  for (const f of facts.filter((f) => inPeriod(f.firstShownAt))) {
    const key = group({ department: f.department, physician: f.physician, item: f.item.id ?? '' });
    out.set(key, addMeasures(out.get(key) ?? EMPTY_MEASURES, measuresOf([f], 0)));
  }
  for (const e of events.filter((e) => isView(e) && inPeriod(Date.parse(e.at)))) {
    const key = group({ department: e.actor.department ?? '', physician: e.actor.physician ?? '' });
    if (key === '\u0000skip') continue;
    out.set(key, addMeasures(out.get(key) ?? EMPTY_MEASURES, { ...EMPTY_MEASURES, views: 1 }));
  }
  return out;
}

describe.each(ENGINES)('monitoring figures on %s', (engine) => {
  let t: Awaited<ReturnType<typeof testHub>>;
  const data = generate(11);
  beforeAll(async () => {
    t = await testHub(engine);
    const r = new Random(5);
    const post = (path: string, body: unknown) =>
      t.hub.app.inject({ method: 'POST', url: `/cds-services/huren/${path}`, headers: { 'content-type': 'application/json', ...bearer(t.token) }, payload: JSON.stringify(body) });
    // Both streams interleaved in random order, in batches of 7, a third of them sent twice.
    const requests = [
      ...chunks(shuffled(data.decisions, r), 7).map((b) => ['feedback', { feedback: b }] as const),
      ...chunks(shuffled(data.events, r), 7).map((b) => ['events', { events: b }] as const),
    ];
    for (const [path, body] of shuffled(requests, r)) {
      expect((await post(path, body)).statusCode).toBe(200);
      if (r.chance(0.33)) expect((await post(path, body)).statusCode).toBe(200);
    }
    while ((await refreshRollups(t.db)) > 0);
  });
  afterAll(() => t.close());

  const facts = reportFacts(data.decisions, data.events.map((e) => e.event as AuditEvent));
  const events = data.events.map((e) => e.event as AuditEvent);

  const cases: [GroupBy, (f: { department: string; physician: string; item?: string }) => string][] = [
    ['all', () => ''],
    ['department', (f) => f.department],
    ['physician', (f) => `${f.department}\u001f${f.physician}`],
    ['item', (f) => (f.item === undefined ? '\u0000skip' : f.item)],
  ];
  for (const [from, to] of [
    ['2026-11-01', '2026-12-01'],
    ['2026-11-08', '2026-11-15'],
  ] as const) {
    it.each(cases)(`by %s, ${from} to ${to}: the SQL rollups give the JS definitions' counts`, async (groupBy, key) => {
      const want = expected(facts, events, from, to, key);
      if (groupBy === 'item') for (const m of want.values()) m.views = 0;
      want.delete('\u0000skip');
      const rows = await measuresBy(t.db, { hospitalId: HOSPITAL, from, to }, groupBy);
      const got = new Map(rows.map((r) => [r.key, r.measures]));
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries([...want].filter(([, m]) => m.reportsShown > 0 || m.views > 0)));
    });
  }

  it('the data covers what the rules distinguish: revisions, undecided, cited, decisions without prompts, several prompts', () => {
    const all = measuresOf(facts, 0);
    expect(all.reportsRecognized).toBeGreaterThan(5);
    expect(all.reportsRetested).toBeGreaterThan(5);
    expect(all.reportsUndecided).toBeGreaterThan(3);
    expect(all.reportsCited).toBeGreaterThan(2);
    expect(facts.some((f) => f.prompts === 0)).toBe(true);
    expect(facts.some((f) => f.prompts > 1)).toBe(true);
    expect(data.decisions.some((d) => d.extension[EXT].revises)).toBe(true);
  });

  it('region views: the same counts per hospital from the region rollup', async () => {
    const rows = await measuresBy(t.db, { from: '2026-11-01', to: '2026-12-01' }, 'hospital');
    const all = expected(facts, events, '2026-11-01', '2026-12-01', () => '').get('')!;
    expect(rows).toEqual([{ key: HOSPITAL, label: HOSPITAL, measures: all }]);
  });
});

describe.each(ENGINES)('the known month through the hub on %s', (engine) => {
  it('gives the counts and rates the definitions give: 互认率 3/5, 同期互认率 3/5, and R6 in October', async () => {
    const { KNOWN_DECISIONS, KNOWN_EVENTS, KNOWN_NOVEMBER, NOVEMBER } = await import('../unit/stats/known-scenario.ts');
    const { RATES } = await import('../../shared/stats/definitions.ts');
    const t = await testHub(engine);
    try {
      const post = (path: string, body: unknown) =>
        t.hub.app.inject({ method: 'POST', url: `/cds-services/huren/${path}`, headers: { 'content-type': 'application/json', ...bearer(t.token) }, payload: JSON.stringify(body) });
      // Decisions before the events that prompted them: the streams arrive in any order.
      expect((await post('feedback', { feedback: KNOWN_DECISIONS })).statusCode).toBe(200);
      expect((await post('events', { events: KNOWN_EVENTS.map((event) => ({ uuid: crypto.randomUUID(), hospital: HOSPITAL, event })) })).statusCode).toBe(200);
      await t.hub.refresher.refresh();
      const [nov] = await measuresBy(t.db, { hospitalId: HOSPITAL, ...NOVEMBER }, 'all');
      expect(nov!.measures).toEqual(KNOWN_NOVEMBER);
      expect(RATES.recognitionRate.compute(nov!.measures)).toBe(0.6);
      expect(RATES.promptRate.compute(nov!.measures)).toBe(0.6);
      const [oct] = await measuresBy(t.db, { hospitalId: HOSPITAL, from: '2026-10-01', to: '2026-11-01' }, 'all');
      expect(oct!.measures).toMatchObject({ reportsShown: 1, reportsRecognized: 1 });
      const reasons = await measuresBy(t.db, { hospitalId: HOSPITAL, ...NOVEMBER }, 'reason');
      expect(reasons.find((r) => r.key === 'RT-2')!.measures.reportsRetested).toBe(1);
    } finally {
      await t.close();
    }
  });
});
