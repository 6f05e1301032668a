import type { z } from 'zod';
import type { Decision } from '../../shared/domain/decision';
import { EncounterContext } from '../../shared/domain/encounter';
import { describeProblem } from '../options';
import { FrameConfig, FrameMessage, PROTOCOL_VERSION, type HostMessage } from './protocol';

/** Options of `mountFrame()`: like `mount()`'s, plus where the Huren frame page is. */
export interface FrameHostOptions {
  /** The Huren frame page, on Huren's origin; it carries no patient data (nothing is ever added to it). */
  frameUrl: string;
  context?: z.input<typeof EncounterContext> | null;
  /** Sent to the frame; a `token` is refused (it must not cross origins). */
  config: FrameConfig;
  onDecision?: (decision: Decision) => void;
  onInsertNote?: (text: string) => boolean | Promise<boolean>;
  /** Called with what the frame could not accept (a path and a message, no data). */
  onError?: (problem: string) => void;
  /** Size the iframe to the panel's height (default), or leave its height to the host's CSS. */
  autoResize?: boolean;
  /** The iframe's accessible title. */
  title?: string;
}

export interface FrameHostHandle {
  update(next: Partial<Omit<FrameHostOptions, 'frameUrl'>>): void;
  unmount(): void;
}

/**
 * The host EMR's side of the iframe mode: an iframe on Huren's origin, driven by messages posted
 * to that exact origin. Only messages from that iframe's window and origin are read, and each is
 * validated before any callback sees it.
 */
export function mountFrame(el: HTMLElement, options: FrameHostOptions): FrameHostHandle {
  const frameUrl = new URL(options.frameUrl, document.baseURI);
  if (frameUrl.protocol !== 'https:' && frameUrl.protocol !== 'http:') throw new TypeError('huren: frameUrl must be an http(s) URL');
  const frameOrigin = frameUrl.origin;
  let current = options;
  validate(current);

  const iframe = document.createElement('iframe');
  iframe.title = options.title ?? '互认助手';
  iframe.src = frameUrl.href;
  // The frame needs scripts, its own origin's storage and its forms (a sandbox without allow-forms
  // drops the submit of 保存纸质结果 and of a 复查 reason, its event never fired); nothing else (no top navigation, no popups).
  iframe.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms allow-modals');
  iframe.referrerPolicy = 'no-referrer';
  iframe.allow = 'clipboard-write';
  iframe.style.cssText = 'display:block;width:100%;border:0;min-height:120px';
  el.replaceChildren(iframe);

  let ready = false;
  const send = (message: HostMessage) => iframe.contentWindow?.postMessage(message, frameOrigin);
  const sendContext = () => {
    if (!ready) return;
    send({ huren: PROTOCOL_VERSION, type: 'context', context: current.context ?? null, config: current.config, canInsertNote: typeof current.onInsertNote === 'function' });
  };

  const onMessage = (event: MessageEvent) => {
    if (event.source !== iframe.contentWindow || event.origin !== frameOrigin) return;
    const parsed = FrameMessage.safeParse(event.data);
    if (!parsed.success) return;
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        // Also after the frame reloads: it gets the current context again.
        ready = true;
        sendContext();
        break;
      case 'decision':
        current.onDecision?.(message.decision);
        break;
      case 'insertNote':
        void Promise.resolve()
          .then(() => current.onInsertNote?.(message.text))
          .then(
            (ok) => ok === true,
            () => false,
          )
          .then((ok) => send({ huren: PROTOCOL_VERSION, type: 'insertNoteResult', id: message.id, ok }));
        break;
      case 'resize':
        if (current.autoResize !== false) iframe.style.height = `${message.height}px`;
        break;
      case 'error':
        if (current.onError) current.onError(message.problem);
        else console.warn(`huren: the frame refused a message: ${message.problem}`);
        break;
    }
  };
  window.addEventListener('message', onMessage);

  return {
    update(next) {
      const merged = { ...current, ...next };
      validate(merged);
      current = merged;
      sendContext();
    },
    unmount() {
      window.removeEventListener('message', onMessage);
      iframe.remove();
    },
  };
}

/** The host learns of bad options at once, as with `mount()`, not from an `error` message later. */
function validate(options: FrameHostOptions): void {
  const context = EncounterContext.nullable().safeParse(options.context ?? null);
  if (!context.success) throw new TypeError(`huren: invalid widget options: context.${describeProblem(context.error)}`);
  const config = FrameConfig.safeParse(options.config);
  if (!config.success) throw new TypeError(`huren: invalid widget options: config.${describeProblem(config.error)}`);
}
