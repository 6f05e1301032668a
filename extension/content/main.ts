import { browser } from 'wxt/browser';
import {
  MSG,
  NOTE_TEXT_MAX,
  type AdapterForMessage,
  type AdapterReply,
  type ContextMessage,
  type InsertNoteMessage,
  type RunAdapterMessage,
  type SetCollapsedMessage,
} from '../messaging/protocol';
import { canInsert, insertIntoNote } from './note';
import { readout } from './readout';
import { injectSidebar, type SidebarHost } from './sidebar-host';
import { frameDocument, framePaths, noteElement, readContext, type SiteAdapter } from './site-adapter';

/** Checks come at most this often while the page keeps changing … */
const DEBOUNCE_MS = 120;
/** … but the first change after a quiet spell is read at once (one frame later), so a patient switch shows without delay. */
const QUICK_MS = 16;

/**
 * Watches the EMR page for the open patient and the orders being placed, hands what it reads to
 * the background, and shows the sidebar while a patient is open. Runs in the page's isolated world,
 * top frame only: fields inside same-origin frames are reached through the adapter's frame paths.
 *
 * The adapter comes from the background (bundled, options page or managed policy, validated
 * there), asked again whenever the URL changes: SPA route changes are noticed on the next DOM
 * mutation, since pushState cannot be hooked reliably from the isolated world.
 */
export function startContentScript(signal: AbortSignal): void {
  let url: string | undefined;
  let adapterReply: Promise<SiteAdapter | null> = Promise.resolve(null);
  let adapter: SiteAdapter | null = null;
  let sidebar: SidebarHost | undefined;
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

  /** Observes one document (top or frame), including its frames (re)loading. */
  function watch(doc: Document | undefined): void {
    if (!doc || watched.has(doc)) return;
    watched.add(doc);
    observer.observe(doc, { subtree: true, childList: true, characterData: true, attributes: true });
    // `load` does not bubble, but a capturing listener sees every iframe inside this document load.
    doc.addEventListener('load', schedule, true);
    doc.addEventListener('focusin', onFocus, true);
  }

  async function check(): Promise<void> {
    timer = undefined;
    lastCheck = performance.now();
    if (location.href !== url) {
      url = location.href;
      const message: AdapterForMessage = { type: MSG.adapterFor, url };
      adapterReply = browser.runtime.sendMessage(message).then(
        (reply: AdapterReply | undefined) => reply?.adapter ?? null,
        () => null, // background restarting: retried on the next URL change
      );
    }
    adapter = await adapterReply;
    if (signal.aborted) return;
    if (adapter) {
      for (const path of framePaths(adapter)) for (let i = 1; i <= path.length; i++) watch(frameDocument(document, path.slice(0, i)));
    }
    const context = adapter ? readContext(document, adapter) : undefined;
    const key = JSON.stringify(context ?? null);
    if (key !== lastSent) {
      lastSent = key;
      const message: ContextMessage = { type: MSG.context, context: context ?? null };
      browser.runtime.sendMessage(message).catch(() => {
        lastSent = undefined; // extension reloaded or background restarting: resend on the next change
      });
    }
    if (context && !sidebar) sidebar = injectSidebar(browser.runtime.getURL('/sidebar.html'));
    if (!adapter && sidebar) {
      sidebar.remove();
      sidebar = undefined;
    }
  }

  /** Requests the background forwards from the sidebar and the options page; all answered at once. */
  const onMessage = (message: unknown, sender: { id?: string }, sendResponse: (reply: unknown) => void): boolean => {
    if (sender.id !== browser.runtime.id) return false;
    const m = message as { type?: unknown } | null;
    switch (m?.type) {
      case MSG.setCollapsed:
        sidebar?.setCollapsed((m as SetCollapsedMessage).collapsed === true);
        sendResponse({ ok: !!sidebar });
        return false;
      case MSG.noteAvailable:
        sendResponse({ available: !!adapter && canInsert(noteElement(document, adapter)) });
        return false;
      case MSG.insertNote: {
        const text = (m as InsertNoteMessage).text;
        const el = adapter ? noteElement(document, adapter) : undefined;
        const ok = typeof text === 'string' && text.length <= NOTE_TEXT_MAX && canInsert(el) && insertIntoNote(el!, text, { atCaret: focused.has(el!) });
        sendResponse({ ok });
        return false;
      }
      case MSG.runAdapter:
        sendResponse(readout(document, (m as RunAdapterMessage).adapter));
        return false;
      default:
        return false;
    }
  };
  browser.runtime.onMessage.addListener(onMessage);
  const onNavigate = () => schedule();
  window.addEventListener('popstate', onNavigate);
  window.addEventListener('hashchange', onNavigate);
  watch(document);
  void check();

  signal.addEventListener('abort', () => {
    observer.disconnect();
    if (timer !== undefined) clearTimeout(timer);
    browser.runtime.onMessage.removeListener(onMessage);
    window.removeEventListener('popstate', onNavigate);
    window.removeEventListener('hashchange', onNavigate);
    sidebar?.remove();
  });
}
