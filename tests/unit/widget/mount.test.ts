import { afterEach, describe, expect, test } from 'vitest';
import { waitFor } from '@testing-library/react';
import { mount, type WidgetHandle } from '../../../widget/index';

const config = { fhirBaseUrl: 'http://127.0.0.1:1/fhir/R4', receivingInstitution: 'zj-rmyy', packs: ['demo'] };
let handle: WidgetHandle | undefined;

afterEach(() => {
  handle?.unmount();
  handle = undefined;
  document.body.replaceChildren();
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
