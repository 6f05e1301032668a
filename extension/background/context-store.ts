import { z } from 'zod';
import { browser } from 'wxt/browser';
import { EncounterContext } from '../../shared/domain/encounter';
import { contextKey, MSG, type WhoamiReply } from '../messaging/protocol';
import { loadSettings } from '../settings/settings';
import { fromContentScript, fromSidebar, messageType, type Sender } from './senders';

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

/** Physician and department from the options page when the EMR page does not show them. */
async function withUserFallback(context: EncounterContext): Promise<EncounterContext> {
  if (context.user.physician && context.user.department) return context;
  const settings = await loadSettings();
  return {
    ...context,
    user: {
      physician: context.user.physician ?? settings.physician,
      department: context.user.department ?? settings.department,
    },
  };
}

/**
 * Handles context and whoami messages. Returns a promise for the reply, or undefined when the
 * message is not for us. Pure of globals: everything lives in storage.session, since MV3 workers die.
 */
export function handleMessage(message: unknown, sender: Sender): Promise<unknown> | undefined {
  const type = messageType(message);
  if (type === MSG.context) {
    if (!fromContentScript(sender)) return Promise.resolve({ ok: false });
    return storeContext(message, sender.tab.id);
  }
  if (type === MSG.whoami) {
    if (!fromSidebar(sender)) return Promise.resolve(null);
    const reply: WhoamiReply = { tabId: sender.tab.id };
    return Promise.resolve(reply);
  }
  return undefined;
}

async function storeContext(message: unknown, tabId: number): Promise<{ ok: boolean }> {
  const parsed = ContextFromPage.safeParse(message);
  const now = new Date().toISOString();
  // A page that shows something we cannot read is treated as "no patient": never guess.
  let stored: StoredContext = { context: null, updatedAt: now };
  if (parsed.success && parsed.data.context) {
    const { adapterId, ...context } = parsed.data.context;
    stored = { context: await withUserFallback(context), adapterId, updatedAt: now };
  }
  await browser.storage.session.set({ [contextKey(tabId)]: stored });
  return { ok: parsed.success };
}

export function forgetTab(tabId: number): Promise<void> {
  return browser.storage.session.remove(contextKey(tabId));
}
