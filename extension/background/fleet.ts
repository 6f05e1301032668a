import { browser } from 'wxt/browser';
import { FLEET_CONFIG_PATH, FleetConfig } from '../../shared/fleet/config';
import { verifySigned } from '../../shared/fleet/signed';
import { parseRulePack } from '../../shared/rules/parse';
import { HurenDb } from '../../shared/storage/db';
import type { HubEventEntry } from '../../shared/hub/ingest';
import { SiteAdapterList } from '../settings/site-adapter-schema';
import { FLEET_SYNC, readFleetState, writeFleetState, type FleetPack, type FleetRefusal, type FleetState } from '../settings/fleet-state';
import { loadSettings, type Settings } from '../settings/settings';
import { fromExtensionPage, messageType, type MessageHandler } from './senders';
import { kickOutbox } from './sync-messages';

/** Checks the hub every 2 minutes (Chrome 109's alarms go down to 1), so a change reaches every browser within 5. */
export const FLEET_ALARM = 'huren-fleet';
const PERIOD_MINUTES = 2;
const TIMEOUT_MS = 15_000;

type Fetch = typeof fetch;

/**
 * Fetches the hospital's configuration from the hub (If-None-Match, bearer token), verifies the
 * configuration's signature and each pack's against the keys pinned by policy, validates each
 * part, and keeps what passes. A part that fails is refused and its last good copy kept; the
 * refusal is shown on the options page and reported to the hub (a pack-refused event).
 */
export async function syncFleet(settings: Settings, options: { fetch?: Fetch; now?: () => Date; db?: HurenDb } = {}): Promise<FleetState | null> {
  const { hubUrl, hubToken } = settings;
  if (!hubUrl || !hubToken) return null;
  const now = (options.now ?? (() => new Date()))().toISOString();
  const previous = (await readFleetState(hubUrl)) ?? { hubUrl, settings: {}, packs: [], refusals: [] };
  const state: FleetState = { ...previous, lastCheckAt: now };
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(`${hubUrl.replace(/\/+$/, '')}${FLEET_CONFIG_PATH}`, {
      headers: { authorization: `Bearer ${hubToken}`, ...(previous.etag && previous.version ? { 'if-none-match': previous.etag } : {}) },
      credentials: 'omit',
      cache: 'no-cache',
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    return save({ ...state, lastError: `医院中心无法连接 (${(err as Error).name})` }, options.db);
  }
  if (res.status === 304) return save({ ...state, lastOkAt: now, lastError: undefined }, options.db);
  if (res.status === 404) return save({ ...state, lastError: '医院中心尚未为本院下发配置 (no configuration yet)' }, options.db);
  if (!res.ok) return save({ ...state, lastError: `医院中心答复 HTTP ${res.status}` }, options.db);

  const refuse = (id: string, version: string, reason: string) => {
    // The same refusal seen again is neither repeated nor reported again.
    if (state.refusals.some((r) => r.id === id && r.version === version && r.reason === reason)) return;
    state.refusals = [{ id, version, reason, at: now, reported: false }, ...state.refusals.filter((r) => !(r.id === id && r.version === version))].slice(0, 50);
  };
  const body: unknown = await res.json().catch(() => null);
  const verified = await verifySigned(body, 'fleet-config', settings.hubSigningKeys ?? []);
  const config = verified.ok ? FleetConfig.safeParse(safeJson(verified.payload)) : undefined;
  if (!verified.ok || !config?.success) {
    refuse('fleet-config', '?', verified.ok ? `配置格式错误 (${config?.error?.issues[0]?.path.join('.')}: ${config?.error?.issues[0]?.message})` : verified.reason);
    return save({ ...state, lastError: '医院中心的配置未通过校验，继续使用上次的配置' }, options.db);
  }
  const c = config.data;
  const packs: FleetPack[] = [];
  for (const signed of c.packs) {
    const pack = await verifySigned(signed, 'rule-pack', settings.hubSigningKeys ?? []);
    const json = pack.ok ? safeJson(pack.payload) : undefined;
    const parsed = json === undefined ? undefined : parseRulePack(json);
    if (parsed?.ok) {
      packs.push({ id: parsed.pack.meta.id, version: parsed.pack.meta.version, json });
      continue;
    }
    // To name what was refused only: an unverified payload is read for its label, never used.
    const meta = ((json ?? safeJson(signed.payload)) as { meta?: { id?: unknown; version?: unknown } } | undefined)?.meta;
    const id = typeof meta?.id === 'string' ? meta.id : '?';
    refuse(id, typeof meta?.version === 'string' ? meta.version : '?', !pack.ok ? pack.reason : parsed && !parsed.ok ? `规则包无效：${parsed.problems.slice(0, 2).map((p) => `${p.path}: ${p.message}`).join('；')}` : '规则包不是 JSON');
    const lastGood = previous.packs.find((p) => p.id === id);
    if (lastGood) packs.push(lastGood);
  }
  let adapters = previous.adapters;
  if (c.adapters.length > 0 || previous.adapters) {
    const checked = SiteAdapterList.safeParse(c.adapters);
    if (checked.success) adapters = c.adapters;
    else refuse('adapters', String(c.version), `站点适配器无效：${checked.error.issues[0]?.path.join('.')}: ${checked.error.issues[0]?.message}`);
  }
  return save(
    { ...state, etag: res.headers.get('etag') ?? undefined, version: c.version, hospital: c.hospital, settings: c.settings, adapters, packs, lastOkAt: now, lastError: undefined },
    options.db,
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Stores the state, and queues each refusal not yet reported as a pack-refused event for the hub. */
async function save(state: FleetState, db: HurenDb | undefined): Promise<FleetState> {
  const fresh = state.refusals.filter((r) => !r.reported);
  if (fresh.length > 0) {
    const database = db ?? new HurenDb();
    const hospital = state.hospital?.id ?? (await loadSettings()).receivingInstitution;
    await database.events.bulkPut(fresh.map((r) => refusalRow(r, hospital)));
    state.refusals = state.refusals.map((r) => ({ ...r, reported: true }));
    kickOutbox();
  }
  await writeFleetState(state);
  return state;
}

function refusalRow(r: FleetRefusal, hospital: string) {
  const uuid = crypto.randomUUID();
  const entry: HubEventEntry = { uuid, hospital, event: { kind: 'pack-refused', at: r.at, pack: { id: r.id.slice(0, 64), version: r.version.slice(0, 64) }, reason: r.reason.slice(0, 500) } };
  return { uuid, at: Date.parse(r.at), entry, state: 'pending' as const, attempts: 0, nextAttemptAt: 0 };
}

const run = async () => syncFleet(await loadSettings()).catch(() => null);

/** Registers the alarm (call synchronously at start-up) and checks once now. */
export function registerFleetSync(): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === FLEET_ALARM) void run();
  });
  void browser.alarms.get(FLEET_ALARM).then(async (alarm) => {
    if (!alarm) await browser.alarms.create(FLEET_ALARM, { periodInMinutes: PERIOD_MINUTES });
  });
  void run();
}

/** The options page asks for a check now (after saving the hub settings, or the 立即同步 button). */
export const handleFleetMessage: MessageHandler = (message, sender) => {
  if (messageType(message) !== FLEET_SYNC || !fromExtensionPage(sender)) return undefined;
  return run();
};
