import { mount, type WidgetHandle } from './mount';
import type { WidgetOptions } from './options';

/**
 * `<huren-panel>`: set `.options = { context, config, onDecision }` (or call `mount()` directly).
 * Patient data is passed as properties, never as attributes or URLs.
 */
export class HurenPanelElement extends HTMLElement {
  private handle: WidgetHandle | undefined;
  private pending: WidgetOptions | undefined;

  set options(value: WidgetOptions) {
    this.pending = value;
    if (this.isConnected) this.apply();
  }

  connectedCallback(): void {
    this.apply();
  }

  disconnectedCallback(): void {
    this.handle?.unmount();
    this.handle = undefined;
  }

  private apply(): void {
    if (!this.pending) return;
    if (this.handle) this.handle.update(this.pending);
    else this.handle = mount(this, this.pending);
    this.dataset.mounted = 'true';
  }
}

export function defineHurenPanel(name = 'huren-panel'): void {
  if (!customElements.get(name)) customElements.define(name, HurenPanelElement);
}
