import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handleStorageMessage } from '../../../extension/background/storage-bridge';
import { claimSidebar, issueSidebarKey } from '../../../extension/background/sidebar-auth';
import { STORE } from '../../../extension/storage-bridge/protocol';
import { makeDecision } from '../../../shared/decisions/make-decision';
import { cardId } from '../../../shared/decisions/card-id';
import type { DecisionContext } from '../../../shared/domain/decision';
import { chestCt, wbc, zhang } from '../ui/fixtures';
import { contextKey } from '../../../extension/messaging/protocol';
import type { EncounterContext } from '../../../shared/domain/encounter';
import { idCardCheckChar } from '../../../shared/domain/patient-check';

const EXT = 'chrome-extension://test-extension-id/';
const fromSidebar = { id: fakeBrowser.runtime.id, tab: { id: 3, url: 'http://127.0.0.1:8787/emr/' } as never, frameId: 4, documentId: 'sidebar-doc', url: `${EXT}sidebar.html` };
const fromPage = { id: fakeBrowser.runtime.id, tab: { id: 3 } as never, url: 'http://127.0.0.1:8787/emr/' };
const patient = { system: 'urn:oid:2.16.156.10011.1.4', value: '440802197003150017' };
const about: DecisionContext = {
  patient,
  item: { id: 'ct-chest', name: '胸部CT', category: 'imaging' },
  result: { id: chestCt.id, reportNumber: 'CT1', date: '2026-11-10' },
  issuer: { id: 'zj-zxyy', name: '湛江中心人民医院' },
  practitioner: { physician: '李明', department: '心血管内科' },
  pack: { id: 'demo', version: '2026.1-demo' },
  trigger: 'patient-view',
};

const ask = (message: unknown, sender: object = fromSidebar) => handleStorageMessage(message, sender as never);

/** What the tab's page shows now, as the background keeps it (context-store.ts). */
const showInTab = (context: EncounterContext | null) => fakeBrowser.storage.session.set({ [contextKey(3)]: { context, updatedAt: new Date().toISOString() } });

describe('background storage bridge (the sidebar keeps no storage of its own)', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    fakeBrowser.runtime.getURL = ((path: string) => EXT + path.replace(/^\//, '')) as never;
    // The sidebar Huren injected: it presented its tab's one-time key (sidebar-auth.ts).
    expect(await claimSidebar(fromSidebar as never, await issueSidebarKey(3))).toBe(true);
    await showInTab(zhang);
  });

  test('a decision saved through the bridge is read back for its patient only', async () => {
    const decision = makeDecision({ kind: 'recognize' }, cardId('demo', 'ct-chest', chestCt.id), about, { uuid: crypto.randomUUID(), now: new Date() });
    await expect(ask({ type: STORE.saveDecision, decision })).resolves.toEqual({ ok: true, value: true });
    await expect(ask({ type: STORE.decisionsFor, patient })).resolves.toEqual({ ok: true, value: [decision] });
    await expect(ask({ type: STORE.decisionsFor, patient: { ...patient, value: '44080219850621002X' } })).resolves.toEqual({ ok: true, value: [] });
    const status = (await ask({ type: STORE.outboxStatus })) as { ok: true; value: { pending: number } };
    expect(status.value.pending).toBeGreaterThanOrEqual(1);
  });

  test('the results cache round-trips through the bridge', async () => {
    const fetch = { patientFound: true, patient: { names: ['张伟'], gender: 'male' }, results: [wbc, chestCt], unreadable: 1, fetchedAt: new Date().toISOString() };
    await expect(ask({ type: STORE.cachePut, patient, fetch, sourceId: 'fhir:x' })).resolves.toEqual({ ok: true, value: true });
    const got = (await ask({ type: STORE.cacheGet, patient, sourceId: 'fhir:x' })) as { ok: true; value: { results: unknown[]; unreadable: number; patient: unknown } };
    expect(got.value.results).toHaveLength(2);
    // What the platform said about the patient comes back with the cached results (identity-checked in the panel).
    expect(got.value.patient).toEqual({ names: ['张伟'], gender: 'male' });
    expect(got.value.unreadable).toBe(1);
    await expect(ask({ type: STORE.cacheGet, patient, sourceId: 'fhir:other' })).resolves.toEqual({ ok: true, value: null });
  });

  test('a content script (or the page behind it) cannot use it', async () => {
    await expect(ask({ type: STORE.decisionsFor, patient }, fromPage)).resolves.toEqual({ ok: false, error: 'forbidden' });
  });

  test('malformed requests are refused by path, and nothing is stored', async () => {
    const other = { ...patient, value: '440802199001010011' };
    const bad = { ...makeDecision({ kind: 'recognize' }, cardId('demo', 'x', 'y'), { ...about, patient: other }, { uuid: crypto.randomUUID(), now: new Date() }), outcome: 'maybe' };
    await expect(ask({ type: STORE.saveDecision, decision: bad })).resolves.toEqual({ ok: false, error: 'invalid: decision.outcome' });
    await expect(ask({ type: STORE.decisionsFor, patient: other })).resolves.toEqual({ ok: true, value: [] });
  });

  test('a decision is stored only for the patient the tab shows, and not when that patient contradicts its 身份证号', async () => {
    const decide = () => makeDecision({ kind: 'recognize' }, cardId('demo', 'ct-chest', chestCt.id), about, { uuid: crypto.randomUUID(), now: new Date() });
    // The tab shows another patient now (a switch the sidebar has not caught up with).
    await showInTab({ ...zhang, patient: { ...zhang.patient, identifier: { ...patient, value: '44080219850621002X' }, name: '王芳', gender: '女', age: '41岁' } });
    await expect(ask({ type: STORE.saveDecision, decision: decide() })).resolves.toEqual({ ok: false, error: 'wrong-patient' });
    // No patient in the tab.
    await showInTab(null);
    await expect(ask({ type: STORE.saveDecision, decision: decide() })).resolves.toEqual({ ok: false, error: 'wrong-patient' });
    // The page shows a woman of 30 over a man's valid 身份证号, born 1970 (a hidden element carried it).
    const man = { ...patient, value: `44080219700315001${idCardCheckChar('44080219700315001')}` };
    await showInTab({ ...zhang, patient: { identifier: man, name: '李娜', gender: '女', age: '30岁' } });
    const forMan = makeDecision({ kind: 'recognize' }, cardId('demo', 'ct-chest', chestCt.id), { ...about, patient: man }, { uuid: crypto.randomUUID(), now: new Date() });
    await expect(ask({ type: STORE.saveDecision, decision: forMan })).resolves.toEqual({ ok: false, error: 'wrong-patient' });
    await expect(ask({ type: STORE.decisionsFor, patient: man })).resolves.toEqual({ ok: true, value: [] });
    // The same number under the man it belongs to is stored.
    await showInTab({ ...zhang, patient: { identifier: man, name: '张伟', gender: '男', age: `${new Date().getUTCFullYear() - 1970 - (new Date().toISOString().slice(5, 10) < '03-15' ? 1 : 0)}岁` } });
    await expect(ask({ type: STORE.saveDecision, decision: forMan })).resolves.toEqual({ ok: true, value: true });
  });

  test('other messages are left to other handlers', () => {
    expect(ask({ type: 'huren/context' })).toBeUndefined();
  });
});
