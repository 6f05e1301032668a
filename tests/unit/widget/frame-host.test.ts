import { afterEach, describe, expect, test, vi } from 'vitest';
import { mountFrame, type FrameHostHandle } from '../../../widget/frame/frame-host';
import { Decision } from '../../../shared/domain/decision';

const FRAME = 'https://huren.hospital.example';
const config = { fhirBaseUrl: 'https://platform.example/fhir/R4', receivingInstitution: 'zj-rmyy', packs: ['https://huren.hospital.example/packs/demo.json'] };
const zhang = { patient: { identifier: { system: 'urn:oid:2.16.156.10011.1.4', value: '440802197003150017' }, name: '张伟' } };

let handle: FrameHostHandle | undefined;
afterEach(() => {
  handle?.unmount();
  handle = undefined;
  document.body.replaceChildren();
});

function setup(extra: Partial<Parameters<typeof mountFrame>[1]> = {}) {
  const el = document.createElement('div');
  document.body.append(el);
  const onDecision = vi.fn();
  handle = mountFrame(el, { frameUrl: `${FRAME}/huren-frame/`, context: zhang, config, onDecision, ...extra });
  const iframe = el.querySelector('iframe')!;
  // The frame's window, as the browser would give it (happy-dom does not load iframe pages; it says so on stderr).
  const posted = vi.fn();
  Object.defineProperty(iframe, 'contentWindow', { value: { postMessage: posted } });
  const fromFrame = (data: unknown, origin = FRAME, source: unknown = iframe.contentWindow) =>
    window.dispatchEvent(new MessageEvent('message', { data, origin, source: source as Window }));
  return { el, iframe, onDecision, posted, fromFrame };
}

function decision() {
  const d = {
    uuid: crypto.randomUUID(),
    card: crypto.randomUUID(),
    outcome: 'accepted',
    acceptedSuggestions: [{ id: 'recognize' }],
    outcomeTimestamp: '2026-11-22T01:02:03.000Z',
    extension: { 'cn.huren.decision': { patient: zhang.patient.identifier, item: { id: 'LFT', name: '肝功能', category: 'lab' }, result: { id: 'Observation/1', date: '2026-11-17' }, issuer: { id: 'zj-mzqrmyy', name: '麻章区人民医院' }, practitioner: { physician: '王芳' }, pack: { id: 'demo', version: '2026.1-demo' }, trigger: 'order-select' } },
  };
  expect(Decision.safeParse(d).success).toBe(true);
  return d;
}

describe('mountFrame (host side of the iframe mode)', () => {
  test('an iframe of the frame page, with nothing of the patient in its URL', () => {
    const { iframe } = setup();
    expect(iframe.src).toBe(`${FRAME}/huren-frame/`);
    expect(iframe.getAttribute('sandbox')!.split(' ').sort()).toEqual(['allow-forms', 'allow-modals', 'allow-same-origin', 'allow-scripts']);
    expect(iframe.src).not.toContain('440802');
  });

  test('sends the context to the frame’s exact origin after `ready`, and again on update()', () => {
    const { posted, fromFrame } = setup({ onInsertNote: () => true });
    expect(posted).not.toHaveBeenCalled();
    fromFrame({ huren: 1, type: 'ready' });
    expect(posted).toHaveBeenCalledWith({ huren: 1, type: 'context', context: zhang, config, canInsertNote: true }, FRAME);
    handle!.update({ context: null });
    expect(posted).toHaveBeenLastCalledWith({ huren: 1, type: 'context', context: null, config, canInsertNote: true }, FRAME);
    for (const [, target] of posted.mock.calls) expect(target).toBe(FRAME);
  });

  test('takes a decision only from the frame’s window and origin, and only when it parses', () => {
    const { onDecision, fromFrame } = setup();
    const d = decision();
    fromFrame({ huren: 1, type: 'decision', decision: d }, 'https://evil.example');
    fromFrame({ huren: 1, type: 'decision', decision: d }, FRAME, window);
    fromFrame({ huren: 1, type: 'decision', decision: { ...d, outcome: 'maybe' } });
    fromFrame({ huren: 2, type: 'decision', decision: d });
    fromFrame({ huren: 1, type: 'decision', decision: d, extra: 1 });
    expect(onDecision).not.toHaveBeenCalled();
    fromFrame({ huren: 1, type: 'decision', decision: d });
    expect(onDecision).toHaveBeenCalledExactlyOnceWith(d);
  });

  test('answers insertNote with what the host’s onInsertNote returned', async () => {
    const onInsertNote = vi.fn().mockResolvedValueOnce(true).mockRejectedValueOnce(new Error('no note open'));
    const { posted, fromFrame } = setup({ onInsertNote });
    fromFrame({ huren: 1, type: 'insertNote', id: 7, text: '【外院结果互认】肝功能' });
    await vi.waitFor(() => expect(posted).toHaveBeenCalledWith({ huren: 1, type: 'insertNoteResult', id: 7, ok: true }, FRAME));
    fromFrame({ huren: 1, type: 'insertNote', id: 8, text: '【外院结果互认】血常规' });
    await vi.waitFor(() => expect(posted).toHaveBeenCalledWith({ huren: 1, type: 'insertNoteResult', id: 8, ok: false }, FRAME));
    expect(onInsertNote).toHaveBeenCalledWith('【外院结果互认】肝功能');
  });

  test('sizes the iframe to the panel unless autoResize is false', () => {
    const { iframe, fromFrame } = setup();
    fromFrame({ huren: 1, type: 'resize', height: 640 });
    expect(iframe.style.height).toBe('640px');
    handle!.update({ autoResize: false });
    fromFrame({ huren: 1, type: 'resize', height: 100 });
    expect(iframe.style.height).toBe('640px');
  });

  test('refuses a token (it must not cross origins), bad contexts and non-http frame URLs at once', () => {
    const el = document.createElement('div');
    expect(() => mountFrame(el, { frameUrl: `${FRAME}/huren-frame/`, config: { ...config, token: 'secret' } as never })).toThrow(/config/);
    expect(() => mountFrame(el, { frameUrl: `${FRAME}/huren-frame/`, config, context: { patient: { identifier: { value: '' } } } as never })).toThrow(/context\.patient\.identifier\.value/);
    expect(() => mountFrame(el, { frameUrl: 'javascript:alert(1)', config })).toThrow(/http/);
    expect(el.childElementCount).toBe(0);
  });

  test('unmount removes the iframe and stops listening', () => {
    const { el, onDecision, fromFrame } = setup();
    handle!.unmount();
    fromFrame({ huren: 1, type: 'decision', decision: decision() });
    expect(onDecision).not.toHaveBeenCalled();
    expect(el.querySelector('iframe')).toBeNull();
    handle = undefined;
  });
});
