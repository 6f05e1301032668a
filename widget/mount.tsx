import { createRoot, type Root } from 'react-dom/client';
import css from '../shared/ui/panel/panel.css?inline';
import { HurenApp } from '../shared/ui/HurenApp';
import type { PanelServices } from '../shared/ui/panel/services';
import { describeProblem, MountOptions, type WidgetOptions } from './options';
import { widgetServices } from './services';

export interface WidgetHandle {
  /** Pass a new patient, orders or user (or config); validated like `mount()`'s options. */
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
  let services: { key: string; value: PanelServices } | undefined;

  const render = () => {
    const parsed = MountOptions.safeParse(current);
    if (!parsed.success) throw new TypeError(`huren: invalid widget options: ${describeProblem(parsed.error)}`);
    const { context, config } = parsed.data;
    // Services are rebuilt only when the configuration changes, so caches survive patient switches.
    const key = JSON.stringify(config);
    if (services?.key !== key) services = { key, value: widgetServices(config, (d) => current.onDecision?.(d)) };
    root.render(<HurenApp context={context} services={services.value} locale={config.locale} />);
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
