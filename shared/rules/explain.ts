import type { CompiledPack } from './compile.ts';
import type { BilingualText } from './schema/common.ts';
import type { RuleId } from './verdict.ts';

/** Rule names as cited in explanations, so the physician can look the rule up. */
export function ruleLabel(rule: RuleId, cp: CompiledPack): BilingualText {
  if (rule.startsWith('negative-list:')) {
    const id = rule.slice('negative-list:'.length);
    return { 'zh-CN': `负面清单 ${id}`, en: `negative list ${id}` };
  }
  if (rule.startsWith('item-negative:')) return { 'zh-CN': '项目除外情形', en: 'item carve-out' };
  switch (rule) {
    case 'completeness':
      return { 'zh-CN': '结果完整性', en: 'completeness' };
    case 'catalog':
      return { 'zh-CN': '互认项目清单', en: 'recognition catalog' };
    case 'issuer':
      return { 'zh-CN': '互认机构清单', en: 'institutions list' };
    case 'qualification':
      return { 'zh-CN': '互认资质', en: 'qualification' };
    case 'mark-region':
      return { 'zh-CN': '互认标识适用地区', en: 'mark region' };
    case 'mark-on-result':
      return { 'zh-CN': '互认标识', en: 'mark on result' };
    case 'level':
      return { 'zh-CN': '同级互认、下级认上级', en: 'level rule' };
    case 'time-limit': {
      const c = cp.pack.clock.basis === 'collection' ? '自采样/检查时起算' : '自报告时起算';
      const e = cp.pack.clock.basis === 'collection' ? 'from collection' : 'from report';
      return { 'zh-CN': `参考时限，${c}`, en: `time limit, ${e}` };
    }
  }
  return { 'zh-CN': rule, en: rule };
}

const citations = new WeakMap<CompiledPack, Map<RuleId, { zh: string; en: string }>>();

/** "（<pack> <version> · <rule>）", built once per pack and rule. */
function citation(rule: RuleId, cp: CompiledPack): { zh: string; en: string } {
  let byRule = citations.get(cp);
  if (byRule === undefined) citations.set(cp, (byRule = new Map()));
  let c = byRule.get(rule);
  if (c === undefined) {
    const label = ruleLabel(rule, cp);
    const { name, version } = cp.ref;
    c = { zh: `（${name} ${version} · ${label['zh-CN']}）`, en: ` (${name} ${version} · ${label.en})` };
    byRule.set(rule, c);
  }
  return c;
}

/** "<short>：<detail>（<pack> <version> · <rule>）" in both languages. */
export function explain(short: BilingualText, detail: BilingualText, rule: RuleId, cp: CompiledPack): BilingualText {
  const c = citation(rule, cp);
  // join builds one flat string; a template literal would keep a tree of pieces alive per verdict.
  return {
    'zh-CN': [short['zh-CN'], '：', detail['zh-CN'], c.zh].join(''),
    en: [short.en, ': ', detail.en, c.en].join(''),
  };
}
