import { z } from 'zod';
import { browser } from 'wxt/browser';
import { SiteAdapterList } from './site-adapter-schema';
import { PublicKeyText } from '../../shared/fleet/signed';
import { CdaSourceSettings } from '../../shared/results/cda/config';
import { FLEET_STORAGE_KEY, fleetLayer, readFleetState } from './fleet-state';
import { readBuildLayer } from './build-defaults';
import { isSecretKey, readSecrets, SECRET_KEYS, writeSecrets, type SecretKey, type Secrets, type SecretSource } from './secrets';

/** Where an active rule pack (互认规则包) comes from. File packs keep their JSON in storage.local. */
export const PackSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('bundled'), id: z.string().min(1).max(64) }),
  z.strictObject({ kind: z.literal('url'), url: z.url({ protocol: /^https?$/ }) }),
  z.strictObject({ kind: z.literal('file'), name: z.string().min(1).max(128) }),
  /** A pack the hospital's hub configured (signed; verified before it is kept). */
  z.strictObject({ kind: z.literal('hub'), id: z.string().min(1).max(64) }),
]);
export type PackSource = z.infer<typeof PackSource>;

/**
 * Site settings hospital IT sets in the options page, or pushes through Chrome/Edge policy
 * (storage.managed, schema in extension/public/managed_schema.json). Each key stands alone:
 * it is validated on its own, so one bad value never discards the others.
 */
export const Settings = z.object({
  /** FHIR R4 base of the regional results platform (互认平台). */
  fhirBaseUrl: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8787/fhir/R4'),
  /** Bearer token for the platform, if it requires one. */
  token: z.string().max(4096).optional(),
  /** Where prior results come from: the FHIR R4 platform, or WS/T 500 documents (CDA) over XDS.b or a REST wrapper. */
  resultsSource: z.enum(['fhir', 'cda']).default('fhir'),
  /** The CDA source: transport (XDS.b registry/repository, or a REST wrapper's query URL and paths), 身份证号 id root. */
  cdaSource: CdaSourceSettings.optional(),
  /** Identifier system for adapters that do not name one (e.g. the 身份证号 OID). */
  identifierSystem: z.string().min(1).max(256).optional(),
  /** Days to look back for prior results. */
  lookbackDays: z.number().int().positive().max(3650).default(90),
  activePacks: z.array(PackSource).max(10).default([{ kind: 'bundled', id: 'demo' }]),
  /** 本院: the institution code (in the packs' institution list) whose physicians use this browser. */
  receivingInstitution: z.string().trim().min(1).max(64).default('zj-rmyy'),
  /** 接诊医师 and 科室 when the EMR page does not show them. */
  physician: z.string().trim().min(1).max(64).optional(),
  department: z.string().trim().min(1).max(64).optional(),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  /** The sidebar over the EMR's right edge (overlay), or beside it with the EMR page narrowed (push). */
  sidebarMode: z.enum(['overlay', 'push']).default('overlay'),
  /** Sidebar width: normal 380 px, narrow 300 px (1366×768 screens), auto = narrow in windows under 1440 px (for a fleet with both kinds of screen). */
  sidebarSize: z.enum(['auto', 'normal', 'narrow']).default('normal'),
  /** Site adapters added by the hospital; tried before the bundled demo adapters. */
  adapters: SiteAdapterList.default([]),
  /** Base URL of the hospital's CDS service that receives decisions: POST {feedbackEndpoint}/feedback. Unset: the hub's, if set; else decisions wait here. */
  feedbackEndpoint: z.url({ protocol: /^https?$/ }).optional(),
  /** 患者授权: external results only after the physician records the patient's consent (a pack may require it too). */
  consentRequired: z.boolean().default(false),
  /** How long a consent counts for the patient (hours; 0 = this patient view only). */
  consentRememberHours: z.number().int().min(0).max(720).default(12),
  /** 医院中心 (Huren Hub): receives decisions and events, and serves the hospital's configuration. */
  hubUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** The hub's ingest token for this browser (hrt_…), issued by `hub token issue`. */
  hubToken: z.string().trim().regex(/^hrt_[\w-]{12}_[\w-]{43}$/, 'expected a hub token hrt_…').optional(),
  /** Ed25519 public keys (base64) that hub configurations and rule packs must be signed with. */
  hubSigningKeys: z.array(PublicKeyText).max(4).optional(),
});
export type Settings = z.infer<typeof Settings>;
export type SettingsInput = z.input<typeof Settings>;
export type SettingsKey = keyof Settings;

