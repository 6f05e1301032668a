import { createRoot, type Root } from 'react-dom/client';
import css from '../shared/ui/panel/panel.css?inline';
import { createFhirSource } from '../shared/results/fhir/fhir-source';
import { HurenApp } from '../shared/ui/HurenApp';
import { describeProblem, MountOptions, type WidgetOptions } from './options';

export interface WidgetHandle {
  /** Pass a new patient, orders or user; validated like `mount()`'s options. */
  update(next: Partial<WidgetOptions>): void;
  unmount(): void;
}

/**
 * Mounts the Huren panel into an element of the host EMR. The panel renders inside a shadow
 * root so the host's CSS and ours do not collide (styles only: the host owns this origin's data).
 */
export function mount(el: HTMLElement, options: WidgetOptions): WidgetHandle {
  const shadow = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = css;
  const container = document.createElement('div');
  shadow.replaceChildren(style, container);
  const root: Root = createRoot(container);
  let current: WidgetOptions = options;

  const render = () => {
    const parsed = MountOptions.safeParse(current);
    if (!parsed.success) throw new TypeError(`huren: invalid widget options: ${describeProblem(parsed.error)}`);
    const { context, config } = parsed.data;
    root.render(<HurenApp context={context} source={sourceFor(config.fhirBaseUrl, config.token)} lookbackDays={config.lookbackDays} locale={config.locale} />);
  };
  render();

  return {
    update(next) {
      current = { ...current, ...next };
      render();
    },
    unmount() {
      root.unmount();
      shadow.replaceChildren();
    },
  };
}

// One source per platform and token, so re-renders keep the query cache keyed consistently.
const sources = new Map<string, ReturnType<typeof createFhirSource>>();
function sourceFor(baseUrl: string, token?: string) {
  const key = `${baseUrl}\u0000${token ?? ''}`;
  let source = sources.get(key);
  if (!source) {
    source = createFhirSource({ baseUrl, token });
    sources.set(key, source);
  }
  return source;
}
