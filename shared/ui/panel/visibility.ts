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

/**
 * How long a card must have been visible for a click on it to count: one uncovered less than this
 * before the click is refused (the first click of a double click took a cover away and left the
 * second on 互认); one scrolled in by the click must stay visible this long after it.
 */
export const SETTLE_MS = 400;

interface V2Entry extends IntersectionObserverEntry {
  isVisible?: boolean;
}

/** Whether this browser computes IntersectionObserver v2's `isVisible` (Chromium 74+). */
export function hasIntersectionV2(): boolean {
  return typeof IntersectionObserver !== 'undefined' && typeof IntersectionObserverEntry !== 'undefined' && 'isVisible' in IntersectionObserverEntry.prototype;
}

/** How long a click waits for the browser's first or next observation (it comes at least `delay` after a change, later on a busy machine). */
export const OBSERVATION_WAIT_MS = 1500;

/**
 * The IntersectionObserver v2 tracker; null where the browser has no v2 (it cannot tell).
 *
 * Three states from the last observation: outside the viewport (a click can only reach the card
 * after it was scrolled in, e.g. by Tab or by the click itself, so the next observation is awaited),
 * inside but not visible (covered, transparent, filtered: refused at once — this is the
 * clickjacking case), and visible (counts once it has been so for `settleMs`; uncovered after
 * being hidden, only if it had been visible that long already when clicked).
 */
export function intersectionV2(el: Element, settleMs = SETTLE_MS, waitMs = OBSERVATION_WAIT_MS, options: { frameInView?: boolean } = {}): VisibilityTracker | null {
  if (!hasIntersectionV2()) return null;
  let state: 'unknown' | 'outside' | 'hidden' | 'visible' = 'unknown';
  let visibleSince: number | null = null;
  /** The current visible spell began when the card stopped being hidden (a cover gone, transparency undone). */
  let uncovered = false;
  let waiting: Array<() => void> = [];
  const observer = new IntersectionObserver(
    (entries) => {
      const last = entries[entries.length - 1] as V2Entry | undefined;
      if (!last) return;
      const previous = state;
      if (!last.isIntersecting) state = options.frameInView && insideOwnViewport(last.boundingClientRect) ? 'hidden' : 'outside';
      else state = last.isVisible ? 'visible' : 'hidden';
      if (state === 'visible' && visibleSince === null) uncovered = previous === 'hidden';
      visibleSince = state === 'visible' ? (visibleSince ?? performance.now()) : null;
      const woken = waiting;
      waiting = [];
      for (const wake of woken) wake();
    },
    { threshold: [0, 1], trackVisibility: true, delay: 100 } as IntersectionObserverInit,
  );
  observer.observe(el);
  const nextObservation = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      waiting.push(() => (clearTimeout(timer), resolve()));
    });
  return {
    async confirm() {
      const clickedAt = performance.now();
      if (state === 'unknown' || state === 'outside') await nextObservation();
      if (visibleSince === null) return false;
      if (uncovered && clickedAt - visibleSince < settleMs) return false;
      const left = visibleSince + settleMs - performance.now();
      if (left > 0) await new Promise((r) => setTimeout(r, left));
      return visibleSince !== null;
    },
    stop: () => {
      observer.disconnect();
      for (const wake of waiting) wake();
      waiting = [];
    },
  };
}

/** `watchVisibility` for a framed panel: v2 where the browser has it. */
export const watchFramedVisibility: WatchVisibility = (el) => intersectionV2(el) ?? { confirm: async () => true, stop: () => undefined };

/**
 * For the extension's sidebar, whose frame is fixed over the whole height of the viewport: a card
 * inside the frame's own viewport but outside the top-level one is not scrolled out but moved away
 * with the frame by the page — hidden, like a covered one (put back by a double click's first
 * click, the second would otherwise land on 互认).
 */
export const watchSidebarVisibility: WatchVisibility = (el) =>
  intersectionV2(el, SETTLE_MS, OBSERVATION_WAIT_MS, { frameInView: true }) ?? { confirm: async () => true, stop: () => undefined };

/** Whether a card's rectangle lies (partly) inside its own document's viewport. */
function insideOwnViewport(rect: DOMRectReadOnly): boolean {
  return rect.bottom > 0 && rect.right > 0 && rect.top < window.innerHeight && rect.left < window.innerWidth;
}

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
