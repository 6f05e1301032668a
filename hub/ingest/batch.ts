import { jsonPath, MAX_BATCH_ENTRIES, type EntryAnswer, type IngestAnswer } from '../../shared/hub/ingest.ts';
import type { TokenPrincipal } from '../auth/tokens.ts';

/** A refusal of the whole request: status, what was wrong, and where (a JSON path). */
export interface RequestError {
  status: number;
  error: string;
  path: string;
}

/** One entry checked: a row to store, or why not (path and message, never the value: it may be PHI). */
export type Checked<Row> = { ok: true; uuid: string; row: Row } | { ok: false; uuid?: string; path: string; message: string };

export type IngestOutcome = { status: number; body: IngestAnswer } | { status: number; body: { error: string; path: string } };

/**
 * The batch logic shared by the feedback and events endpoints: the body must be
 * `{ <key>: [...] }` and nothing else; each entry is checked on its own; the good ones are
 * stored in one statement (one transaction) and every entry gets its answer, in order.
 * Answered 200 when any entry was stored or already there, 422 when every entry was refused.
 * The caller answers only after `store` resolved, that is after the commit.
 */
export async function ingestBatch<Row>(
  body: unknown,
  key: 'feedback' | 'events',
  principal: TokenPrincipal,
  check: (entry: unknown, index: number, principal: TokenPrincipal) => Checked<Row>,
  store: (rows: Row[]) => Promise<Set<string>>,
): Promise<IngestOutcome> {
  const shape = readBatch(body, key);
  if ('error' in shape) return { status: shape.status, body: { error: shape.error, path: shape.path } };
  const results: EntryAnswer[] = [];
  const rows: Row[] = [];
  const seen = new Set<string>();
  const pending: { index: number; uuid: string }[] = [];
  shape.entries.forEach((entry, index) => {
    const checked = check(entry, index, principal);
    if (!checked.ok) {
      results[index] = { index, ...(checked.uuid ? { uuid: checked.uuid } : {}), status: 'rejected', path: checked.path, message: checked.message };
      return;
    }
    if (seen.has(checked.uuid)) {
      results[index] = { index, uuid: checked.uuid, status: 'duplicate' };
      return;
    }
    seen.add(checked.uuid);
    rows.push(checked.row);
    pending.push({ index, uuid: checked.uuid });
  });
  const stored = rows.length > 0 ? await store(rows) : new Set<string>();
  for (const { index, uuid } of pending) results[index] = { index, uuid, status: stored.has(uuid) ? 'stored' : 'duplicate' };
  const count = (status: EntryAnswer['status']) => results.filter((r) => r.status === status).length;
  const answer: IngestAnswer = { results, stored: count('stored'), duplicates: count('duplicate'), rejected: count('rejected') };
  const status = answer.rejected > 0 && answer.rejected === results.length ? 422 : 200;
  return { status, body: answer };
}

function readBatch(body: unknown, key: string): { entries: unknown[] } | RequestError {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { status: 400, error: `expected an object with "${key}"`, path: '(root)' };
  const extra = Object.keys(body).find((k) => k !== key);
  if (extra !== undefined) return { status: 400, error: 'unknown field', path: jsonPath([extra]) };
  const entries = (body as Record<string, unknown>)[key];
  if (!Array.isArray(entries)) return { status: 400, error: 'expected an array', path: key };
  if (entries.length > MAX_BATCH_ENTRIES) return { status: 413, error: `at most ${MAX_BATCH_ENTRIES} entries per request`, path: key };
  return { entries };
}

/** The uuid of an entry that failed validation, when it has a readable one (so the client can match the answer). */
export function uuidOf(entry: unknown): string | undefined {
  const uuid = (entry as { uuid?: unknown } | null)?.uuid;
  return typeof uuid === 'string' && /^[0-9a-f-]{36}$/i.test(uuid) ? uuid : undefined;
}

/** Times more than a day ahead of the hub's clock are refused: a browser clock that far off would corrupt every period. */
export const MAX_CLOCK_SKEW_MS = 24 * 3_600_000;
