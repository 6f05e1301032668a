import type { Decision } from '../shared/domain/decision';
import { CachedResultsSource } from '../shared/results/cached-source';
import { createFhirSource } from '../shared/results/fhir/fhir-source';
import { IdbAuditLog } from '../shared/audit/idb-audit-log';
import { idbEventOutbox, idbOutboxStore } from '../shared/outbox/idb-store';
import { endpointKey, EVENTS_STREAM, isHttpEndpoint } from '../shared/outbox/sender';
import { deliveryTarget } from '../shared/hub/delivery';
import { kickAfterSave, pageSender } from '../shared/outbox/page-sender';
import { outboxService } from '../shared/outbox/store';
import { IdbDecisionStore, IdbResultsCache } from '../shared/storage/idb-stores';
import { WidgetDb } from '../shared/storage/widget-db';
import { IdbConsentStore, IdbPaperStore } from '../shared/storage/paper-consent-stores';
import { loadPinyin } from './pinyin-loader';
import type { PanelServices } from '../shared/ui/panel/services';
import type { z } from 'zod';
import type { WidgetConfig } from './options';

import { WIDGET_DB } from './db-name';

export { WIDGET_DB };

/**
 * The parts of the panel's services that depend on the configuration only: the rule packs (which
 * may still be loading) and the callbacks are added by mount.
 */
export function widgetServices(config: z.output<typeof WidgetConfig>, onDecision?: (d: Decision) => void): Omit<PanelServices, 'packs'> & { dispose(): void } {
  // Plain IndexedDB, no Dexie (bundle budget): the layout of shared/storage/widget-db.ts.
  const db = new WidgetDb(WIDGET_DB);
  const store = idbOutboxStore(db);
  const delivery = deliveryTarget({ feedbackEndpoint: config.feedbackEndpoint, hubUrl: config.hub?.url, hubToken: config.hub?.token });
  const endpoint = delivery.endpoint && isHttpEndpoint(delivery.endpoint) ? delivery.endpoint : undefined;
  const { headers } = delivery;
  // Each decision and event is bound to the endpoint it was made for ('' = none): a host naming
  // another endpoint later (iframe mode: any host) never receives them.
  const target = endpoint ? endpointKey(endpoint) : '';
  // The outbox lives in the host's origin too; this page sends it (timer, online, after each save).
  const sender = endpoint ? pageSender({ store, endpoint, headers, bindToEndpoint: true }) : undefined;
  // The hub's other streams (prompted, viewed, opened, cited) go through their own outbox, the same way.
  const events = endpoint ? pageSender({ store: idbEventOutbox(db), endpoint, headers, stream: EVENTS_STREAM, bindToEndpoint: true }) : undefined;
  const decisions = new IdbDecisionStore(db, target);
  return {
    dispose: () => {
      sender?.release();
      events?.release();
    },
    source: new CachedResultsSource(createFhirSource({ baseUrl: config.fhirBaseUrl, token: config.token }), new IdbResultsCache(db)),
    receivingInstitution: config.receivingInstitution,
    decisions: sender ? kickAfterSave(decisions, sender.kick) : decisions,
    ...(sender ? { outbox: outboxService(store, sender.kick) } : {}),
    paper: new IdbPaperStore(db),
    loadInitials: loadPinyin,
    consent: { store: new IdbConsentStore(db), setting: config.consent },
    // 审计 in the hospital's own origin, beside its decisions (read by mountStats).
    audit: new IdbAuditLog(db, { hub: { hospital: () => (endpoint ? config.receivingInstitution : null), queued: () => events?.kick(), target } }),
    onDecision,
  };
}
export type { WidgetConfig };
