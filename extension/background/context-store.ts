import { z } from 'zod';
import { browser } from 'wxt/browser';
import { EncounterContext } from '../../shared/domain/encounter';
import { contextKey, MSG, type ContextReply, type RefreshMessage, type ShowSidebarMessage, type WhoamiReply } from '../messaging/protocol';
import { loadSettings } from '../settings/settings';
import { chooseAdapter } from './adapter-lookup';
import { applyReport, emptyTab, FramePartSchema, whereOf, type TabFrames } from './frame-merge';
import { fromContentScript, fromSidebar, messageType, type Sender } from './senders';
import { sidebarLayout } from './sidebar-layout';
import { claimSidebar, forgetSidebar, issueSidebarKey } from './sidebar-auth';

/** What the background keeps per tab in `storage.session`: nothing survives a browser restart. */
export const StoredContext = z.object({
  context: EncounterContext.nullable(),
  adapterId: z.string().optional(),
  updatedAt: z.string(),
});
export type StoredContext = z.infer<typeof StoredContext>;

/** Key of a tab's frames and their last reports in `storage.session`. */
export const framesKey = (tabId: number) => `frames:${tabId}`;

const ContextFromFrame = z.object({ type: z.literal(MSG.context), part: FramePartSchema.nullable() });

export async function readTabFrames(tabId: number): Promise<TabFrames> {
  const value = (await browser.storage.session.get(framesKey(tabId)))[framesKey(tabId)] as TabFrames | undefined;
  return value && typeof value === 'object' && value.frames ? value : emptyTab();
}

/**
 * One tab's reports are applied one after another (read, merge, write): two frames reporting at
 * the same moment must not overwrite each other. Only promises in flight live here; the state
 * itself is in storage.session, since MV3 workers stop.
 */
const queues = new Map<number, Promise<unknown>>();
export function perTab<T>(tabId: number, work: () => Promise<T>): Promise<T> {
  const run = (queues.get(tabId) ?? Promise.resolve()).then(work, work);
  const settled = run.catch(() => undefined);
  queues.set(tabId, settled);
  void settled.then(() => queues.get(tabId) === settled && queues.delete(tabId));
  return run;
}

/**
 * Handles context and whoami messages. Returns a promise for the reply, or undefined when the
 * message is not for us.
 */
export function handleMessage(message: unknown, sender: Sender): Promise<unknown> | undefined {
  const type = messageType(message);
  if (type === MSG.context) {
    if (!fromContentScript(sender)) return Promise.resolve({ ok: false });
    const tabId = sender.tab.id;
    return perTab(tabId, () => storeReport(message, sender, tabId));
  }
  if (type === MSG.whoami) {
    // Only the sidebar Huren's content script injected (it holds the tab's one-time key) learns its tab.
    if (!fromSidebar(sender)) return Promise.resolve(null);
    const tabId = sender.tab.id;
    return claimSidebar(sender, (message as { key?: unknown }).key).then((ok) => (ok ? ({ tabId } satisfies WhoamiReply) : null));
  }
  return undefined;
}

async function storeReport(message: unknown, sender: Sender & { tab: { id: number } }, tabId: number): Promise<ContextReply> {
  const parsed = ContextFromFrame.safeParse(message);
  const frameId = sender.frameId ?? 0;
  const where = whereOf(sender.url);
  const settings = await loadSettings();
  // The adapter is chosen by the tab's (top page's) address, whichever frame reports.
  const adapter = chooseAdapter(settings, sender.tab.url ?? (frameId === 0 ? (sender.url ?? '') : ''));
  const layout = frameId === 0 ? await sidebarLayout(settings, sender.tab.url) : undefined;
  if (!where || !adapter) {
    await writeContext(tabId, null, undefined);
    return { ok: parsed.success, open: false, layout };
  }
  // A report we cannot read counts as "this frame shows nothing": never guessed.
  const part = parsed.success ? parsed.data.part : null;
  const outcome = applyReport(adapter, await readTabFrames(tabId), { frameId, documentId: sender.documentId, where, part });
  await browser.storage.session.set({ [framesKey(tabId)]: outcome.state });
  const candidate = outcome.context && EncounterContext.safeParse(outcome.context);
  const context = candidate?.success ? await withUserFallback(candidate.data, settings) : null;
  await writeContext(tabId, context, adapter.id);
  if (outcome.switched) void askFramesToReport(tabId);
  if (frameId !== 0) void tellTopFrame(tabId, context !== null, await sidebarLayout(settings, sender.tab.url));
  const open = context !== null;
  return { ok: parsed.success, open, layout, ...(open && frameId === 0 ? { sidebarKey: await issueSidebarKey(tabId) } : {}) };
}

/** Physician and department from the options page when the EMR page does not show them. */
function withUserFallback(context: EncounterContext, settings: { physician?: string; department?: string }): EncounterContext {
  if (context.user.physician && context.user.department) return context;
  return { ...context, user: { physician: context.user.physician ?? settings.physician, department: context.user.department ?? settings.department } };
}

/** Writes the tab's encounter only when it changed (the sidebar reacts to every write). */
async function writeContext(tabId: number, context: EncounterContext | null, adapterId: string | undefined): Promise<void> {
  const key = contextKey(tabId);
  const previous = (await browser.storage.session.get(key))[key] as StoredContext | undefined;
  if (previous && JSON.stringify(previous.context) === JSON.stringify(context) && previous.adapterId === adapterId) return;
  const stored: StoredContext = { context, ...(adapterId && context ? { adapterId } : {}), updatedAt: new Date().toISOString() };
  await browser.storage.session.set({ [key]: stored });
}

/** Every frame of the tab reads again and reports (even if unchanged): used after a patient switch. */
function askFramesToReport(tabId: number): Promise<void> {
  const message: RefreshMessage = { type: MSG.refresh };
  return browser.tabs.sendMessage(tabId, message).then(
    () => undefined,
    () => undefined, // no content script in the tab (any more)
  );
}

async function tellTopFrame(tabId: number, open: boolean, layout: ShowSidebarMessage['layout']): Promise<void> {
  const message: ShowSidebarMessage = { type: MSG.showSidebar, open, layout, ...(open ? { sidebarKey: await issueSidebarKey(tabId) } : {}) };
  return browser.tabs.sendMessage(tabId, message, { frameId: 0 }).then(
    () => undefined,
    () => undefined,
  );
}

/**
 * A tab started loading or changed its URL. Unless the new URL is visible and on the EMR page's
 * own origin (an SPA route change: the content script re-reads on its next mutation), the
 * encounter and the sidebar binding are dropped at once: an origin without host access never
 * reports (its URL is not even visible here), so nothing of the previous patient may outlive the
 * page; an EMR page that reloads reports again when loaded.
 */
export async function forgetNavigated(tabId: number, url: string | undefined): Promise<void> {
  if (url !== undefined) {
    const frames = await readTabFrames(tabId);
    const top = frames.frames[0]?.where;
    // Same origin (a route change in the EMR): its content script will report what it shows now.
    if (top && whereOf(url) !== undefined && originOf(top) === originOf(url)) return;
  }
  await perTab(tabId, () => forgetTab(tabId));
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export async function forgetTab(tabId: number): Promise<void> {
  await browser.storage.session.remove([contextKey(tabId), framesKey(tabId)]);
  await forgetSidebar(tabId);
}
