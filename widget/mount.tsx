import { createRoot, type Root } from 'react-dom/client';
import css from '../shared/ui/panel/panel.css?inline';
import type { Decision } from '../shared/domain/decision';
import { HurenApp } from '../shared/ui/HurenApp';
import type { PanelServices } from '../shared/ui/panel/services';
import { describeProblem, MountOptions, type WidgetOptions } from './options';
import { widgetServices } from './services';

export interface WidgetHandle {
  /** Pass a new patient, orders or user (or config, callbacks); validated like `mount()`'s options. */
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
  let core: { key: string; value: PanelServices } | undefined;
  let services: { core: PanelServices; canInsert: boolean; value: PanelServices } | undefined;

  // The host's callbacks are read at call time, so update() can swap them without a rebuild.
  const onDecision = (decision: Decision) => {
    try {
      current.onDecision?.(decision);
    } catch (err) {
      // The decision is stored: a failing host callback must not show as a failed save.
      console.error('huren: onDecision threw', err);
    }
  };
  const insertIntoNote = async (text: string): Promise<boolean> => (await current.onInsertNote?.(text)) === true;

  const render = () => {
    const parsed = MountOptions.safeParse(current);
    if (!parsed.success) throw new TypeError(`huren: invalid widget options: ${describeProblem(parsed.error)}`);
    const { context, config } = parsed.data;
    // Sources, caches and stores are rebuilt only when the configuration changes, so caches survive patient switches.
    const key = JSON.stringify(config);
    if (core?.key !== key) core = { key, value: widgetServices(config) };
    const canInsert = typeof current.onInsertNote === 'function';
    if (services?.core !== core.value || services.canInsert !== canInsert) {
      services = { core: core.value, canInsert, value: { ...core.value, onDecision, ...(canInsert ? { insertIntoNote } : {}) } };
    }
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
