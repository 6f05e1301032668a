import { browser } from 'wxt/browser';
import { MSG, type SyncHostsReply } from '../messaging/protocol';

/** The match pattern to request for an address typed in the options page (all ports, all paths). */
export function originPattern(address: string): string | undefined {
  const text = address.trim();
  if (!text) return undefined;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return `${url.protocol}//${url.hostname}/*`;
  } catch {
    return undefined;
  }
}

/** Hosts the manifest declares (the demo), shown but not removable. */
export function declaredHosts(): string[] {
  return (browser.runtime.getManifest().host_permissions as string[] | undefined) ?? [];
}

/** Asks the background to re-register the content script and returns the granted origins. */
export async function enabledOrigins(): Promise<string[]> {
  const reply = (await browser.runtime.sendMessage({ type: MSG.syncHosts })) as SyncHostsReply | undefined;
  return reply?.origins ?? [];
}

/**
 * Must be called straight from the click handler: the browser only shows its permission prompt
 * during a user gesture.
 */
export function requestOrigin(pattern: string): Promise<boolean> {
  return browser.permissions.request({ origins: [pattern] });
}

export function removeOrigin(pattern: string): Promise<boolean> {
  return browser.permissions.remove({ origins: [pattern] });
}
