import { browser } from 'wxt/browser';
import { CachedResultsSource } from '../../shared/results/cached-source';
import { createFhirSource } from '../../shared/results/fhir/fhir-source';
import { DexieDecisionStore } from '../../shared/storage/decision-store';
import { HurenDb } from '../../shared/storage/db';
import { ResultsCache } from '../../shared/storage/results-cache';
import type { RulePack } from '../../shared/rules';
import type { PanelServices } from '../../shared/ui/panel/services';
import { MSG } from '../messaging/protocol';
import type { Settings } from '../settings/settings';

/**
 * The extension's panel services: results cached and decisions stored in the extension's own
 * IndexedDB (this page is extension-origin), citations sent to the page only on request.
 */
export function sidebarServices(settings: Settings, packs: readonly RulePack[]): PanelServices {
  const db = new HurenDb();
  const fhir = createFhirSource({ baseUrl: settings.fhirBaseUrl, token: settings.token });
  return {
    source: new CachedResultsSource(fhir, new ResultsCache({ db })),
    packs,
    receivingInstitution: settings.receivingInstitution,
    decisions: new DexieDecisionStore(db),
    insertIntoNote: async (text) => {
      const reply = (await browser.runtime.sendMessage({ type: MSG.insertNote, text })) as { ok?: boolean } | undefined;
      return reply?.ok === true;
    },
  };
}
