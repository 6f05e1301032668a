import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { migrateIdCardSystem } from '../../../extension/settings/migrate-id-card';
import { loadSettings, SETTINGS_STORAGE_KEY } from '../../../extension/settings/settings';
import { DexieAuditLog } from '../../../shared/audit/dexie-audit-log';
import { ID_CARD_SYSTEM, LEGACY_ID_CARD_SYSTEM } from '../../../shared/domain/codes';
import { EXT, type Decision } from '../../../shared/domain/decision';
import { HurenDb } from '../../../shared/storage/db';
import { DexieDecisionStore } from '../../../shared/storage/decision-store';
import { patientKey } from '../../../shared/storage/rows';

/** Data an older Huren stored under the staff-number OID (…1.4) is found, whole, under …1.3. */
const value = '440802197003150017';
const legacy = { system: LEGACY_ID_CARD_SYSTEM, value };
const national = { system: ID_CARD_SYSTEM, value };

function decision(uuid: string, patient: { system: string; value: string }): Decision {
  return {
    uuid,
    card: uuid.replace(/^./, 'c'),
    outcome: 'accepted',
    acceptedSuggestions: [{ id: 'recognize' }],
    outcomeTimestamp: '2026-11-20T02:00:00.000Z',
    extension: {
      [EXT]: {
        hospital: 'zj-rmyy', patient, item: { id: 'cbc', name: '血细胞分析', category: 'lab' }, result: { id: 'r1', date: '2026-11-19' },
        issuer: { id: 'zj-zxyy', name: '湛江中心人民医院' }, practitioner: { physician: '李明' }, pack: { id: 'demo', version: '1' }, trigger: 'patient-view',
      },
    },
  } as Decision;
}

let n = 0;
describe('身份证号 OID migration (2.16.156.10011.1.4 → 2.16.156.10011.1.3)', () => {
  beforeEach(() => fakeBrowser.reset());

  test('stored decisions and audit events move to the national OID, nothing lost, and run once', async () => {
    const db = new HurenDb(`mig-${++n}`);
    const store = new DexieDecisionStore(db);
    await store.save(decision('11111111-1111-4111-8111-111111111111', legacy));
    await store.save(decision('22222222-2222-4222-8222-222222222222', legacy));
    await store.save(decision('33333333-3333-4333-8333-333333333333', { system: 'urn:oid:1.2.3', value: 'other' }));
    await db.decisions.update('22222222-2222-4222-8222-222222222222', { state: 'sent', sentAt: 1 });
    // An audit row as the older version wrote it.
    const event = { kind: 'viewed' as const, at: '2026-11-20T02:00:00.000Z', actor: {}, patient: legacy, resultCount: 3 };
    await db.audit.add({ id: 'a1', at: Date.parse(event.at), kind: 'viewed', event });
    expect(await new DexieAuditLog(db).list()).toHaveLength(1);
    expect(await store.forPatient(national)).toHaveLength(0);

    await migrateIdCardSystem(db);

    const found = await store.forPatient(national);
    expect(found.map((d) => d.uuid).sort()).toEqual(['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222']);
    expect(found.every((d) => d.extension[EXT].patient.system === ID_CARD_SYSTEM)).toBe(true);
    expect(await store.forPatient(legacy)).toHaveLength(0);
    // Sent stays sent (no second delivery); the other identifier system is untouched.
    expect((await db.decisions.get('22222222-2222-4222-8222-222222222222'))!.state).toBe('sent');
    expect((await db.decisions.get('33333333-3333-4333-8333-333333333333'))!.patientKey).toBe(await patientKey({ system: 'urn:oid:1.2.3', value: 'other' }));
    expect(await db.decisions.count()).toBe(3);
    expect((await db.audit.toArray()).map((r) => r.event.patient.system)).toEqual([ID_CARD_SYSTEM]);

    // Once: a row written afterwards under …1.4 (a hospital's policy adapter) is left as configured.
    await store.save(decision('44444444-4444-4444-8444-444444444444', legacy));
    await migrateIdCardSystem(db);
    expect((await store.forPatient(legacy)).map((d) => d.uuid)).toEqual(['44444444-4444-4444-8444-444444444444']);
  });

  test('local settings: identifierSystem and the hospital’s adapters; other values kept', async () => {
    await fakeBrowser.storage.local.set({
      [SETTINGS_STORAGE_KEY]: {
        identifierSystem: LEGACY_ID_CARD_SYSTEM,
        receivingInstitution: 'zj-zxyy',
        adapters: [{ id: 'his', urlPatterns: ['^https://his\\.example/'], patient: { identifier: { selector: '#id' }, identifierSystem: LEGACY_ID_CARD_SYSTEM } }],
      },
    });
    await migrateIdCardSystem(new HurenDb(`mig-${++n}`));
    const s = await loadSettings();
    expect(s.identifierSystem).toBe(ID_CARD_SYSTEM);
    expect(s.adapters[0]!.patient.identifierSystem).toBe(ID_CARD_SYSTEM);
    expect(s.receivingInstitution).toBe('zj-zxyy');
  });
});
