import { z } from 'zod';
import { browser } from 'wxt/browser';
import { FleetSettings } from '../../shared/fleet/config';

/**
 * What this browser keeps of the hub's configuration (storage.local `fleet`): the last
 * configuration that verified, each pack's last good copy, and what was refused. Written by
 * the background's fleet sync (background/fleet.ts), read as the settings layer between policy
 * and local values (settings.ts) and by the options page.
 */
export const FLEET_STORAGE_KEY = 'fleet';
/** Extension page → background: check the hub now (reply: the new FleetState, or null without a hub). */
export const FLEET_SYNC = 'huren/fleet/sync' as const;

export const FleetRefusal = z.object({
  /** The pack id, or 'fleet-config' / 'adapters' for the configuration's other parts. */
  id: z.string(),
  version: z.string(),
  reason: z.string(),
  at: z.string(),
  /** Reported to the hub (as a pack-refused event). */
  reported: z.boolean().default(false),
});
export type FleetRefusal = z.infer<typeof FleetRefusal>;

export const FleetPack = z.object({ id: z.string(), version: z.string(), json: z.unknown() });
export type FleetPack = z.infer<typeof FleetPack>;

export const FleetState = z.object({
  /** The hub this state came from: another hubUrl starts afresh. */
  hubUrl: z.string(),
  etag: z.string().optional(),
  version: z.number().int().optional(),
  hospital: z.object({ id: z.string(), name: z.string() }).optional(),
  settings: FleetSettings.default({}),
  /** Site adapters from the hub (validated), when it sets any. */
  adapters: z.array(z.unknown()).optional(),
  /** Verified, valid packs in the configuration's order (a refused pack keeps its last good copy here). */
  packs: z.array(FleetPack).default([]),
  refusals: z.array(FleetRefusal).max(50).default([]),
  lastCheckAt: z.string().optional(),
  lastOkAt: z.string().optional(),
  /** Why the last check failed (network, 401, no configuration yet …). */
  lastError: z.string().optional(),
});
export type FleetState = z.infer<typeof FleetState>;

/** The stored fleet state for this hub, or undefined (none, unreadable, or from another hub). */
export async function readFleetState(hubUrl: string | undefined): Promise<FleetState | undefined> {
  if (!hubUrl) return undefined;
  const stored = (await browser.storage.local.get(FLEET_STORAGE_KEY))[FLEET_STORAGE_KEY];
  const parsed = FleetState.safeParse(stored);
  return parsed.success && parsed.data.hubUrl === hubUrl ? parsed.data : undefined;
}

export async function writeFleetState(state: FleetState): Promise<void> {
  await browser.storage.local.set({ [FLEET_STORAGE_KEY]: state });
}

/** The settings layer the hub's configuration gives: its settings, adapters, and packs as `hub` sources. */
export function fleetLayer(state: FleetState | undefined): Record<string, unknown> {
  if (!state?.version) return {};
  return {
    ...state.settings,
    ...(state.adapters ? { adapters: state.adapters } : {}),
    ...(state.packs.length > 0 ? { activePacks: state.packs.map((p) => ({ kind: 'hub', id: p.id })) } : {}),
  };
}
