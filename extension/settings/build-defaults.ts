import { browser } from 'wxt/browser';

/**
 * A hospital build (npm run package -- --config hospital.json, deploy/) carries the hospital's
 * settings in the package as `hospital.json`. Two kinds:
 * - `locked`: where the hub is and which keys its configuration must be signed with. They come
 *   with the package the hospital signed, so only policy may override them, not the options page.
 * - `defaults`: the platform, this hospital, packs, adapters, sidebar layout: below everything,
 *   so the hub's configuration, the options page and policy can each change them.
 * The plain build (demo, developers) has no such file.
 */
export const BUILD_FILE = '/hospital.json';
export const BUILD_LOCKED_KEYS = ['hubUrl', 'hubSigningKeys'] as const;

export interface BuildLayer {
  locked: Record<string, unknown>;
  defaults: Record<string, unknown>;
  /** The hospital the build was made for (shown on the options page). */
  hospital?: { id: string; name: string };
}

function updateUrl(): string | undefined {
  try {
    return (browser.runtime.getManifest() as { update_url?: string }).update_url;
  } catch {
    return undefined; // no manifest to read (tests, other shells)
  }
}

const EMPTY: BuildLayer = { locked: {}, defaults: {} };
let cached: Promise<BuildLayer> | undefined;

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Reads the packaged file once per extension context; absent or unreadable: no build layer. */
export function readBuildLayer(): Promise<BuildLayer> {
  // Only a hospital build updates from the hospital's hub: without update_url there is no file to ask for.
  if (!updateUrl()) return Promise.resolve(EMPTY);
  // Only a hospital build has the file, so it is not among WXT's typed public paths.
  cached ??= fetch((browser.runtime.getURL as (path: string) => string)(BUILD_FILE))
    .then((res) => (res.ok ? res.json() : undefined))
    .then((json: unknown): BuildLayer => {
      const file = asRecord(json);
      const settings = asRecord(file.settings);
      const locked: Record<string, unknown> = {};
      const defaults: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(settings)) ((BUILD_LOCKED_KEYS as readonly string[]).includes(key) ? locked : defaults)[key] = value;
      const hospital = asRecord(file.hospital);
      return { locked, defaults, ...(typeof hospital.id === 'string' && typeof hospital.name === 'string' ? { hospital: { id: hospital.id, name: hospital.name } } : {}) };
    })
    .catch(() => EMPTY);
  return cached;
}

/** For tests: forget the cached file. */
export function resetBuildLayer(): void {
  cached = undefined;
}
