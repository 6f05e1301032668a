import { QueryClient } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { forgetNavigated, framesKey, handleMessage } from '../../../extension/background/context-store';
import { claimSidebar, fromBoundSidebar, issueSidebarKey } from '../../../extension/background/sidebar-auth';
import { handleStorageMessage } from '../../../extension/background/storage-bridge';
import { hostCss, injectSidebar } from '../../../extension/content/sidebar-host';
import { contextKey, MSG } from '../../../extension/messaging/protocol';
import { STORE } from '../../../extension/storage-bridge/protocol';
import { HurenApp } from '../../../shared/ui/HurenApp';
import type { WatchVisibility } from '../../../shared/ui/panel/visibility';
import { chestCt, memorySource, services, zhang } from '../ui/fixtures';

/* Security review findings around the sidebar: clickjacking, self-framing, name squatting, navigation. */
const EXT = 'chrome-extension://test-extension-id/';
const EMR = 'http://127.0.0.1:8787/emr/';
const top = { id: fakeBrowser.runtime.id, tab: { id: 7, url: EMR } as never, frameId: 0, documentId: 'top-1', url: EMR };
const sidebar = { id: fakeBrowser.runtime.id, tab: { id: 7, url: EMR } as never, frameId: 4, documentId: 'sidebar-1', url: `${EXT}sidebar.html` };
const part = { fields: { identifier: '440802197003150017', name: '张伟' }, orders: [], note: false };

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.runtime.getURL = ((path: string) => EXT + path.replace(/^\//, '')) as never;
  fakeBrowser.tabs.sendMessage = (async () => undefined) as never;
});

describe('the sidebar host element', () => {
  test('a page that defined the custom element name first gets nothing: the host is a built-in element', () => {
    const constructed: unknown[] = [];
    class Squatter extends HTMLElement {
      constructor() {
        super();
        constructed.push(this);
      }
    }
    customElements.define('huren-sidebar', Squatter);
    const host = injectSidebar(`${EXT}sidebar.html#k`, { mode: 'overlay', size: 'normal', collapsed: false });
    const el = document.querySelector('[data-huren-sidebar]')!;
    expect(el.tagName).toBe('DIV');
    expect(constructed).toHaveLength(0);
    expect(el.shadowRoot).toBeNull();
    host.remove();
  });

  test('everything that makes the sidebar seen is set inline with !important (page CSS cannot make it transparent)', () => {
    const css = hostCss(380);
    for (const rule of ['opacity: 1 !important', 'visibility: visible !important', 'filter: none !important', 'transform: none !important', 'clip-path: none !important', 'z-index: 2147483647 !important']) {
      expect(css).toContain(rule);
    }
  });
});

describe('only the sidebar Huren injected is answered', () => {
  test('a copy of the sidebar page framed by another page cannot store a decision or read the cache', async () => {
    await fakeBrowser.storage.local.set({ settings: {} });
    const reply = (await handleMessage({ type: MSG.context, part }, top as never)) as { sidebarKey: string };
    await expect(handleMessage({ type: MSG.whoami, key: reply.sidebarKey }, sidebar as never)).resolves.toEqual({ tabId: 7 });
    expect(await fromBoundSidebar(sidebar as never)).toBe(true);
    const copy = { ...sidebar, documentId: 'page-made-copy', frameId: 9 };
    expect(await fromBoundSidebar(copy as never)).toBe(false);
    await expect(handleStorageMessage({ type: STORE.decisionsFor, patient: { value: 'x' } }, copy as never)).resolves.toEqual({ ok: false, error: 'forbidden' });
    await expect(handleStorageMessage({ type: STORE.outboxStatus }, sidebar as never)).resolves.toMatchObject({ ok: true });
  });

  test('navigating the tab to an origin without host access forgets the encounter and the sidebar at once', async () => {
    await fakeBrowser.storage.local.set({ settings: {} });
    const reply = (await handleMessage({ type: MSG.context, part }, top as never)) as { sidebarKey: string };
    await claimSidebar(sidebar as never, reply.sidebarKey);
    expect((await fakeBrowser.storage.session.get(contextKey(7)))[contextKey(7)]).toMatchObject({ context: { patient: { name: '张伟' } } });
    // The browser hides the new URL (no host access): only `loading` is seen.
    await forgetNavigated(7, undefined);
    expect((await fakeBrowser.storage.session.get(contextKey(7)))[contextKey(7)]).toBeUndefined();
    expect((await fakeBrowser.storage.session.get(framesKey(7)))[framesKey(7)]).toBeUndefined();
    expect(await fromBoundSidebar(sidebar as never)).toBe(false);
    await expect(handleStorageMessage({ type: STORE.outboxStatus }, sidebar as never)).resolves.toEqual({ ok: false, error: 'forbidden' });
  });

  test('a route change on the EMR’s own origin keeps the encounter', async () => {
    await fakeBrowser.storage.local.set({ settings: {} });
    await handleMessage({ type: MSG.context, part }, top as never);
    await forgetNavigated(7, `${EMR}?open=3`);
    expect((await fakeBrowser.storage.session.get(contextKey(7)))[contextKey(7)]).toMatchObject({ context: { patient: { name: '张伟' } } });
    await forgetNavigated(7, 'https://elsewhere.example/');
    expect((await fakeBrowser.storage.session.get(contextKey(7)))[contextKey(7)]).toBeUndefined();
  });

  test('a pending key is issued once and reused until claimed', async () => {
    const a = await issueSidebarKey(3);
    expect(await issueSidebarKey(3)).toBe(a);
    expect(await claimSidebar({ ...sidebar, tab: { id: 3, url: EMR } } as never, a)).toBe(true);
    expect(await issueSidebarKey(3)).not.toBe(a);
  });
});

describe('clickjacking', () => {
  test('a click on a card that is not seen records no decision and says so', async () => {
    let visible = false;
    const watch: WatchVisibility = () => ({ confirm: async () => visible, stop: () => undefined });
    const svc = services(memorySource({ [zhang.patient.identifier.value]: [chestCt] }), { watchVisibility: watch });
    render(<HurenApp context={zhang} services={svc} queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: '互认' }));
    expect(await screen.findByText(/被遮挡或不可见/)).toBeTruthy();
    expect(await svc.decisions.forPatient(zhang.patient.identifier)).toEqual([]);
    visible = true;
    await user.click(screen.getByRole('button', { name: '互认' }));
    await screen.findByText(/已互认/);
    expect(await svc.decisions.forPatient(zhang.patient.identifier)).toHaveLength(1);
  });
});
