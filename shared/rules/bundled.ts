import demo from './packs/demo.json' with { type: 'json' };
import zhanjiang from './packs/zhanjiang.json' with { type: 'json' };
import { parseRulePack } from './parse.ts';
import type { RulePack } from './schema/rule-pack.ts';

/** The packs shipped in the repo, as raw JSON; callers validate with parseRulePack. */
export const bundledPackJson: Readonly<Record<'zhanjiang' | 'demo', unknown>> = { zhanjiang, demo };

/** The shipped packs, validated. Throws if a shipped pack is invalid — the tests prevent that. */
export function loadBundledPacks(): Record<'zhanjiang' | 'demo', RulePack> {
  const out = {} as Record<'zhanjiang' | 'demo', RulePack>;
  for (const [id, json] of Object.entries(bundledPackJson) as ['zhanjiang' | 'demo', unknown][]) {
    const parsed = parseRulePack(json);
    if (!parsed.ok) {
      const first = parsed.problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`).join('; ');
      throw new Error(`bundled rule pack "${id}" is invalid: ${first}`);
    }
    out[id] = parsed.pack;
  }
  return out;
}
