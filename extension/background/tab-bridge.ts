import { z } from 'zod';
import { browser } from 'wxt/browser';
import { frameReader, mergeParts, type FramePart } from '../content/site-adapter';
import {
  MSG,
  NOTE_TEXT_MAX,
  type AdapterReadout,
  type AdapterTestReply,
  type FrameReadout,
  type NoteAvailableReply,
  type OkReply,
  type RunAdapterMessage,
  type SidebarLayout,
} from '../messaging/protocol';
import { loadSettings } from '../settings/settings';
import { parseAdapters } from '../settings/site-adapter-schema';
import { readTabFrames } from './context-store';
import { noteFrame } from './frame-merge';
import { fromExtensionPage, fromSidebar, messageType, type MessageHandler } from './senders';
import { rememberCollapsed, sidebarLayout } from './sidebar-layout';
import { fromBoundSidebar } from './sidebar-auth';

/**
 * Relays requests from the sidebar (and the options page) to the content scripts of the tab.
 * The sidebar cannot talk to the page itself: it is another origin, and the page must not learn
 * what the sidebar knows. Only the requested action and the answer cross.
 */
const SetCollapsed = z.object({ type: z.literal(MSG.setCollapsed), collapsed: z.boolean() });
const InsertNote = z.object({ type: z.literal(MSG.insertNote), text: z.string().min(1).max(NOTE_TEXT_MAX) });
const TestAdapter = z.object({ type: z.literal(MSG.testAdapter), tabId: z.number().int().nonnegative(), adapter: z.unknown() });

function toFrame<T>(tabId: number, frameId: number, message: unknown): Promise<T | undefined> {
  return browser.tabs.sendMessage(tabId, message, { frameId }).then(
    (reply) => reply as T | undefined,
    () => undefined, // no content script there (page reloading, origin not enabled)
  );
}

/** The frame holding the note field, as the frames last reported. */
async function noteFrameOf(tabId: number): Promise<number> {
  return noteFrame(await readTabFrames(tabId));
}

export const handleTabBridgeMessage: MessageHandler = (message, sender) => {
  switch (messageType(message)) {
    case MSG.setCollapsed: {
      const parsed = SetCollapsed.safeParse(message);
      if (!fromSidebar(sender) || !parsed.success) return Promise.resolve({ ok: false } satisfies OkReply);
      const { id: tabId, url } = sender.tab;
      return fromBoundSidebar(sender).then(async (bound) => {
        if (!bound) return { ok: false };
        await rememberCollapsed(url, parsed.data.collapsed);
        return { ok: (await toFrame<OkReply>(tabId, 0, parsed.data))?.ok === true };
      });
    }
    case MSG.sidebarState: {
      if (!fromSidebar(sender)) return Promise.resolve({ mode: 'overlay', size: 'normal', collapsed: false } satisfies SidebarLayout);
      const url = sender.tab.url;
      return loadSettings().then((settings) => sidebarLayout(settings, url));
    }
    case MSG.insertNote: {
      const parsed = InsertNote.safeParse(message);
      if (!fromSidebar(sender) || !parsed.success) return Promise.resolve({ ok: false } satisfies OkReply);
      const tabId = sender.tab.id;
      return fromBoundSidebar(sender).then(async (bound) => {
        if (!bound) return { ok: false };
        return { ok: (await toFrame<OkReply>(tabId, await noteFrameOf(tabId), parsed.data))?.ok === true };
      });
    }
    case MSG.noteAvailable: {
      if (!fromSidebar(sender)) return Promise.resolve({ available: false } satisfies NoteAvailableReply);
      const tabId = sender.tab.id;
      return fromBoundSidebar(sender).then(async (bound) => {
        if (!bound) return { available: false };
        return { available: (await toFrame<NoteAvailableReply>(tabId, await noteFrameOf(tabId), { type: MSG.noteAvailable }))?.available === true };
      });
    }
    case MSG.testAdapter:
      return fromExtensionPage(sender) ? testAdapter(message) : Promise.resolve({ ok: false, error: 'no-tab' } satisfies AdapterTestReply);
    default:
      return undefined;
  }
};

/**
 * The options page's "test on a tab": each frame the tab's content scripts run in reads its share
 * of the adapter being edited (not yet saved), and the answers are put together as the real
 * merge would. Identifiers come back masked.
 */
async function testAdapter(message: unknown): Promise<AdapterTestReply> {
  const parsed = TestAdapter.safeParse(message);
  if (!parsed.success) return { ok: false, error: 'no-tab' };
  const adapters = parseAdapters(parsed.data.adapter);
  if (!adapters.ok) return { ok: false, error: 'invalid-adapter', problems: adapters.problems };
  const adapter = adapters.adapters[0]!;
  const tabId = parsed.data.tabId;
  const tab = await browser.tabs.get(tabId).catch(() => undefined);
  if (!tab) return { ok: false, error: 'no-tab' };
  const url = tab.url ?? '';
  const urlMatches = adapter.urlPatterns.some((p) => new RegExp(p).test(url));
  const known = Object.entries((await readTabFrames(tabId)).frames).map(([id, f]) => ({ frameId: Number(id), where: f.where }));
  if (!known.some((f) => f.frameId === 0)) known.unshift({ frameId: 0, where: url });
  const answers: { where: string; readout: FrameReadout }[] = [];
  for (const frame of known) {
    const reader = frameReader(adapter, frame.where, frame.frameId === 0);
    if (!reader) continue;
    const run: RunAdapterMessage = { type: MSG.runAdapter, reader };
    const readout = await toFrame<FrameReadout>(tabId, frame.frameId, run);
    if (readout) answers.push({ where: frame.where, readout });
  }
  if (answers.length === 0) return { ok: false, error: 'no-content-script' };
  return { ok: true, urlMatches, readout: combine(adapter, answers) };
}

function combine(adapter: Parameters<typeof mergeParts>[0], answers: { where: string; readout: FrameReadout }[]): AdapterReadout {
  const parts: FramePart[] = answers.map((a) => a.readout.part);
  const context = mergeParts(adapter, parts);
  const fields = Object.assign({}, ...parts.map((p) => p.fields)) as FramePart['fields'];
  return {
    patientFound: !!context,
    identifierMasked: fields.identifier,
    name: fields.name,
    gender: fields.gender,
    age: fields.age,
    physician: fields.physician,
    department: fields.department,
    orders: context?.orders ?? parts.find((p) => p.orders)?.orders ?? [],
    noteFound: parts.some((p) => p.note),
    frames: answers.flatMap((a) => a.readout.frames),
    reporting: answers.map((a) => ({ where: a.where, fields: [...Object.keys(a.readout.part.fields), ...(a.readout.part.orders ? ['orders'] : []), ...(a.readout.part.note ? ['note'] : [])] })),
  };
}
