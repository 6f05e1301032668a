/**
 * Messages between the three extension contexts. Types only: the content script imports
 * this file and must stay tiny (no zod); the background validates what it receives.
 */
export const MSG = {
  /** content script → background: the encounter read from the page (or null: no patient open). */
  context: 'huren/context',
  /** sidebar → background: which tab am I in? */
  whoami: 'huren/whoami',
} as const;

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
