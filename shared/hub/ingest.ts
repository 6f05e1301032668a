import { z } from 'zod';
import { CitedEvent, ConsentEvent, OpenedEvent, PromptedEvent, ViewedEvent } from '../audit/event';
import { Practitioner } from '../domain/encounter';

/**
 * What the extension and the widget send to the hub beside the decisions (CDS Hooks feedback):
 * the other fact streams, as `POST {cds service}/events` with `{ events: [HubEventEntry…] }`.
 * Each entry has its own uuid (the idempotency key, as a decision's) and travels through the
 * same outbox, exactly once.
 */

/** A rule pack or configuration from the hub that a browser refused (bad signature or invalid). */
export const PackRefusedEvent = z.object({
  kind: z.literal('pack-refused'),
  at: z.iso.datetime({ offset: false }),
  actor: Practitioner.optional(),
  pack: z.object({ id: z.string().min(1).max(64), version: z.string().min(1).max(64) }),
  reason: z.string().min(1).max(500),
});
export type PackRefusedEvent = z.infer<typeof PackRefusedEvent>;

/** The events the hub takes: 调阅 (viewed, opened), 提醒 (prompted), 引用 (cited), 患者授权 (consent), pack refusals. Decisions go as feedback. */
export const HubEvent = z.discriminatedUnion('kind', [ViewedEvent, PromptedEvent, OpenedEvent, CitedEvent, ConsentEvent, PackRefusedEvent]);
export type HubEvent = z.infer<typeof HubEvent>;
export const HUB_EVENT_KINDS = ['viewed', 'prompted', 'opened', 'cited', 'consent', 'pack-refused'] as const;

export const HubEventEntry = z.object({
  uuid: z.string().uuid(),
  /** 接诊机构 (institution id in the packs); the hub takes the token's hospital when absent. */
  hospital: z.string().trim().min(1).max(64).optional(),
  event: HubEvent,
});
export type HubEventEntry = z.infer<typeof HubEventEntry>;

/** The hub's answer for one entry of a batch: every entry is answered, in order. */
export const EntryAnswer = z.object({
  index: z.number().int().nonnegative(),
  uuid: z.string().optional(),
  /** stored: new; duplicate: this uuid was stored before (a resend); rejected: not stored, see path. */
  status: z.enum(['stored', 'duplicate', 'rejected']),
  /** JSON path of what was wrong, e.g. feedback[3].outcomeTimestamp. */
  path: z.string().optional(),
  message: z.string().optional(),
});
export type EntryAnswer = z.infer<typeof EntryAnswer>;

export const IngestAnswer = z.object({
  results: z.array(EntryAnswer),
  stored: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
});
export type IngestAnswer = z.infer<typeof IngestAnswer>;

/** Most entries one request may carry (clients send 50); more is answered 413. */
export const MAX_BATCH_ENTRIES = 500;

/** A zod path as text: feedback[1].extension["cn.huren.decision"].patient.value. */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(p))) out += out ? `.${String(p)}` : String(p);
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out || '(root)';
}

/**
 * The path of the first key in `input` that the schema did not keep in `output` (zod strips
 * unknown keys): the hub refuses entries with fields it does not know instead of dropping them
 * silently. Null when there is none.
 */
export function unknownKeyPath(input: unknown, output: unknown, path: PropertyKey[] = []): PropertyKey[] | null {
  if (Array.isArray(input) && Array.isArray(output)) {
    for (let i = 0; i < input.length; i++) {
      const found = unknownKeyPath(input[i], output[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (!isPlainObject(input) || !isPlainObject(output)) return null;
  for (const key of Object.keys(input)) {
    if (!Object.prototype.hasOwnProperty.call(output, key)) return [...path, key];
    const found = unknownKeyPath(input[key], output[key], [...path, key]);
    if (found) return found;
  }
  return null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
