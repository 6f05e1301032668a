/**
 * Messages between the three extension contexts. Types only: the content script imports
 * this file and must stay tiny (no zod); the background validates what it receives.
 *
 * Who may send what (checked in extension/background):
 *   content script (any enabled frame) → background: context, adapterFor
 *   sidebar (extension page inside a tab) → background: whoami, sidebarState, setCollapsed, insertNote, noteAvailable
 *   options page → background: testAdapter, syncHosts
 *   background → content script (tabs.sendMessage): setCollapsed, showSidebar (top frame);
 *     insertNote, noteAvailable (the frame holding the note); runAdapter (each frame); refresh (every frame)
 */
import type { FramePart, FrameReader } from '../content/site-adapter';

export const MSG = {
  /** content script → background: what this frame read (FramePart, or null: nothing). Reply: ContextReply. */
  context: 'huren/context',
  /** sidebar → background: which tab am I in? */
  whoami: 'huren/whoami',
  /** content script → background: which adapter applies here, and what does this frame read? Reply: AdapterReply. */
  adapterFor: 'huren/adapter-for',
  /** sidebar → background → content script: narrow the sidebar to a tab, or open it; remembered per EMR origin. Reply: OkReply. */
  setCollapsed: 'huren/set-collapsed',
  /** sidebar → background: is the sidebar collapsed on this EMR origin? Reply: SidebarLayout. */
  sidebarState: 'huren/sidebar-state',
  /** background → top frame's content script: a patient is open in the tab (from any frame), or none. */
  showSidebar: 'huren/show-sidebar',
  /** background → every frame's content script: the adapters changed, or another frame needs a fresh report. */
  refresh: 'huren/refresh',
  /** sidebar → background → content script: append text to the page's note field. Reply: OkReply. */
  insertNote: 'huren/insert-note',
  /** sidebar → background → content script: does the page have a note field now? Reply: NoteAvailableReply. */
  noteAvailable: 'huren/note-available',
  /** options page → background: try an adapter (JSON) on a tab. Reply: AdapterTestReply. */
  testAdapter: 'huren/test-adapter',
  /** background → content script (each frame): read the page with this frame's share of a (validated) adapter. Reply: FrameReadout. */
  runAdapter: 'huren/run-adapter',
  /** options page → background: re-register content scripts for the granted origins. Reply: SyncHostsReply. */
  syncHosts: 'huren/sync-hosts',
} as const;

/** Longest text "insert into note" accepts. */
export const NOTE_TEXT_MAX = 4000;

/** Key of a tab's current encounter in `storage.session` (never readable by content scripts). */
export const contextKey = (tabId: number) => `context:${tabId}`;

export interface ContextMessage {
  type: typeof MSG.context;
  part: FramePart | null;
}

export interface ContextReply {
  ok: boolean;
  /** To the top frame: whether the tab shows a patient now, and how the sidebar sits. */
  open?: boolean;
  layout?: SidebarLayout;
  /** With `open`: the one-time key for the sidebar the top frame injects (background/sidebar-auth.ts). */
  sidebarKey?: string;
}

/** How the sidebar sits beside the EMR: over it, or pushing it narrower; its width; collapsed or not. */
export interface SidebarLayout {
  mode: 'overlay' | 'push';
  /** Open width: normal (380 px), narrow (300 px, for 1366×768 screens), or auto (narrow in windows under 1440 px). */
  size: 'auto' | 'normal' | 'narrow';
  collapsed: boolean;
}

export interface ShowSidebarMessage {
  type: typeof MSG.showSidebar;
  open: boolean;
  layout: SidebarLayout;
  /** With `open`: the one-time key for the sidebar to inject. */
  sidebarKey?: string;
}

export interface RefreshMessage {
  type: typeof MSG.refresh;
}

export interface WhoamiMessage {
  type: typeof MSG.whoami;
  /** The one-time key from the sidebar's URL fragment, put there by the content script. */
  key: string;
}

export interface WhoamiReply {
  tabId: number;
}

export interface AdapterForMessage {
  type: typeof MSG.adapterFor;
  url: string;
}

export interface AdapterReply {
  reader: FrameReader | null;
}

export interface SetCollapsedMessage {
  type: typeof MSG.setCollapsed;
  collapsed: boolean;
}

export interface InsertNoteMessage {
  type: typeof MSG.insertNote;
  /** Plain text, at most NOTE_TEXT_MAX characters. */
  text: string;
}

export interface NoteAvailableMessage {
  type: typeof MSG.noteAvailable;
}

export interface OkReply {
  ok: boolean;
}

export interface NoteAvailableReply {
  available: boolean;
}

export interface TestAdapterMessage {
  type: typeof MSG.testAdapter;
  tabId: number;
  /** Unvalidated adapter JSON as typed in the options page. */
  adapter: unknown;
}

export interface RunAdapterMessage {
  type: typeof MSG.runAdapter;
  reader: FrameReader;
}

/** One frame's answer to runAdapter: what it read (the identifier masked) and whether its frame paths resolved. */
export interface FrameReadout {
  part: FramePart;
  frames: { path: string[]; found: boolean }[];
}

/**
 * What an adapter read on a page, for the options page's "test" check. The identifier is masked
 * in the content script: the full number never leaves the page's tab for this check.
 */
export interface AdapterReadout {
  patientFound: boolean;
  identifierMasked?: string;
  name?: string;
  gender?: string;
  age?: string;
  physician?: string;
  department?: string;
  orders: { name: string; code?: string }[];
  noteFound: boolean;
  /** Each frame path the adapter names, and whether its document could be read. */
  frames: { path: string[]; found: boolean }[];
  /** The frames whose content script answered (origin and path only) and the fields each read. */
  reporting: { where: string; fields: string[] }[];
}

export type AdapterTestReply =
  | { ok: true; urlMatches: boolean; readout: AdapterReadout }
  | { ok: false; error: 'invalid-adapter'; problems: { path: string; message: string }[] }
  | { ok: false; error: 'no-content-script' | 'no-tab' };

export interface SyncHostsMessage {
  type: typeof MSG.syncHosts;
}

export interface SyncHostsReply {
  origins: string[];
}
