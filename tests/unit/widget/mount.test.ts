import { afterEach, describe, expect, test, vi } from 'vitest';
import { waitFor } from '@testing-library/react';
import demoPack from '../../../shared/rules/packs/demo.json' with { type: 'json' };
import { mount, type WidgetHandle } from '../../../widget/index';
import { clearPackCache } from '../../../widget/packs';

const config = { fhirBaseUrl: 'http://127.0.0.1:1/fhir/R4', receivingInstitution: 'zj-rmyy', packs: [demoPack as Record<string, unknown>] };
const PACK_URL = 'https://huren.hospital.example/packs/demo.json';
let handle: WidgetHandle | undefined;

afterEach(() => {
  handle?.unmount();
  handle = undefined;
  document.body.replaceChildren();
  vi.unstubAllGlobals();
  clearPackCache();
});

/** fetch answering PACK_URL (and counting calls); anything else is a 404. */
function stubFetch(answer: () => Response = () => Response.json(demoPack)) {
  const fetchMock = vi.fn(async (url: string | URL | Request) => (String(url) === PACK_URL ? answer() : new Response('not found', { status: 404 })));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function mounted(packs: (string | Record<string, unknown>)[]) {
  const el = document.createElement('div');
  document.body.append(el);
  handle = mount(el, { config: { ...config, packs }, context: null });
  return el;
}

describe('widget config.packs', () => {
  test('a pack URL is fetched, validated and cached: a second mount does not fetch again', async () => {
    const fetchMock = stubFetch();
    const el = mounted([PACK_URL]);
    await waitFor(() => expect(el.shadowRoot!.textContent).toContain('未打开患者'));
    handle!.unmount();
    const again = mounted([PACK_URL]);
    await waitFor(() => expect(again.shadowRoot!.textContent).toContain('未打开患者'));
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  test('shows that the rules are loading until the pack arrives', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    vi.stubGlobal('fetch', vi.fn(async () => {
      await gate;
      return Response.json(demoPack);
    }));
    const el = mounted([PACK_URL]);
    await waitFor(() => expect(el.shadowRoot!.textContent).toContain('正在加载互认规则'));
    release();
    await waitFor(() => expect(el.shadowRoot!.textContent).toContain('未打开患者'));
  });

  test('a pack that cannot be fetched is a clear message in the panel, naming the entry and the URL', async () => {
    stubFetch(() => new Response('gone', { status: 404 }));
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const el = mounted([PACK_URL]);
    await waitFor(() => expect(el.shadowRoot!.querySelector('[role="alert"]')?.textContent).toContain('互认规则未能加载'));
    expect(el.shadowRoot!.textContent).toContain(`config.packs[0]: rule pack ${PACK_URL} could not be loaded (HTTP 404)`);
    error.mockRestore();
  });

  test('a fetched document that is not a valid pack is reported with its problems; a later mount fetches again', async () => {
    const fetchMock = stubFetch(() => Response.json({ meta: { id: 'x' } }));
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const el = mounted([PACK_URL]);
    await waitFor(() => expect(el.shadowRoot!.textContent).toContain('is not a valid rule pack'));
    handle!.unmount();
    fetchMock.mockImplementation(async () => Response.json(demoPack));
    const again = mounted([PACK_URL]);
    await waitFor(() => expect(again.shadowRoot!.textContent).toContain('未打开患者'));
    expect(fetchMock).toHaveBeenCalledTimes(2);
    error.mockRestore();
  });

  test('a bare pack id is refused: the widget bundles no packs', async () => {
    const fetchMock = stubFetch();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const el = mounted(['demo']);
    await waitFor(() => expect(el.shadowRoot!.textContent).toContain('the widget bundles no rule packs'));
    expect(fetchMock).not.toHaveBeenCalled();
    error.mockRestore();
  });

  test('an invalid pack JSON passed by the host is rejected at mount', () => {
    const el = document.createElement('div');
    expect(() => mount(el, { config: { ...config, packs: [{ meta: {} }] }, context: null })).toThrow(/config\.packs\[0\] is not a valid rule pack/);
  });

  test('packs are required', () => {
    const el = document.createElement('div');
    const { packs: _, ...withoutPacks } = config;
    expect(() => mount(el, { config: withoutPacks as never })).toThrow(/config\.packs/);
  });
});

describe('widget mount()', () => {
  test('renders the panel into a shadow root and follows update()', async () => {
    const el = document.createElement('div');
    document.body.append(el);
    handle = mount(el, { config, context: null });
    await waitFor(() => expect(el.shadowRoot!.textContent).toContain('未打开患者'));
    handle.update({ config: { ...config, locale: 'en' } });
    await waitFor(() => expect(el.shadowRoot!.textContent).toContain('No patient open'));
  });

  test('bad options are rejected with the path of what is wrong', () => {
    const el = document.createElement('div');
    expect(() => mount(el, { config: { fhirBaseUrl: 'not a url' } as never })).toThrow(/config\.fhirBaseUrl/);
    expect(() =>
      mount(el, { config, context: { patient: { identifier: { value: '' } } } as never }),
    ).toThrow(/context\.patient\.identifier\.value/);
  });

  test('<huren-panel> mounts when its options are set', async () => {
    const el = document.createElement('huren-panel') as HTMLElement & { options: unknown };
    document.body.append(el);
    el.options = { config, context: null };
    await waitFor(() => expect(el.shadowRoot!.textContent).toContain('未打开患者'));
    expect(el.dataset.mounted).toBe('true');
  });
});