export const SETTINGS_KEYS = Object.keys(Settings.shape) as SettingsKey[];

/** storage.local key of the locally edited settings object. Managed policy keys sit at the top level of storage.managed. */
export const SETTINGS_STORAGE_KEY = 'settings';

export interface SettingsProblem {
  source: 'local' | 'managed' | 'hub' | 'build';
  /** JSON path, e.g. adapters[0].urlPatterns[1]. */
  path: string;
  message: string;
}

export interface SettingsReport {
  settings: Settings;
  /** Keys set by policy: shown read-only in the options page. */
  managedKeys: SettingsKey[];
  /** Keys set by the hub's configuration (below policy, above local values): shown read-only too. */
  fleetKeys: SettingsKey[];
  /** Keys fixed by the hospital's signed package (hub address, signing keys): read-only unless policy sets them. */
  buildKeys: SettingsKey[];
  /** Stored values that were ignored; they stay stored until someone saves over them. */
  problems: SettingsProblem[];
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The settings object in storage.local, as stored (it may still hold secrets an older version kept there). */
async function readStored(): Promise<Record<string, unknown>> {
  return asRecord((await browser.storage.local.get(SETTINGS_STORAGE_KEY))[SETTINGS_STORAGE_KEY]);
}

function withoutSecrets(stored: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(stored).filter(([key]) => !isSecretKey(key)));
}

/** Secrets an older version left in storage.local (not yet moved by migrateSecrets). */
function leftoverSecrets(stored: Record<string, unknown>): Secrets {
  return Object.fromEntries(Object.entries(stored).filter(([key, value]) => isSecretKey(key) && value !== undefined));
}

/**
 * The local layer: storage.local's settings and the secrets kept in the extension's IndexedDB
 * (secrets.ts). A secret still in storage.local counts until it is moved: this version never
 * writes one there, so it is the latest written (an older version, a downgrade, a script).
 */
async function readLocal(secrets: SecretSource, problems: SettingsProblem[]): Promise<Record<string, unknown>> {
  const stored = await readStored();
  const kept = await secrets().catch((err: unknown): Secrets => {
    problems.push({ source: 'local', path: 'secrets', message: `unreadable: ${(err as Error)?.name ?? 'Error'}` });
    return {};
  });
  const present = Object.fromEntries(Object.entries(kept).filter(([key, value]) => isSecretKey(key) && value !== undefined));
  return { ...withoutSecrets(stored), ...present, ...leftoverSecrets(stored) };
}

async function readManaged(): Promise<Record<string, unknown>> {
  try {
    // Absent policy reads as {}; browsers without managed storage (or its schema) throw.
    return asRecord(await browser.storage.managed.get(null));
  } catch {
    return {};
  }
}

