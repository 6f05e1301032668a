/**
 * Puts the sidebar into the EMR page as an extension-origin iframe. The page sees an element
 * with a closed shadow root holding an iframe whose document it cannot read; no patient data
 * is ever written into the page's DOM. The toggle lives inside the sidebar, which asks the
 * background to forward it here (see MSG.setCollapsed); the background remembers it per EMR origin.
 *
 * Two modes, so the sidebar never hides an EMR field the physician needs:
 * - overlay: fixed over the right edge of the page (the page keeps its width);
 * - push: the page's root element gets a right margin of the sidebar's width, so the EMR lays
 *   itself out narrower beside it. Only that one inline style is touched, and restored on removal.
 */
import type { SidebarLayout } from '../messaging/protocol';

export const SIDEBAR_WIDTH = { open: 380, narrow: 300, collapsed: 28 } as const;
/** Below this window width the automatic width is the narrow one (a 1366×768 screen keeps 1066 px for the EMR). */
export const NARROW_BELOW_PX = 1440;

export interface SidebarHost {
  apply(layout: SidebarLayout): void;
  remove(): void;
}

/** The width the host takes for a layout in a window this wide. */
export function hostWidth(layout: SidebarLayout, windowWidth: number): number {
  if (layout.collapsed) return SIDEBAR_WIDTH.collapsed;
  const narrow = layout.size === 'narrow' || (layout.size === 'auto' && windowWidth < NARROW_BELOW_PX);
  return narrow ? SIDEBAR_WIDTH.narrow : SIDEBAR_WIDTH.open;
}

/** The host's inline style: every property that decides whether the sidebar is seen, as it must be. */
export function hostCss(width: number): string {
  const props: [string, string][] = [
    ['all', 'initial'], ['position', 'fixed'], ['top', '0'], ['right', '0'], ['left', 'auto'], ['bottom', 'auto'], ['height', '100vh'], ['width', `${width}px`],
    ['z-index', '2147483647'], ['display', 'block'], ['visibility', 'visible'], ['opacity', '1'], ['filter', 'none'], ['transform', 'none'],
    ['clip-path', 'none'], ['mask', 'none'], ['mix-blend-mode', 'normal'], ['pointer-events', 'auto'], ['margin', '0'], ['padding', '0'],
  ];
  return props.map(([k, v]) => `${k}: ${v} !important;`).join(' ');
}

export function injectSidebar(src: string, layout: SidebarLayout, doc: Document = document): SidebarHost {
  // A built-in element, not a custom one: a page that defined the name first could otherwise
  // reach the closed shadow root through ElementInternals. The attribute only lets tests find it.
  const host = doc.createElement('div');
  host.setAttribute('data-huren-sidebar', '');
  const root = host.attachShadow({ mode: 'closed' });
  const frame = doc.createElement('iframe');
  frame.src = src;
  frame.title = '互认助手';
  frame.setAttribute('allow', 'clipboard-write');
  frame.style.cssText = 'border: 0; width: 100%; height: 100%; display: block; box-shadow: -2px 0 8px rgba(0,0,0,.15); background: #fff; color-scheme: light;';
  root.append(frame);
  doc.documentElement.append(host);

  const html = doc.documentElement;
  const saved = { value: html.style.getPropertyValue('margin-right'), priority: html.style.getPropertyPriority('margin-right') };
  let pushing = false;
  const restore = () => {
    if (!pushing) return;
    pushing = false;
    if (saved.value) html.style.setProperty('margin-right', saved.value, saved.priority);
    else html.style.removeProperty('margin-right');
  };

  let current = layout;
  const apply = (next: SidebarLayout) => {
    current = next;
    const width = hostWidth(next, doc.defaultView?.innerWidth ?? 1920);
    // Fixed to the right edge, above the EMR's own layers; the page's CSS cannot reach inside, and
    // inline !important beats the page's own !important rules (opacity, filter, transform …).
    host.style.cssText = hostCss(width);
    if (next.mode === 'push') {
      pushing = true;
      html.style.setProperty('margin-right', `${width}px`, 'important');
    } else {
      restore();
    }
  };
  apply(layout);
  // The automatic width follows the window across the threshold.
  const onResize = () => current.size === 'auto' && apply(current);
  doc.defaultView?.addEventListener('resize', onResize);
  return {
    apply,
    remove: () => {
      doc.defaultView?.removeEventListener('resize', onResize);
      restore();
      host.remove();
    },
  };
}
