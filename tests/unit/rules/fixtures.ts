import type { ExternalResult } from '../../../shared/domain/external-result.ts';
import demoJson from '../../../shared/rules/packs/demo.json' with { type: 'json' };
import zhanjiangJson from '../../../shared/rules/packs/zhanjiang.json' with { type: 'json' };
import { parseRulePack, type RulePack } from '../../../shared/rules/index.ts';

export const ORG = 'https://huren.example/fhir/sid/org';
export const LOINC = 'http://loinc.org';
export const EXAM = 'https://huren.example/fhir/CodeSystem/exam';

/** A fresh, mutable copy of a shipped pack's JSON. */
export function demoJsonCopy(): Record<string, any> {
  return structuredClone(demoJson) as Record<string, any>;
}
export function zhanjiangJsonCopy(): Record<string, any> {
  return structuredClone(zhanjiangJson) as Record<string, any>;
}

export function packFrom(json: unknown): RulePack {
  const parsed = parseRulePack(json);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return parsed.pack;
}

export const demoPack = packFrom(demoJsonCopy());
export const zhanjiangPack = packFrom(zhanjiangJsonCopy());

let seq = 0;
/** 外院结果 with sensible defaults: ALT from 湛江中心人民医院, collected 2026-11-15 08:10 Beijing time. */
export function result(over: Partial<ExternalResult> & { org?: string | null; code?: string | null; name?: string } = {}): ExternalResult {
  const { org = 'zj-zxyy', code = '1742-6', name = '丙氨酸氨基转移酶', ...rest } = over;
  const category = rest.category ?? 'lab';
  return {
    id: `Observation/${++seq}`,
    category,
    item: { name, codes: code === null ? [] : [{ system: category === 'lab' ? LOINC : EXAM, code }] },
    collectedAt: '2026-11-15T08:10:00+08:00',
    issuer: { identifiers: org === null ? [] : [{ system: ORG, value: org }] },
    marks: [],
    status: 'final',
    ...rest,
  };
}

export const NOW = '2026-11-22T10:00:00+08:00';
