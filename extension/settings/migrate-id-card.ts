import { browser } from 'wxt/browser';
import { ID_CARD_SYSTEM, LEGACY_ID_CARD_SYSTEM } from '../../shared/domain/codes';
import { migrateLegacyIdCardSystem } from '../../shared/storage/migrate-id-card';
import type { HurenDb } from '../../shared/storage/db';
import { SETTINGS_STORAGE_KEY } from './settings';

/** storage.local key: migrations done, so each runs once per browser profile. */
export const MIGRATIONS_KEY = 'migrations';

/**
 * 身份证号 OID 2.16.156.10011.1.4 → 2.16.156.10011.1.3 in what this browser stored: the local
 * settings (identifierSystem, the hospital's adapters) and the database (decisions, audit). Policy
 * (storage.managed) is the hospital's to change and is left as it is. Idempotent.
 */
export async function migrateIdCardSystem(db: HurenDb): Promise<void> {
  const done = ((await browser.storage.local.get(MIGRATIONS_KEY))[MIGRATIONS_KEY] ?? {}) as Record<string, boolean>;
  if (done.idCardOid) return;
  const stored = (await browser.storage.local.get(SETTINGS_STORAGE_KEY))[SETTINGS_STORAGE_KEY] as Record<string, unknown> | undefined;
  if (stored && typeof stored === 'object') {
    const next = { ...stored };
    if (next.identifierSystem === LEGACY_ID_CARD_SYSTEM) next.identifierSystem = ID_CARD_SYSTEM;
    if (Array.isArray(next.adapters)) {
      next.adapters = next.adapters.map((a: unknown) => {
        const patient = (a as { patient?: { identifierSystem?: unknown } } | null)?.patient;
        return patient?.identifierSystem === LEGACY_ID_CARD_SYSTEM ? { ...(a as object), patient: { ...patient, identifierSystem: ID_CARD_SYSTEM } } : a;
      });
    }
    if (JSON.stringify(next) !== JSON.stringify(stored)) await browser.storage.local.set({ [SETTINGS_STORAGE_KEY]: next });
  }
  await migrateLegacyIdCardSystem(db);
  await browser.storage.local.set({ [MIGRATIONS_KEY]: { ...done, idCardOid: true } });
}