function pathOf(key: string, path: ReadonlyArray<PropertyKey>): string {
  return [key, ...path].map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

/** Keys only policy or this browser may set: the hub's configuration never changes where it is reached or what is trusted. */
const NOT_FROM_HUB: ReadonlySet<string> = new Set(['hubUrl', 'hubToken', 'hubSigningKeys', 'feedbackEndpoint', 'token', 'physician', 'department']);

export interface ReadOptions {
  /**
   * Where the locally set secrets come from: by default this document's IndexedDB (background,
   * options and statistics pages); the sidebar, framed in the EMR page, asks the background.
   */
  secrets?: SecretSource;
}

/**
 * Merges managed policy over the hub's configuration over local values over defaults, key by
 * key; never throws on stored data. The hub's layer is what background/fleet.ts verified and kept.
 */
export async function readSettings(options: ReadOptions = {}): Promise<SettingsReport> {
  const problems: SettingsProblem[] = [];
  const [local, managed, build] = await Promise.all([readLocal(options.secrets ?? readSecrets, problems), readManaged(), readBuildLayer()]);
  const hubUrl = [managed.hubUrl, build.locked.hubUrl, local.hubUrl].find((v) => typeof v === 'string' && Settings.shape.hubUrl.safeParse(v).success) as string | undefined;
  const fleet = Object.fromEntries(Object.entries(fleetLayer(await readFleetState(hubUrl))).filter(([k]) => !NOT_FROM_HUB.has(k)));
  const merged: Record<string, unknown> = {};
  const managedKeys: SettingsKey[] = [];
  const fleetKeys: SettingsKey[] = [];
  const buildKeys: SettingsKey[] = [];
  for (const key of SETTINGS_KEYS) {
    // A hospital build's package sits at both ends: its hub and keys under policy only, its defaults under everything.
    for (const [source, layer] of [['managed', managed], ['build', build.locked], ['hub', fleet], ['local', local], ['build', build.defaults]] as const) {
      if (layer[key] === undefined) continue;
      const parsed = Settings.shape[key].safeParse(layer[key]);
      if (parsed.success) {
        merged[key] = parsed.data;
        if (source === 'managed') managedKeys.push(key);
        if (source === 'hub') fleetKeys.push(key);
        if (source === 'build' && layer === build.locked) buildKeys.push(key);
        break;
      }
      for (const issue of parsed.error.issues) problems.push({ source, path: pathOf(key, issue.path), message: issue.message });
    }
  }
  return { settings: Settings.parse(merged), managedKeys, fleetKeys, buildKeys, problems };
}

/** The settings in effect: managed policy overrides local values, which override defaults. */
export async function loadSettings(options: ReadOptions = {}): Promise<Settings> {
  return (await readSettings(options)).settings;
}

export class SettingsError extends Error {
  constructor(readonly problems: SettingsProblem[]) {
    super(`invalid settings: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
}

/**
 * Stores the given keys locally (validating each), leaving every other stored key as it was;
 * a key given as undefined is cleared. Throws SettingsError without writing anything if any value
 * is invalid. Local values under a managed key are stored but stay overridden by policy.
 * Secrets (token, hubToken) go to the extension's IndexedDB, never to storage.local; one an older
 * version left there is moved first. Call it only from extension-origin top-level documents.
 */
export async function saveSettings(values: Partial<SettingsInput>): Promise<void> {
  const problems: SettingsProblem[] = [];
  const stored = await readStored();
  const next = withoutSecrets(stored);
  const secrets: Partial<Record<SecretKey, unknown>> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!(SETTINGS_KEYS as string[]).includes(key)) continue;
    const target: Record<string, unknown> = isSecretKey(key) ? secrets : next;
    if (value === undefined) {
      if (isSecretKey(key)) secrets[key] = undefined;
      else delete next[key];
      continue;
    }
    const parsed = Settings.shape[key as SettingsKey].safeParse(value);
    if (parsed.success) target[key] = parsed.data;
    else for (const issue of parsed.error.issues) problems.push({ source: 'local', path: pathOf(key, issue.path), message: issue.message });
  }
  if (problems.length > 0) throw new SettingsError(problems);
  await moveLeftovers(stored, secrets);
  await browser.storage.local.set({ [SETTINGS_STORAGE_KEY]: next });
}

/**
 * Writes the secrets left in storage.local (`stored`) and `patch` to IndexedDB, before anything is
 * removed from storage.local. A leftover replaces the stored secret: this version never writes
 * secrets to storage.local, so one found there was written last.
 */
async function moveLeftovers(stored: Record<string, unknown>, patch: Partial<Record<SecretKey, unknown>>): Promise<void> {
  const secrets = { ...leftoverSecrets(stored), ...patch };
  if (Object.keys(secrets).length > 0) await writeSecrets(secrets);
}

/**
 * Moves the secrets found in storage.local's settings (token, hubToken: where older versions kept
 * them, or written there since by a script) to the extension's IndexedDB, then removes them from
 * storage.local. The background runs it at start and whenever storage.local's settings gain one.
 * Idempotent: with nothing left in storage.local it writes nothing. The value moves as it was
 * stored (readSettings validates it). Only in the background or the options page.
 */
export async function migrateSecrets(): Promise<void> {
  const stored = await readStored();
  if (!SECRET_KEYS.some((key) => key in stored)) return;
  await moveLeftovers(stored, {});
  // Read again: only the secrets go, whatever else changed meanwhile stays.
  await browser.storage.local.set({ [SETTINGS_STORAGE_KEY]: withoutSecrets(await readStored()) });
}

/** True when a storage change puts a secret into storage.local's settings (migrateSecrets then moves it). */
export function secretWritten(changes: Record<string, { newValue?: unknown }>, area: string): boolean {
  if (area !== 'local' || !(SETTINGS_STORAGE_KEY in changes)) return false;
  return SECRET_KEYS.some((key) => key in asRecord(changes[SETTINGS_STORAGE_KEY]!.newValue));
}

/** Calls back whenever local or managed settings change (the options page saving, a policy push). */
export function onSettingsChanged(callback: () => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area === 'managed' || (area === 'local' && (SETTINGS_STORAGE_KEY in changes || FLEET_STORAGE_KEY in changes))) callback();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

export { loadActivePacks, storePackFile, type ActivePacks } from './rule-packs';
