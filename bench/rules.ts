import type { ExternalResult } from '../shared/domain/external-result.ts';
import { compilePack, evaluate, parseRulePack, type RulePack } from '../shared/rules/index.ts';
import { mulberry32 } from '../demo/data/random.ts';

const RUNS = 21;
/** Warm-up per size: at least this many runs and this much time, so the JIT has settled. */
const WARMUP = 3;
const WARMUP_MS = 300;
const SIZES = [1_000, 10_000, 100_000];
const ITEMS = 500;
const INSTITUTIONS = 1_000;
const NOW = '2026-11-22T10:00:00+08:00';
const ITEM_SYSTEM = 'urn:huren:bench:item';
const ORG_SYSTEM = 'urn:huren:bench:org';

/**
 * Wall-clock medians are the figures; process CPU time is printed beside them because on a
 * shared machine wall time also counts other processes' turns.
 *
 * The rule engine on synthetic data: 1k, 10k and 100k results against a 500-item catalog and
 * 1,000 institutions, next to a bare loop reading the same result fields in the same run.
 * Goal: 10k results ≤ 5 ms median, engine / bare loop ≤ 3, cost linear in results.
 */
export async function benchRules(): Promise<void> {
  const pack = benchPack();
  const t0 = performance.now();
  compilePack(pack);
  console.log(`rules: compile pack (${ITEMS} items, ${INSTITUTIONS} institutions): ${(performance.now() - t0).toFixed(1)} ms, once per pack`);

  for (const size of SIZES) {
    const results = benchResults(size);
    const engine: number[] = [];
    const engineCpu: number[] = [];
    const bare: number[] = [];
    let sink = 0;
    // Warm-up first (not measured): 1,000 results take too little time for 3 runs to settle the JIT.
    const warmUntil = performance.now() + WARMUP_MS;
    for (let run = 0; run < WARMUP || performance.now() < warmUntil; run++) {
      sink += evaluate({ packs: [pack], receivingInstitution: 'inst-0', now: NOW, results }).verdicts.length;
      sink += bareLoop(results);
    }
    for (let run = 0; run < RUNS; run++) {
      // Interleaved so both loops see the same machine state.
      let t = performance.now();
      const cpu = process.cpuUsage();
      const { verdicts } = evaluate({ packs: [pack], receivingInstitution: 'inst-0', now: NOW, results });
      const e = performance.now() - t;
      const used = process.cpuUsage(cpu);
      sink += verdicts.length;
      t = performance.now();
      sink += bareLoop(results);
      const b = performance.now() - t;
      engine.push(e);
      engineCpu.push((used.user + used.system) / 1000);
      bare.push(b);
    }
    const e = median(engine);
    const b = median(bare);
    console.log(
      `rules: evaluate ${size.toLocaleString('en')} results: median ${e.toFixed(2)} ms over ${RUNS} runs ` +
        `(${((e / size) * 1000).toFixed(3)} µs/result; process CPU ${median(engineCpu).toFixed(2)} ms; ` +
        `fastest ${Math.min(...engine).toFixed(2)} ms); bare loop ${b.toFixed(2)} ms (fastest ${Math.min(...bare).toFixed(2)}); ` +
        `ratio engine/bare ${(e / b).toFixed(1)}` +
        (sink < 0 ? '' : ''),
    );
  }
}

/**
 * The floor for one pass: reads every field the engine reads, and nothing more. Strings the
 * engine must look at character by character (the code and the identifier it looks up, the
 * clock time it parses, the status) are read through; the others only by length, as the engine
 * only passes them on. No lookups, no date arithmetic, no verdict objects.
 */
function bareLoop(results: readonly ExternalResult[]): number {
  let acc = 0;
  for (let i = 0; i < results.length; i++) {
    const r = results[i]!;
    acc += r.id.length + r.category.length + r.item.name.length;
    for (const c of r.item.codes) acc += chars(c.code) + (c.system?.length ?? 0);
    for (const idf of r.issuer.identifiers) acc += chars(idf.value) + (idf.system?.length ?? 0);
    acc += chars(r.collectedAt) + (r.reportedAt?.length ?? 0) + r.marks.length + chars(r.status);
    if (r.abnormal === true) acc++;
  }
  return acc;
}

function chars(s: string | undefined): number {
  if (s === undefined) return 0;
  let acc = 0;
  for (let i = 0; i < s.length; i++) acc += s.charCodeAt(i);
  return acc;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}


const LEVELS = ['三级甲等', '三级', '二级甲等', '二级', '一级'] as const;
const LAB_GROUPS = ['临床化学', '临床血液体液', '临床免疫', '临床微生物', '临床分子生物学'];
const IMAGING_GROUPS = ['普通放射', 'CT', 'MRI', '超声'];

