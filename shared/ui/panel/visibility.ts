import { useEffect, useRef, type RefObject } from 'react';

/**
 * 防点击劫持: a decision must come from a panel the physician can see. Where the panel is framed
 * in a page Huren does not control (the extension's sidebar, the widget's iframe mode), the page
 * could make the frame transparent (opacity, filters), shrink it, or cover it and let a click
 * through to 互认. The browser's IntersectionObserver v2 (`trackVisibility`) says whether an
 * element is drawn unobscured and without such effects, whatever the embedding page did.
 */
export interface VisibilityTracker {
  /** True once the element has been visible, unobscured, for `settleMs` (waits out the rest of it); false when it is not visible now. */
  confirm(): Promise<boolean>;
  stop(): void;
}

export type WatchVisibility = (el: Element) => VisibilityTracker;

/** How long a panel must have been visible before a click on it counts (a decoy moved away at the last moment). */
export const SETTLE_MS = 400;

interface V2Entry extends IntersectionObserverEntry {
  isVisible?: boolean;
}

/** The IntersectionObserver v2 tracker (Chromium 74+). Where the browser has no v2, it cannot tell and says so: null. */
export function intersectionV2(el: Element, settleMs = SETTLE_MS): VisibilityTracker | null {
  if (typeof IntersectionObserver === 'undefined') return null;
  let visibleSince: number | null = null;
  let supported = false;
  const observer = new IntersectionObserver(
    (entries) => {
      const last = entries[entries.length - 1] as V2Entry | undefined;
      if (!last || typeof last.isVisible !== 'boolean') return;
      supported = true;
      visibleSince = last.isVisible ? (visibleSince ?? performance.now()) : null;
    },
    { threshold: [0, 1], trackVisibility: true, delay: 100 } as IntersectionObserverInit,
  );
  observer.observe(el);
  // The first callback comes asynchronously; a browser without v2 never fills `isVisible`.
  return {
    async confirm() {
      if (!supported) {
        await new Promise((r) => setTimeout(r, 150));
        if (!supported) return true;
      }
      if (visibleSince === null) return false;
      const left = visibleSince + settleMs - performance.now();
      if (left > 0) await new Promise((r) => setTimeout(r, left));
      return visibleSince !== null;
    },
    stop: () => observer.disconnect(),
  };
}

/** `watchVisibility` for a framed panel: v2 where the browser has it. */
export const watchFramedVisibility: WatchVisibility = (el) => intersectionV2(el) ?? { confirm: async () => true, stop: () => undefined };

/** A confirm function for the element in `ref`, tracked while mounted; always true without a watcher (direct embedding). */
export function useVisibleConfirm(ref: RefObject<Element | null>, watch: WatchVisibility | undefined): () => Promise<boolean> {
  const tracker = useRef<VisibilityTracker | null>(null);
  useEffect(() => {
    if (!watch || !ref.current) return;
    const t = watch(ref.current);
    tracker.current = t;
    return () => {
      t.stop();
      tracker.current = null;
    };
  }, [ref, watch]);
  return () => (watch ? (tracker.current?.confirm() ?? Promise.resolve(false)) : Promise.resolve(true));
}
