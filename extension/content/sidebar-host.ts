/**
 * Puts the sidebar into the EMR page as an extension-origin iframe. The page sees an element
 * with a closed shadow root holding an iframe whose document it cannot read; no patient data
 * is ever written into the page's DOM.
 */
const WIDTH = 380;
const COLLAPSED = 28;

export interface SidebarHost {
  remove(): void;
}

export function injectSidebar(src: string): SidebarHost {
  const host = document.createElement('huren-sidebar');
  // Fixed to the right edge, above the EMR's own layers; the page's CSS cannot reach inside.
  host.style.cssText = `all: initial; position: fixed; top: 0; right: 0; height: 100vh; width: ${WIDTH}px; z-index: 2147483646; display: block;`;
  const root = host.attachShadow({ mode: 'closed' });
  const frame = document.createElement('iframe');
  frame.src = src;
  frame.title = '互认助手';
  frame.setAttribute('allow', 'clipboard-write');
  frame.style.cssText = 'border: 0; width: 100%; height: 100%; display: block; box-shadow: -2px 0 8px rgba(0,0,0,.15); background: #fff; color-scheme: light;';
  root.append(frame);
  document.documentElement.append(host);
  return {
    remove: () => host.remove(),
  };
}

export const SIDEBAR_WIDTH = { open: WIDTH, collapsed: COLLAPSED };
