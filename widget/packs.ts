import { parseRulePack } from '../shared/rules/parse';
import type { RulePack } from '../shared/rules/schema/rule-pack';

/**
 * Rule packs of the widget. No pack JSON is bundled (the budget): each `config.packs` entry is a
 * pack JSON document the host passes, or the URL of one, fetched by the widget and validated.
 * (The extension keeps its bundled packs: shared/rules/bundled.ts, never imported here.)
 */
export type PackSpec = string | Record<string, unknown>;

/** Fetched and validated packs by absolute URL, for the page's lifetime; failures are not kept, so a later mount retries. */
const fetched = new Map<string, Promise<RulePack>>();

/** Packs whose specs are all JSON documents resolve without waiting; URLs are fetched (once per URL). */
export type PackLoad = { ready: true; packs: RulePack[] } | { ready: false; packs: Promise<RulePack[]> };

/**
 * Resolves `config.packs`. A JSON document that is not a valid pack throws at once (the host's
 * mistake, seen at mount); a URL that cannot be fetched or does not hold a valid pack rejects with
 * a message naming the entry and the URL, for the panel to show.
 */
export function loadPacks(specs: readonly PackSpec[], fetchImpl: typeof fetch = fetch): PackLoad {
  const entries = specs.map((spec, i) => (typeof spec === 'string' ? fetchPack(spec, i, fetchImpl) : validated(spec, `config.packs[${i}]`)));
  if (entries.every((e): e is RulePack => !(e instanceof Promise))) return { ready: true, packs: entries };
  return { ready: false, packs: Promise.all(entries) };
}

function validated(json: unknown, where: string): RulePack {
  const parsed = parseRulePack(json);
  if (!parsed.ok) throw new TypeError(`huren: ${where} is not a valid rule pack: ${parsed.problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return parsed.pack;
}

function fetchPack(spec: string, i: number, fetchImpl: typeof fetch): Promise<RulePack> {
  // A bare id ("zhanjiang") was the extension's way to name a bundled pack: the widget bundles none.
  if (/^[\w-]+$/.test(spec)) {
    return Promise.reject(new TypeError(`huren: config.packs[${i}] "${spec}": the widget bundles no rule packs; pass the pack's URL (e.g. https://huren.hospital.example/packs/${spec}.json) or its JSON`));
  }
  let url: string;
  try {
    url = new URL(spec, document.baseURI).href;
  } catch {
    return Promise.reject(new TypeError(`huren: config.packs[${i}] "${spec}" is not a URL`));
  }
  let pending = fetched.get(url);
  if (!pending) {
    pending = download(url);
    fetched.set(url, pending);
    pending.catch(() => fetched.delete(url));
  }
  // The entry's index is the caller's; the cached promise only knows the URL.
  return pending.catch((err: Error) => {
    throw new TypeError(`huren: config.packs[${i}]: ${err.message}`);
  });

  async function download(href: string): Promise<RulePack> {
    let response: Response;
    try {
      response = await fetchImpl(href, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    } catch {
      throw new Error(`rule pack ${href} could not be loaded (network error)`);
    }
    if (!response.ok) throw new Error(`rule pack ${href} could not be loaded (HTTP ${response.status})`);
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new Error(`rule pack ${href} is not JSON`);
    }
    const parsed = parseRulePack(json);
    if (!parsed.ok) throw new Error(`rule pack ${href} is not a valid rule pack: ${parsed.problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    return parsed.pack;
  }
}

/** Forgets fetched packs (tests). */
export function clearPackCache(): void {
  fetched.clear();
}
