/** The hub's CDS service path, below its base URL: decisions go to `{service}/feedback`, events to `{service}/events`. */
export const HUB_CDS_SERVICE = '/cds-services/huren';

export interface DeliveryTarget {
  /** CDS service base URL, or undefined when nothing is configured (decisions then wait here). */
  endpoint?: string;
  /** The bearer token, sent only to the hub's own origin. */
  headers?: Record<string, string>;
}

/**
 * Where decisions and events go: an explicit feedback endpoint wins; else the hub's CDS service.
 * The hub token travels only to the hub's origin, never to another endpoint.
 */
export function deliveryTarget(settings: { feedbackEndpoint?: string; hubUrl?: string; hubToken?: string }): DeliveryTarget {
  const hub = settings.hubUrl?.replace(/\/+$/, '');
  const endpoint = settings.feedbackEndpoint ?? (hub ? `${hub}${HUB_CDS_SERVICE}` : undefined);
  if (!endpoint) return {};
  const sameOrigin = !!hub && safeOrigin(endpoint) === safeOrigin(hub);
  return sameOrigin && settings.hubToken ? { endpoint, headers: { authorization: `Bearer ${settings.hubToken}` } } : { endpoint };
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
