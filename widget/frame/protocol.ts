import { z } from 'zod';
import { Decision } from '../../shared/domain/decision';
import { EncounterContext } from '../../shared/domain/encounter';
import { WidgetConfig } from '../options';

/**
 * The iframe mode's messages between the host EMR page and the Huren frame page. Every message
 * carries `huren: 1` (the protocol version) and a `type`; each side validates what it receives
 * with these schemas and drops anything else. See docs/widget.md for the table.
 */
export const PROTOCOL_VERSION = 1;

/** The configuration the host may send: never a token (the platform's or the hub's), which must not cross origins. */
export const FrameConfig = WidgetConfig.omit({ token: true, hub: true }).strict();
export type FrameConfig = z.input<typeof FrameConfig>;

const envelope = { huren: z.literal(PROTOCOL_VERSION) };

/** host → frame */
export const HostMessage = z.discriminatedUnion('type', [
  z.object({
    ...envelope,
    type: z.literal('context'),
    context: EncounterContext.nullable(),
    config: FrameConfig,
    /** The host handles `insertNote`: the panel shows 插入病历. */
    canInsertNote: z.boolean().default(false),
  }).strict(),
  z.object({ ...envelope, type: z.literal('insertNoteResult'), id: z.number().int().nonnegative(), ok: z.boolean() }).strict(),
]);
export type HostMessage = z.input<typeof HostMessage>;

/** frame → host */
export const FrameMessage = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('ready') }).strict(),
  z.object({ ...envelope, type: z.literal('decision'), decision: Decision }).strict(),
  z.object({ ...envelope, type: z.literal('insertNote'), id: z.number().int().nonnegative(), text: z.string().min(1).max(20_000) }).strict(),
  z.object({ ...envelope, type: z.literal('resize'), height: z.number().int().min(0).max(100_000) }).strict(),
  /** What was wrong with the host's last message (a path and a message, never its data). */
  z.object({ ...envelope, type: z.literal('error'), problem: z.string().max(500) }).strict(),
]);
export type FrameMessage = z.input<typeof FrameMessage>;

/**
 * An exact origin: scheme, host and port, nothing else ("https://emr.hospital.example").
 * `*`, paths and trailing slashes are refused, so no message is ever posted to "any origin".
 */
export function exactOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`huren: "${value}" is not an origin`);
  }
  const host = /^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/i;
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== value || !host.test(url.hostname)) {
    throw new TypeError(`huren: "${value}" is not an exact origin (like https://emr.hospital.example)`);
  }
  return value;
}
