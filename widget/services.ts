import type { Decision } from '../shared/domain/decision';
import { CachedResultsSource } from '../shared/results/cached-source';
import { createFhirSource } from '../shared/results/fhir/fhir-source';
import { DexieAuditLog } from '../shared/audit/dexie-audit-log';
import { kickAfterSave, pageSender } from '../shared/outbox/page-sender';
import { dexieOutbox } from '../shared/outbox/status';
import { DexieDecisionStore } from '../shared/storage/decision-store';
import { HurenDb } from '../shared/storage/db';
import { ResultsCache } from '../shared/storage/results-cache';
import type { PanelServices } from '../shared/ui/panel/services';
import type { z } from 'zod';
import type { WidgetConfig } from './options';

import { WIDGET_DB } from './db-name';

export { WIDGET_DB };

/**
 * The parts of the panel's services that depend on the configuration only: the rule packs (which
 * may still be loading) and the callbacks are added by mount.
 */
export function widgetServices(config: z.output<typeof WidgetConfig>, onDecision?: (d: Decision) => void): Omit<PanelServices, 'packs'> {
  const db = new HurenDb(WIDGET_DB);
  // The outbox lives in the host's origin too; this page sends it (timer, online, after each save).
  const sender = config.feedbackEndpoint ? pageSender({ db, endpoint: config.feedbackEndpoint }) : undefined;
  const decisions = new DexieDecisionStore(db);
  return {
    source: new CachedResultsSource(createFhirSource({ baseUrl: config.fhirBaseUrl, token: config.token }), new ResultsCache({ db })),
    receivingInstitution: config.receivingInstitution,
    decisions: sender ? kickAfterSave(decisions, sender.kick) : decisions,
    ...(sender ? { outbox: dexieOutbox(db, sender.kick) } : {}),
    // 审计 in the hospital's own origin, beside its decisions (read by mountStats).
    audit: new DexieAuditLog(db),
    onDecision,
  };
}
export type { WidgetConfig };
