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

/**
 * Largest rule pack accepted (its JSON text). A province's full lists are well under 1 MB; the
 * last good copy of each URL pack lives in storage.local, whose quota is 10 MB for everything.
 */
export const MAX_PACK_BYTES = 3 * 1024 * 1024;
const MAX_PACK_MB = MAX_PACK_BYTES / 1024 / 1024;

const tooLarge = (bytes: number): ParseRulePackResult => ({ ok: false, problems: [{ path: '(root)', message: `超过 ${MAX_PACK_MB} MB（${(bytes / 1024 / 1024).toFixed(1)} MB）(pack too large)` }] });

/** The body as text, stopping as soon as it passes the limit (a huge answer is never held whole). */
async function boundedText(response: Response, limit: number): Promise<{ text: string } | { tooLarge: number }> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    return { tooLarge: declared };
  }
  if (!response.body) return { text: await response.text() };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return { tooLarge: size };
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return { text: new TextDecoder().decode(all) };
}

/** Writes to storage.local; a refusal (quota) comes back as a message instead of an exception. */
async function keep(items: Record<string, unknown>): Promise<string | undefined> {
  try {
    await browser.storage.local.set(items);
    return undefined;
  } catch (e) {
    return `无法保存（存储空间不足？）(${(e as Error).message.slice(0, 80)})`;
  }
}

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

/** Validates a pack file and keeps its JSON locally; nothing is stored when it is invalid, too large, or refused by storage. */
export async function storePackFile(name: string, json: unknown): Promise<ParseRulePackResult> {
  const bytes = JSON.stringify(json)?.length ?? 0;
  if (bytes > MAX_PACK_BYTES) return tooLarge(bytes);
  const parsed = parseRulePack(json);
  if (!parsed.ok) return parsed;
  const refused = await keep({ [packFileKey(name)]: json });
  return refused ? { ok: false, problems: [{ path: '(root)', message: refused }] } : parsed;
}

export async function removePackFile(name: string): Promise<void> {
  await browser.storage.local.remove(packFileKey(name));
}

/**
 * Fetches and validates a URL pack; keeps it as the last good copy when valid. A pack over
 * MAX_PACK_BYTES is refused unread; one storage cannot keep is used but reported (`notKept`).
 */
export async function fetchPack(url: string, fetchImpl: typeof fetch = fetch): Promise<ParseRulePackResult & { notKept?: string }> {
  let json: unknown;
  try {
    const response = await fetchImpl(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), cache: 'no-cache' });
    if (!response.ok) return { ok: false, problems: [{ path: '(root)', message: `HTTP ${response.status}` }] };
    const body = await boundedText(response, MAX_PACK_BYTES);
    if ('tooLarge' in body) return tooLarge(body.tooLarge);
    json = JSON.parse(body.text);
  } catch (e) {
    return { ok: false, problems: [{ path: '(root)', message: `无法获取 (fetch failed): ${(e as Error).name}` }] };
  }
  const parsed = parseRulePack(json);
  if (parsed.ok) {
    const cached: CachedUrlPack = { json, fetchedAt: new Date().toISOString() };
    const refused = await keep({ [packUrlKey(url)]: cached });
    if (refused) return { ...parsed, notKept: refused };
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
  if (fresh.ok) return fresh.notKept ? { pack: fresh.pack, problem: `${name}：${fresh.notKept}` } : { pack: fresh.pack };
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
  // A pack that fails in a way not foreseen is a problem line, never a blank sidebar.
  const results = await Promise.all(
    settings.activePacks.map((s) => loadOne(s, options.fetch ?? fetch).catch((e: unknown): { pack?: RulePack; problem?: string } => ({ problem: `${describePack(s)}：${(e as Error)?.name ?? 'Error'}` }))),
  );
  return {
    packs: results.flatMap((r) => (r.pack ? [r.pack] : [])),
    problems: results.flatMap((r) => (r.problem ? [r.problem] : [])),
  };
}
