import type { Decision } from '../../shared/domain/decision';
import { mount, type WidgetHandle } from '../mount';
import { watchFramedVisibility } from '../../shared/ui/panel/visibility';
import { describeProblem } from '../options';
import { exactOrigin, FrameMessage, HostMessage, PROTOCOL_VERSION } from './protocol';

export interface FrameOptions {
  /**
   * The host EMR origins allowed to drive this frame, from the Huren deployment's own
   * configuration (written into the frame page by its server), never from the URL.
   */
  allowedOrigins: readonly string[];
  /** How long the panel waits for the host's answer to an insertNote request. */
  insertTimeoutMs?: number;
}

export interface FrameHandle {
  stop(): void;
}

/**
 * Runs in the Huren frame page (the iframe mode, on Huren's origin): renders the panel from the
 * host's `context` messages and tells the host each decision. A message counts only when it
 * comes from the parent window and from an allowed origin, and parses as the protocol.
 */
export function startFrame(el: HTMLElement, options: FrameOptions): FrameHandle {
  const allowed = new Set(options.allowedOrigins.map(exactOrigin));
  if (allowed.size === 0) throw new TypeError('huren: startFrame needs at least one allowed host origin');
  const parent = window.parent;
  if (parent === window) throw new TypeError('huren: the frame page must be loaded in an iframe of the host EMR');

  let hostOrigin: string | undefined;
  let handle: WidgetHandle | undefined;
  let nextId = 0;
  const pending = new Map<number, (ok: boolean) => void>();

  const post = (message: FrameMessage, origin: string) => parent.postMessage(FrameMessage.parse(message), origin);

  const insertIntoNote = (text: string) =>
    new Promise<boolean>((resolve) => {
      if (!hostOrigin) return resolve(false);
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve(false);
      }, options.insertTimeoutMs ?? 10_000);
      pending.set(id, (ok) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(ok);
      });
      post({ huren: PROTOCOL_VERSION, type: 'insertNote', id, text }, hostOrigin);
    });

  const onMessage = (event: MessageEvent) => {
    if (event.source !== parent || !allowed.has(event.origin)) return;
    if (hostOrigin && event.origin !== hostOrigin) return;
    const parsed = HostMessage.safeParse(event.data);
    if (!parsed.success) {
      // Only protocol messages get an answer; other scripts' messages are not ours to judge.
      if (isHurenEnvelope(event.data)) post({ huren: PROTOCOL_VERSION, type: 'error', problem: describeProblem(parsed.error).slice(0, 500) }, event.origin);
      return;
    }
    hostOrigin = event.origin;
    const message = parsed.data;
    if (message.type === 'insertNoteResult') {
      pending.get(message.id)?.(message.ok);
      return;
    }
    const origin = event.origin;
    const next = {
      context: message.context,
      config: message.config,
      onDecision: (decision: Decision) => post({ huren: PROTOCOL_VERSION, type: 'decision', decision }, origin),
      onInsertNote: message.canInsertNote ? insertIntoNote : undefined,
    };
    try {
      if (handle) handle.update(next);
      // The host page frames the panel: a decision counts only from a card the physician can see.
      else handle = mount(el, next, { watchVisibility: watchFramedVisibility });
    } catch (err) {
      post({ huren: PROTOCOL_VERSION, type: 'error', problem: (err as Error).message.slice(0, 500) }, origin);
    }
  };
  window.addEventListener('message', onMessage);

  // The panel's height, so a host that wants no inner scrollbar can size the iframe to it.
  const observer = new ResizeObserver(() => {
    if (hostOrigin) post({ huren: PROTOCOL_VERSION, type: 'resize', height: Math.ceil(el.getBoundingClientRect().bottom + window.scrollY) }, hostOrigin);
  });
  observer.observe(el);

  // `ready` goes to the parent's origin only when it is allowed; elsewhere it is never sent.
  for (const origin of readyTargets(allowed)) post({ huren: PROTOCOL_VERSION, type: 'ready' }, origin);

  return {
    stop() {
      window.removeEventListener('message', onMessage);
      observer.disconnect();
      handle?.unmount();
      handle = undefined;
    },
  };
}

/** The parent's origin where the browser tells it (Chromium, Safari); else each allowed origin (the browser delivers to the matching one only). */
function readyTargets(allowed: ReadonlySet<string>): string[] {
  const ancestors = window.location.ancestorOrigins as DOMStringList | undefined;
  if (ancestors && ancestors.length > 0) return allowed.has(ancestors[0]!) ? [ancestors[0]!] : [];
  return [...allowed];
}

function isHurenEnvelope(data: unknown): boolean {
  return typeof data === 'object' && data !== null && 'huren' in data;
}
