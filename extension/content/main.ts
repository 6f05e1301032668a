import { browser } from 'wxt/browser';
import {
  MSG,
  NOTE_TEXT_MAX,
  type AdapterForMessage,
  type AdapterReply,
  type ContextMessage,
  type ContextReply,
  type InsertNoteMessage,
  type RunAdapterMessage,
  type SetCollapsedMessage,
  type ShowSidebarMessage,
  type SidebarLayout,
} from '../messaging/protocol';
import { canInsert, insertIntoNote } from './note';
import { readout } from './readout';
import { injectSidebar, type SidebarHost } from './sidebar-host';
import { frameDocument, framePaths, noteElement, readPart, type FrameReader } from './site-adapter';

/** Checks come at most this often while the page keeps changing … */
const DEBOUNCE_MS = 120;
/** … but the first change after a quiet spell is read at once (one frame later), so a patient switch shows without delay. */
const QUICK_MS = 16;

/**
 * Watches one frame of the EMR page (the top page, or a frame on an enabled origin) and hands
 * what it reads to the background, which merges the frames of a tab. Only the top frame shows
 * the sidebar, and only while the background says a patient is open in the tab.
 *
 * The adapter comes from the background (bundled, options page, hub or managed policy, validated
 * there) as this frame's share of it; asked again when the URL changes (SPA route changes are
 * noticed on the next DOM mutation: pushState cannot be hooked from the isolated world) and when
 * the background says the adapters changed.
 */
export function startContentScript(signal: AbortSignal): void {
  const isTop = window === window.top;
  let url: string | undefined;
  let readerReply: Promise<FrameReader | null> = Promise.resolve(null);
  let reader: FrameReader | null = null;
  let sidebar: SidebarHost | undefined;
  let layout: SidebarLayout = { mode: 'overlay', size: 'normal', collapsed: false };
  let lastSent: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastCheck = -Infinity;
  const watched = new WeakSet<Document>();
  /** Fields the physician has been in: there the caret (kept after focus moves to the sidebar) counts. */
  const focused = new WeakSet<EventTarget>();
  const onFocus = (e: Event) => void (e.target && focused.add(e.target));
  const observer = new MutationObserver(() => schedule());

  function schedule(): void {
    if (timer !== undefined || signal.aborted) return;
    const wait = lastCheck + DEBOUNCE_MS - performance.now();
    timer = setTimeout(() => void check(), Math.max(QUICK_MS, wait));
  }

  /** Observes one document (this frame's or a same-origin frame's), including its frames (re)loading. */
  function watch(doc: Document | undefined): void {
    if (!doc || watched.has(doc)) return;
    watched.add(doc);
    observer.observe(doc, { subtree: true, childList: true, characterData: true, attributes: true });
    // `load` does not bubble, but a capturing listener sees every iframe inside this document load.
    doc.addEventListener('load', schedule, true);
    doc.addEventListener('focusin', onFocus, true);
    // Form fields change without DOM mutations when typed into.
    doc.addEventListener('input', schedule, true);
    doc.addEventListener('change', schedule, true);
  }

  function showSidebar(open: boolean, key?: string): void {
    if (!isTop) return;
    // The one-time key proves to the background that this sidebar is the one Huren injected.
    if (open && !sidebar && key) sidebar = injectSidebar(`${browser.runtime.getURL('/sidebar.html')}#${key}`, layout);
    else if (!open && sidebar) {
      sidebar.remove();
      sidebar = undefined;
    }
  }

  function onShow(show: ShowSidebarMessage): void {
    layout = show.layout;
    showSidebar(show.open === true && !!reader, typeof show.sidebarKey === 'string' ? show.sidebarKey : undefined);
    sidebar?.apply(layout);
  }

  async function check(): Promise<void> {
    timer = undefined;
    lastCheck = performance.now();
    if (location.href !== url) {
      url = location.href;
      const message: AdapterForMessage = { type: MSG.adapterFor, url };
      readerReply = browser.runtime.sendMessage(message).then(
        (reply: AdapterReply | undefined) => reply?.reader ?? null,
        () => null, // background restarting: retried on the next URL change or refresh
      );
    }
    reader = await readerReply;
    if (signal.aborted) return;
    if (reader) for (const path of framePaths(reader)) for (let i = 1; i <= path.length; i++) watch(frameDocument(document, path.slice(0, i)));
    const part = reader ? readPart(document, reader) : null;
    const key = JSON.stringify(part);
    if (key !== lastSent) {
      lastSent = key;
      const message: ContextMessage = { type: MSG.context, part };
      browser.runtime.sendMessage(message).then(
        (reply: ContextReply | undefined) => {
          // The top frame learns from the reply whether the tab (all its frames together) shows a patient.
          if (reply?.layout && !signal.aborted) onShow({ type: MSG.showSidebar, open: reply.open === true, layout: reply.layout, sidebarKey: reply.sidebarKey });
        },
        () => {
          lastSent = undefined; // extension reloaded or background restarting: resend on the next change
        },
      );
    }
    if (!reader) showSidebar(false);
  }

  /** Requests the background forwards from the sidebar and the options page; all answered at once. */
  const onMessage = (message: unknown, sender: { id?: string }, sendResponse: (reply: unknown) => void): boolean => {
    if (sender.id !== browser.runtime.id) return false;
    const m = message as { type?: unknown } | null;
    switch (m?.type) {
      case MSG.showSidebar:
        onShow(m as ShowSidebarMessage);
        return false;
      case MSG.setCollapsed:
        layout = { ...layout, collapsed: (m as SetCollapsedMessage).collapsed === true };
        sidebar?.apply(layout);
        sendResponse({ ok: !!sidebar });
        return false;
      case MSG.refresh:
        // Ask for the adapter again and report even if nothing changed (another frame switched patient).
        url = undefined;
        lastSent = undefined;
        schedule();
        return false;
      case MSG.noteAvailable:
        sendResponse({ available: !!reader && canInsert(noteElement(document, reader)) });
        return false;
      case MSG.insertNote: {
        const text = (m as InsertNoteMessage).text;
        const el = reader ? noteElement(document, reader) : undefined;
        const ok = typeof text === 'string' && text.length <= NOTE_TEXT_MAX && canInsert(el) && insertIntoNote(el!, text, { atCaret: focused.has(el!) });
        sendResponse({ ok });
        return false;
      }
      case MSG.runAdapter:
        sendResponse(readout(document, (m as RunAdapterMessage).reader));
        return false;
      default:
        return false;
    }
  };
  browser.runtime.onMessage.addListener(onMessage);
  const onNavigate = () => schedule();
  window.addEventListener('popstate', onNavigate);
  window.addEventListener('hashchange', onNavigate);
  // A frame going away (removed, or navigating) takes its report with it.
  const onPageHide = () => {
    lastSent = undefined;
    void browser.runtime.sendMessage({ type: MSG.context, part: null } satisfies ContextMessage).catch(() => undefined);
  };
  window.addEventListener('pagehide', onPageHide);
  watch(document);
  void check();

  signal.addEventListener('abort', () => {
    observer.disconnect();
    if (timer !== undefined) clearTimeout(timer);
    browser.runtime.onMessage.removeListener(onMessage);
    window.removeEventListener('popstate', onNavigate);
    window.removeEventListener('hashchange', onNavigate);
    window.removeEventListener('pagehide', onPageHide);
    sidebar?.remove();
  });
}