export function benchPack(): RulePack {
  const rand = mulberry32(500);
  const catalog = Array.from({ length: ITEMS }, (_, i) => {
    const lab = i < ITEMS * 0.8;
    const groups = lab ? LAB_GROUPS : IMAGING_GROUPS;
    return {
      id: `item-${i}`,
      name: `项目${i}`,
      aliases: [`ITEM${i}`],
      category: lab ? 'lab' : 'imaging',
      group: groups[i % groups.length],
      codes: [{ system: ITEM_SYSTEM, code: `C${i}` }],
      ...(i % 7 === 0 ? { timeLimitDays: 7 } : {}),
      price: 5 + (i % 50),
    };
  });
  const institutions = Array.from({ length: INSTITUTIONS }, (_, i) => ({
    id: `inst-${i}`,
    name: `示例医院${i}`,
    identifiers: [{ system: ORG_SYSTEM, value: `org-${i}` }],
    level: i === 0 ? '三级甲等' : LEVELS[Math.floor(rand() * LEVELS.length)],
    region: '湛江市',
    alliances: i % 50 === 0 ? ['alliance-a'] : [],
    qualifications:
      rand() < 0.9
        ? [
            { categories: ['lab'], mark: '湛江市 HR', validFrom: '2026-01-01', validUntil: '2026-12-31' },
            { groups: ['CT', 'MRI'], mark: '湛江市 HR', validFrom: '2026-01-01', validUntil: '2026-12-31' },
          ]
        : [],
  }));
  const json = {
    formatVersion: 1,
    meta: {
      id: 'bench',
      name: '基准测试规则包',
      region: '湛江市',
      version: 'bench',
      effectiveFrom: '2026-01-01',
      sources: [{ id: 'synthetic', title: '合成数据', issuer: 'Huren bench' }],
    },
    clock: { basis: 'collection', timeZone: 'Asia/Shanghai' },
    defaults: { timeLimitDays: { lab: 14, imaging: 30 } },
    regions: [{ name: '广东省' }, { name: '湛江市', within: '广东省' }],
    marks: [{ label: '湛江市 HR', region: '湛江市' }],
    flags: [{ code: 'emergency', label: { 'zh-CN': '急诊急救', en: 'Emergency' } }],
    catalog,
    alliances: [{ id: 'alliance-a', name: '医联体A', kind: '医联体' }],
    institutions,
    policy: { levelRule: 'same-or-higher', alliance: 'catalog-items', markValidOnlyInRegion: true },
    negativeList: [
      { id: 'NL-1', items: ['item-3', 'item-33'], reason: { 'zh-CN': '负面', en: 'negative' } },
      { id: 'NL-2', when: { anyFlag: ['emergency'] }, reason: { 'zh-CN': '急诊', en: 'emergency' } },
      { id: 'NL-3', groups: ['临床微生物'], when: { abnormal: true }, reason: { 'zh-CN': '异常', en: 'abnormal' } },
    ],
    retestReasons: [{ code: 'RT-8', label: { 'zh-CN': '其他情形确需复查的', en: 'Other' }, commentRequired: true }],
  };
  const parsed = parseRulePack(json);
  if (!parsed.ok) throw new Error(`bench pack invalid: ${JSON.stringify(parsed.problems.slice(0, 3))}`);
  return parsed.pack;
}

export function benchResults(n: number): ExternalResult[] {
  const rand = mulberry32(n);
  const nowMs = Date.parse(NOW);
  return Array.from({ length: n }, (_, i): ExternalResult => {
    const item = Math.floor(rand() * (ITEMS + 25)); // a few outside the catalog
    const org = Math.floor(rand() * (INSTITUTIONS + 20)); // a few unknown issuers
    const at = new Date(nowMs - Math.floor(rand() * 45 * 86_400_000) + 8 * 3_600_000).toISOString().slice(0, 19);
    const byName = rand() < 0.1;
    return {
      id: `Observation/${i}`,
      category: item < ITEMS * 0.8 || item >= ITEMS ? 'lab' : 'imaging',
      item: { name: `项目${item}`, codes: byName ? [] : [{ system: ITEM_SYSTEM, code: `C${item}` }] },
      collectedAt: `${at}+08:00`,
      reportedAt: `${at}+08:00`,
      issuer: { identifiers: [{ system: ORG_SYSTEM, value: `org-${org}` }] },
      marks: ['湛江市 HR'],
      abnormal: rand() < 0.2,
      status: 'final',
      reportNumber: `R${i}`,
    };
  });
}
