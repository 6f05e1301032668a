import { z } from 'zod';
import { browser, type Browser } from 'wxt/browser';
import { EncounterContext } from '../../shared/domain/encounter';
import { contextKey, MSG, type WhoamiReply } from '../messaging/protocol';

/** What the background keeps per tab in `storage.session`: nothing survives a browser restart. */
export const StoredContext = z.object({
  context: EncounterContext.nullable(),
  adapterId: z.string().optional(),
  updatedAt: z.string(),
});
export type StoredContext = z.infer<typeof StoredContext>;

const ContextFromPage = z.object({
  type: z.literal(MSG.context),
  context: EncounterContext.extend({ adapterId: z.string().max(64) }).nullable(),
});

type Sender = Browser.runtime.MessageSender;

function fromContentScript(sender: Sender): sender is Sender & { tab: { id: number } } {
  return sender.id === browser.runtime.id && typeof sender.tab?.id === 'number' && !sender.url?.startsWith(browser.runtime.getURL('/'));
}

function fromExtensionPage(sender: Sender): boolean {
  return sender.id === browser.runtime.id && !!sender.url?.startsWith(browser.runtime.getURL('/'));
}

/**
 * Handles one runtime message. Returns a promise for the reply, or undefined when the message
 * is not for us. Pure of globals: everything lives in storage.session, since MV3 workers die.
 */
export function handleMessage(message: unknown, sender: Sender): Promise<unknown> | undefined {
  const type = (message as { type?: unknown } | null)?.type;
  if (type === MSG.context) {
    if (!fromContentScript(sender)) return Promise.resolve({ ok: false });
    const parsed = ContextFromPage.safeParse(message);
    // A page that shows something we cannot read is treated as "no patient": never guess.
    const stored: StoredContext = parsed.success
      ? { context: parsed.data.context, adapterId: parsed.data.context?.adapterId, updatedAt: new Date().toISOString() }
      : { context: null, updatedAt: new Date().toISOString() };
    return browser.storage.session.set({ [contextKey(sender.tab.id)]: stored }).then(() => ({ ok: parsed.success }));
  }
  if (type === MSG.whoami) {
    if (!fromExtensionPage(sender) || typeof sender.tab?.id !== 'number') return Promise.resolve(null);
    const reply: WhoamiReply = { tabId: sender.tab.id };
    return Promise.resolve(reply);
  }
  return undefined;
}

export function forgetTab(tabId: number): Promise<void> {
  return browser.storage.session.remove(contextKey(tabId));
}
