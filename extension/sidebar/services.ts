import { browser } from 'wxt/browser';
import { DexieAuditLog } from '../../shared/audit/dexie-audit-log';
import { CachedResultsSource } from '../../shared/results/cached-source';
import { createFhirSource } from '../../shared/results/fhir/fhir-source';
import { DexieDecisionStore } from '../../shared/storage/decision-store';
import { HurenDb } from '../../shared/storage/db';
import { ResultsCache } from '../../shared/storage/results-cache';
import type { RulePack } from '../../shared/rules';
import type { PanelServices } from '../../shared/ui/panel/services';
import { MSG, type NoteAvailableReply, type OkReply } from '../messaging/protocol';
import type { Settings } from '../settings/settings';

/** Asks the content script (through the background) whether the EMR page names a note field. */
export async function noteFieldAvailable(): Promise<boolean> {
  const reply = (await browser.runtime.sendMessage({ type: MSG.noteAvailable }).catch(() => undefined)) as NoteAvailableReply | undefined;
  return reply?.available === true;
}

async function insertIntoNote(text: string): Promise<boolean> {
  const reply = (await browser.runtime.sendMessage({ type: MSG.insertNote, text })) as OkReply | undefined;
  return reply?.ok === true;
}

/**
 * The extension's panel services: results cached and decisions stored in the extension's own
 * IndexedDB (this page is extension-origin), citations sent to the page only on request.
 */
export function sidebarServices(settings: Settings, packs: readonly RulePack[], noteAvailable: boolean): PanelServices {
  const db = new HurenDb();
  const fhir = createFhirSource({ baseUrl: settings.fhirBaseUrl, token: settings.token, identifierSystem: settings.identifierSystem });
  return {
    source: new CachedResultsSource(fhir, new ResultsCache({ db })),
    packs,
    receivingInstitution: settings.receivingInstitution,
    decisions: new DexieDecisionStore(db),
    // 审计: extension-origin IndexedDB; old events purged on the first record (retention in the stats page).
    audit: new DexieAuditLog(db),
    ...(noteAvailable ? { insertIntoNote } : {}),
  };
}
