import { browser } from 'wxt/browser';
import { CachedResultsSource } from '../../shared/results/cached-source';
import { createCdaSource } from '../../shared/results/cda/cda-source';
import { createFhirSource } from '../../shared/results/fhir/fhir-source';
import { SourceError, type ResultsSource } from '../../shared/results/source';
import type { RulePack } from '../../shared/rules';
import type { PanelServices } from '../../shared/ui/panel/services';
import { watchSidebarVisibility } from '../../shared/ui/panel/visibility';
import { MSG, type NoteAvailableReply, type OkReply } from '../messaging/protocol';
import type { Settings } from '../settings/settings';
import { remoteAuditLog, remoteConsentStore, remoteDecisionStore, remoteOutbox, remotePaperStore, remoteResultsCache } from './remote-stores';

/** Asks the content script (through the background) whether the EMR page names a note field. */
export async function noteFieldAvailable(): Promise<boolean> {
  const reply = (await browser.runtime.sendMessage({ type: MSG.noteAvailable }).catch(() => undefined)) as NoteAvailableReply | undefined;
  return reply?.available === true;
}

async function insertIntoNote(text: string): Promise<boolean> {
  const reply = (await browser.runtime.sendMessage({ type: MSG.insertNote, text })) as OkReply | undefined;
  return reply?.ok === true;
}

/** The platform source the settings choose: FHIR R4, or WS/T 500 documents (CDA) when configured. */
export function resultsSource(settings: Settings): ResultsSource {
  if (settings.resultsSource === 'cda') {
    if (settings.cdaSource) return createCdaSource({ ...settings.cdaSource, token: settings.token });
    // Chosen (e.g. by policy) but not configured: say so rather than ask another platform.
    return { id: 'cda:unconfigured', fetchResults: () => Promise.reject(new SourceError('bad-response', 'CDA source chosen but not configured (cdaSource)')) };
  }
  return createFhirSource({ baseUrl: settings.fhirBaseUrl, token: settings.token, identifierSystem: settings.identifierSystem });
}

/**
 * The extension's panel services. The sidebar asks the platform itself (extension pages need
 * no CORS), but stores nothing itself: results cache, decisions (the outbox) and the audit
 * trail live in the background's extension-origin IndexedDB. Citations reach the page only on
 * the physician's click.
 */
export function sidebarServices(settings: Settings, packs: readonly RulePack[], noteAvailable: boolean): PanelServices {
  return {
    source: new CachedResultsSource(resultsSource(settings), remoteResultsCache),
    packs,
    receivingInstitution: settings.receivingInstitution,
    decisions: remoteDecisionStore,
    audit: remoteAuditLog,
    outbox: remoteOutbox,
    // The EMR page frames the sidebar: a decision counts only from a card the physician can see.
    watchVisibility: watchSidebarVisibility,
    paper: remotePaperStore,
    // pinyin-pro is large: its own chunk, loaded when the paper entry opens.
    loadInitials: () => import('../../shared/paper/pinyin').then((m) => m.initials),
    consent: { store: remoteConsentStore, setting: { required: settings.consentRequired, rememberHours: settings.consentRememberHours } },
    ...(noteAvailable ? { insertIntoNote } : {}),
  };
}
