/**
 * Messages between the three extension contexts. Types only: the content script imports
 * this file and must stay tiny (no zod); the background validates what it receives.
 *
 * Who may send what (checked in extension/background):
 *   content script → background: context, adapterFor
 *   sidebar (extension page inside a tab) → background: whoami, setCollapsed, insertNote, noteAvailable
 *   options page → background: testAdapter, syncHosts
 *   background → content script (tabs.sendMessage, top frame): setCollapsed, insertNote,
 *     noteAvailable, runAdapter
 */
import type { SiteAdapter } from '../content/site-adapter';

export const MSG = {
  /** content script → background: the encounter read from the page (or null: no patient open). */
  context: 'huren/context',
  /** sidebar → background: which tab am I in? */
  whoami: 'huren/whoami',
  /** content script → background: which adapter applies to this URL? Reply: AdapterReply. */
  adapterFor: 'huren/adapter-for',
  /** sidebar → background → content script: narrow the sidebar to a tab, or open it. Reply: OkReply. */
  setCollapsed: 'huren/set-collapsed',
  /** sidebar → background → content script: append text to the page's note field. Reply: OkReply. */
  insertNote: 'huren/insert-note',
  /** sidebar → background → content script: does the page have a note field now? Reply: NoteAvailableReply. */
  noteAvailable: 'huren/note-available',
  /** options page → background: try an adapter (JSON) on a tab. Reply: AdapterTestReply. */
  testAdapter: 'huren/test-adapter',
  /** background → content script: read the page with this (validated) adapter. Reply: AdapterReadout. */
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
  context: unknown;
}

export interface WhoamiMessage {
  type: typeof MSG.whoami;
}

export interface WhoamiReply {
  tabId: number;
}

export interface AdapterForMessage {
  type: typeof MSG.adapterFor;
  url: string;
}

export interface AdapterReply {
  adapter: SiteAdapter | null;
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
  adapter: SiteAdapter;
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
