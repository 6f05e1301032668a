/**
 * Puts the sidebar into the EMR page as an extension-origin iframe. The page sees an element
 * with a closed shadow root holding an iframe whose document it cannot read; no patient data
 * is ever written into the page's DOM. Collapsing only changes the host's width: the toggle lives
 * inside the sidebar, which asks the background to forward it here (see MSG.setCollapsed).
 */
export const SIDEBAR_WIDTH = { open: 380, collapsed: 28 } as const;

export interface SidebarHost {
  setCollapsed(collapsed: boolean): void;
  remove(): void;
}

export function injectSidebar(src: string): SidebarHost {
  const host = document.createElement('huren-sidebar');
  const style = (width: number) =>
    // Fixed to the right edge, above the EMR's own layers; the page's CSS cannot reach inside.
    `all: initial; position: fixed; top: 0; right: 0; height: 100vh; width: ${width}px; z-index: 2147483646; display: block;`;
  host.style.cssText = style(SIDEBAR_WIDTH.open);
  const root = host.attachShadow({ mode: 'closed' });
  const frame = document.createElement('iframe');
  frame.src = src;
  frame.title = '互认助手';
  frame.setAttribute('allow', 'clipboard-write');
  frame.style.cssText = 'border: 0; width: 100%; height: 100%; display: block; box-shadow: -2px 0 8px rgba(0,0,0,.15); background: #fff; color-scheme: light;';
  root.append(frame);
  document.documentElement.append(host);
  return {
    setCollapsed: (collapsed) => {
      host.style.cssText = style(collapsed ? SIDEBAR_WIDTH.collapsed : SIDEBAR_WIDTH.open);
    },
    remove: () => host.remove(),
  };
}
