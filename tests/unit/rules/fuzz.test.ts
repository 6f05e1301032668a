import { evaluate, EvaluationError, parseCase, parseRulePack } from '../../../shared/rules/index.ts';
import caseJson from '../../../shared/rules/examples/case.json' with { type: 'json' };
import { demoJsonCopy, demoPack } from './fixtures.ts';
import { mulberry32 } from '../../../demo/data/random.ts';


type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

function allPaths(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  if (prefix.length > 0) out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => allPaths(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const k of Object.keys(value)) allPaths(value[k]!, [...prefix, k], out);
  return out;
}

const REPLACEMENTS: Json[] = [null, -1, 0, 1.5, 1e9, '', 'x', 'zj-rmyy', 'alt', '湛江市 HR', '2025-02-29', true, [], {}, ['?']];

/** Replace, delete or duplicate the value at a random path. Returns the path touched. */
function mutate(root: Json, next: () => number): Path {
  const paths = allPaths(root);
  const path = paths[Math.floor(next() * paths.length)]!;
  let parent: any = root;
  for (const k of path.slice(0, -1)) parent = parent[k];
  const key = path[path.length - 1]!;
  const op = next();
  if (op < 0.2 && !Array.isArray(parent)) delete parent[key];
  else if (op < 0.35 && Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
  else parent[key] = structuredClone(REPLACEMENTS[Math.floor(next() * REPLACEMENTS.length)]!);
  return path;
}

/** A problem path must point into the document: to an existing value, or a missing key of an existing parent. */
function resolvable(root: unknown, path: string): boolean {
  if (path === '(root)') return true;
  const keys = [...path.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)].map((m) =>
    m[1] ?? (m[2] !== undefined ? Number(m[2]) : JSON.parse(`"${m[3]}"`)),
  );
  let node: any = root;
  for (let i = 0; i < keys.length; i++) {
    if (node === null || typeof node !== 'object') return false;
    if (!(keys[i] in node)) return i === keys.length - 1;
    node = node[keys[i]];
  }
  return true;
}

const RUNS = 2500;

describe('fuzz', () => {
  it(`${RUNS} mutated packs: no crash; every rejection names a real place and a reason`, () => {
    const next = mulberry32(20261122);
    let rejected = 0;
    for (let run = 0; run < RUNS; run++) {
      const json = demoJsonCopy() as Json;
      const touched = [mutate(json, next)];
      if (next() < 0.3) touched.push(mutate(json, next));
      const parsed = parseRulePack(json);
      if (!parsed.ok) {
        rejected++;
        expect(parsed.problems.length, `run ${run}: ${JSON.stringify(touched)}`).toBeGreaterThan(0);
        for (const p of parsed.problems) {
          expect(p.message.trim(), `run ${run}`).not.toBe('');
          expect(resolvable(json, p.path), `run ${run}: ${p.path} for ${JSON.stringify(touched)}`).toBe(true);
        }
        continue;
      }
      try {
        const c = parseCase(caseJson);
        if (!c.ok) throw new Error('example case is invalid');
        const { verdicts } = evaluate({ packs: [parsed.pack], ...c.case });
        expect(verdicts).toHaveLength(c.case.results.length);
      } catch (e) {
        if (!(e instanceof EvaluationError)) throw e;
      }
    }
    expect(rejected).toBeGreaterThan(RUNS / 3);
  }, 60_000);

  it(`${RUNS} mutated cases: no crash; rejections name a real place`, () => {
    const next = mulberry32(4);
    for (let run = 0; run < RUNS; run++) {
      const json = structuredClone(caseJson) as unknown as Json;
      mutate(json, next);
      if (next() < 0.3) mutate(json, next);
      const c = parseCase(json);
      if (!c.ok) {
        for (const p of c.problems) expect(resolvable(json, p.path), `run ${run}: ${p.path}`).toBe(true);
        continue;
      }
      try {
        const { verdicts } = evaluate({ packs: [demoPack], ...c.case });
        expect(verdicts).toHaveLength(c.case.results.length);
      } catch (e) {
        if (!(e instanceof EvaluationError)) throw e;
        expect(e.problems.length).toBeGreaterThan(0);
      }
    }
  }, 60_000);
});
