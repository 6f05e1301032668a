import { z } from 'zod';
import { browser } from 'wxt/browser';
import {
  MSG,
  NOTE_TEXT_MAX,
  type AdapterReadout,
  type AdapterTestReply,
  type NoteAvailableReply,
  type OkReply,
  type RunAdapterMessage,
} from '../messaging/protocol';
import { parseAdapters } from '../settings/site-adapter-schema';
import { fromExtensionPage, fromSidebar, messageType, type MessageHandler } from './senders';

/**
 * Relays requests from the sidebar (and the options page) to the content script in the tab's
 * top frame. The sidebar cannot talk to the page itself: it is another origin, and the page
 * must not learn what the sidebar knows. Only the requested action and the answer cross.
 */
const SetCollapsed = z.object({ type: z.literal(MSG.setCollapsed), collapsed: z.boolean() });
const InsertNote = z.object({ type: z.literal(MSG.insertNote), text: z.string().min(1).max(NOTE_TEXT_MAX) });
const TestAdapter = z.object({ type: z.literal(MSG.testAdapter), tabId: z.number().int().nonnegative(), adapter: z.unknown() });

function toTopFrame<T>(tabId: number, message: unknown): Promise<T | undefined> {
  return browser.tabs.sendMessage(tabId, message, { frameId: 0 }).then(
    (reply) => reply as T | undefined,
    () => undefined, // no content script there (page reloading, origin not enabled)
  );
}

export const handleTabBridgeMessage: MessageHandler = (message, sender) => {
  switch (messageType(message)) {
    case MSG.setCollapsed: {
      const parsed = SetCollapsed.safeParse(message);
      if (!fromSidebar(sender) || !parsed.success) return Promise.resolve({ ok: false } satisfies OkReply);
      return toTopFrame<OkReply>(sender.tab.id, parsed.data).then((r) => ({ ok: r?.ok === true }));
    }
    case MSG.insertNote: {
      const parsed = InsertNote.safeParse(message);
      if (!fromSidebar(sender) || !parsed.success) return Promise.resolve({ ok: false } satisfies OkReply);
      return toTopFrame<OkReply>(sender.tab.id, parsed.data).then((r) => ({ ok: r?.ok === true }));
    }
    case MSG.noteAvailable: {
      if (!fromSidebar(sender)) return Promise.resolve({ available: false } satisfies NoteAvailableReply);
      return toTopFrame<NoteAvailableReply>(sender.tab.id, { type: MSG.noteAvailable }).then((r) => ({ available: r?.available === true }));
    }
    case MSG.testAdapter:
      return fromExtensionPage(sender) ? testAdapter(message) : Promise.resolve({ ok: false, error: 'no-tab' } satisfies AdapterTestReply);
    default:
      return undefined;
  }
};

async function testAdapter(message: unknown): Promise<AdapterTestReply> {
  const parsed = TestAdapter.safeParse(message);
  if (!parsed.success) return { ok: false, error: 'no-tab' };
  const adapters = parseAdapters(parsed.data.adapter);
  if (!adapters.ok) return { ok: false, error: 'invalid-adapter', problems: adapters.problems };
  const adapter = adapters.adapters[0]!;
  const tab = await browser.tabs.get(parsed.data.tabId).catch(() => undefined);
  if (!tab) return { ok: false, error: 'no-tab' };
  const url = tab.url ?? '';
  const urlMatches = adapter.urlPatterns.some((p) => new RegExp(p).test(url));
  const run: RunAdapterMessage = { type: MSG.runAdapter, adapter };
  const readout = await toTopFrame<AdapterReadout>(parsed.data.tabId, run);
  return readout ? { ok: true, urlMatches, readout } : { ok: false, error: 'no-content-script' };
}
