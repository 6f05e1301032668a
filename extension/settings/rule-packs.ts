import { browser } from 'wxt/browser';
import { bundledPackJson } from '../../shared/rules/bundled';
import { parseRulePack, type ParseRulePackResult } from '../../shared/rules/parse';
import type { RulePack } from '../../shared/rules/schema/rule-pack';
import type { PackSource, Settings } from './settings';
import { FLEET_STORAGE_KEY } from './fleet-state';

/** storage.local keys: a file pack's JSON, and the last good copy of a URL pack. */
export const packFileKey = (name: string) => `pack-file:${name}`;
export const packUrlKey = (url: string) => `pack-url:${url}`;

interface CachedUrlPack {
  json: unknown;
  fetchedAt: string;
}

/** Below the MV3 worker's 30 s fetch limit, though packs are usually fetched from extension pages. */
const FETCH_TIMEOUT_MS = 15_000;

export interface ActivePacks {
  packs: RulePack[];
  /** One line per pack that failed, in the options page's language (zh-CN). */
  problems: string[];
}

export function describePack(source: PackSource): string {
  if (source.kind === 'bundled') return `内置规则包 ${source.id}`;
  if (source.kind === 'url') return `规则包 ${source.url}`;
  if (source.kind === 'hub') return `医院中心规则包 ${source.id}`;
  return `规则包文件 ${source.name}`;
}

function summarize(result: Extract<ParseRulePackResult, { ok: false }>): string {
  const shown = result.problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`);
  const more = result.problems.length > 3 ? `（另有 ${result.problems.length - 3} 处）` : '';
  return shown.join('；') + more;
}

/** Validates a pack file and keeps its JSON locally; nothing is stored when it is invalid. */
export async function storePackFile(name: string, json: unknown): Promise<ParseRulePackResult> {
  const parsed = parseRulePack(json);
  if (parsed.ok) await browser.storage.local.set({ [packFileKey(name)]: json });
  return parsed;
}

export async function removePackFile(name: string): Promise<void> {
  await browser.storage.local.remove(packFileKey(name));
}

/** Fetches and validates a URL pack; keeps it as the last good copy when valid. */
export async function fetchPack(url: string, fetchImpl: typeof fetch = fetch): Promise<ParseRulePackResult> {
  let json: unknown;
  try {
    const response = await fetchImpl(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), cache: 'no-cache' });
    if (!response.ok) return { ok: false, problems: [{ path: '(root)', message: `HTTP ${response.status}` }] };
    json = await response.json();
  } catch (e) {
    return { ok: false, problems: [{ path: '(root)', message: `无法获取 (fetch failed): ${(e as Error).name}` }] };
  }
  const parsed = parseRulePack(json);
  if (parsed.ok) {
    const cached: CachedUrlPack = { json, fetchedAt: new Date().toISOString() };
    await browser.storage.local.set({ [packUrlKey(url)]: cached });
  }
  return parsed;
}

async function loadOne(source: PackSource, fetchImpl: typeof fetch): Promise<{ pack?: RulePack; problem?: string }> {
  const name = describePack(source);
  if (source.kind === 'bundled') {
    const json = (bundledPackJson as Record<string, unknown>)[source.id];
    if (json === undefined) return { problem: `${name}：不存在` };
    const parsed = parseRulePack(json);
    return parsed.ok ? { pack: parsed.pack } : { problem: `${name}：${summarize(parsed)}` };
  }
  if (source.kind === 'hub') {
    // Verified by the fleet sync before it was kept (signature, then the same validation as here).
    const stored = (await browser.storage.local.get(FLEET_STORAGE_KEY))[FLEET_STORAGE_KEY] as { packs?: { id: string; json: unknown }[] } | undefined;
    const json = stored?.packs?.find((p) => p.id === source.id)?.json;
    if (json === undefined) return { problem: `${name}：尚未从医院中心获取` };
    const parsed = parseRulePack(json);
    return parsed.ok ? { pack: parsed.pack } : { problem: `${name}：${summarize(parsed)}` };
  }
  if (source.kind === 'file') {
    const json = (await browser.storage.local.get(packFileKey(source.name)))[packFileKey(source.name)];
    if (json === undefined) return { problem: `${name}：未找到，请重新导入` };
    const parsed = parseRulePack(json);
    return parsed.ok ? { pack: parsed.pack } : { problem: `${name}：${summarize(parsed)}` };
  }
  const fresh = await fetchPack(source.url, fetchImpl);
  if (fresh.ok) return { pack: fresh.pack };
  // Keep working with the last good copy: a platform outage or a bad upload must not silence the rules.
  const cached = (await browser.storage.local.get(packUrlKey(source.url)))[packUrlKey(source.url)] as CachedUrlPack | undefined;
  const fallback = cached ? parseRulePack(cached.json) : undefined;
  if (fallback?.ok) return { pack: fallback.pack, problem: `${name}：${summarize(fresh)}；继续使用 ${cached!.fetchedAt} 获取的版本` };
  return { problem: `${name}：${summarize(fresh)}；没有可用的旧版本` };
}

/**
 * The rule packs in effect, in settings order. A URL pack that cannot be fetched or is invalid
 * falls back to its last good copy; every failure is reported, none throws.
 */
export async function loadActivePacks(settings: Pick<Settings, 'activePacks'>, options: { fetch?: typeof fetch } = {}): Promise<ActivePacks> {
  const results = await Promise.all(settings.activePacks.map((s) => loadOne(s, options.fetch ?? fetch)));
  return {
    packs: results.flatMap((r) => (r.pack ? [r.pack] : [])),
    problems: results.flatMap((r) => (r.problem ? [r.problem] : [])),
  };
}
