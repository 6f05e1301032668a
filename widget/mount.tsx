import { createRoot, type Root } from 'react-dom/client';
import css from '../shared/ui/panel/panel.css?inline';
import type { Decision } from '../shared/domain/decision';
import type { RulePack } from '../shared/rules/schema/rule-pack';
import { HurenApp } from '../shared/ui/HurenApp';
import { translate, type Locale } from '../shared/ui/i18n/messages';
import type { PanelServices } from '../shared/ui/panel/services';
import { describeProblem, MountOptions, type WidgetOptions } from './options';
import { loadPacks } from './packs';
import { widgetServices } from './services';
import type { WatchVisibility } from '../shared/ui/panel/visibility';

export interface WidgetHandle {
  /** Pass a new patient, orders or user (or config, callbacks); validated like `mount()`'s options. */
  update(next: Partial<WidgetOptions>): void;
  unmount(): void;
}

/**
 * Mounts the Huren panel into an element of the host EMR. The panel renders inside a shadow
 * root so the host's CSS and ours do not collide (styles only: the host owns this origin's data).
 */
export function mount(el: HTMLElement, options: WidgetOptions, internal: { watchVisibility?: WatchVisibility } = {}): WidgetHandle {
  const shadow = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = css;
  const container = document.createElement('div');
  shadow.replaceChildren(style, container);
  const root: Root = createRoot(container);
  let current: WidgetOptions = options;
  let core: { key: string; value: Omit<PanelServices, 'packs'> & { dispose(): void }; packs: PackState } | undefined;
  let services: { core: object; packs: readonly RulePack[]; canInsert: boolean; value: PanelServices } | undefined;
  let unmounted = false;

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
    if (core?.key !== key) {
      // Packs given as JSON are validated here (an invalid one throws, like bad options); URLs are fetched.
      const load = loadPacks(config.packs);
      // The previous configuration's senders stop (a removed endpoint receives nothing more).
      core?.value.dispose();
      const next: NonNullable<typeof core> = { key, value: widgetServices(config), packs: load.ready ? { state: 'ready', packs: load.packs } : { state: 'loading' } };
      core = next;
      if (!load.ready) {
        load.packs.then(
          (packs) => settle(next, { state: 'ready', packs }),
          (err: Error) => {
            console.error(err.message);
            settle(next, { state: 'error', problem: err.message.replace(/^huren: /, '') });
          },
        );
      }
    }
    if (core.packs.state !== 'ready') {
      root.render(<PackStatus locale={config.locale} status={core.packs} />);
      return;
    }
    const canInsert = typeof current.onInsertNote === 'function';
    const packs = core.packs.packs;
    if (services?.core !== core || services.packs !== packs || services.canInsert !== canInsert) {
      services = { core, packs, canInsert, value: { ...core.value, packs, onDecision, ...(canInsert ? { insertIntoNote } : {}), ...(internal.watchVisibility ? { watchVisibility: internal.watchVisibility } : {}) } };
    }
    root.render(<HurenApp context={context} services={services.value} locale={config.locale} />);
  };
  // A fetched pack arrived (or failed): render again if that configuration is still the current one.
  const settle = (of: NonNullable<typeof core>, packs: PackState) => {
    if (unmounted || core !== of) return;
    of.packs = packs;
    try {
      render();
    } catch (err) {
      // Options the host made invalid since: its update() already threw; nothing to render.
      console.error((err as Error).message);
    }
  };
  render();

  return {
    update(next) {
      current = { ...current, ...next };
      render();
    },
    unmount() {
      unmounted = true;
      core?.value.dispose();
      root.unmount();
      shadow.replaceChildren();
    },
  };
}

type PackState = { state: 'loading' } | { state: 'ready'; packs: readonly RulePack[] } | { state: 'error'; problem: string };

const PACK_TEXT = {
  'zh-CN': { loading: '正在加载互认规则…', error: '互认规则未能加载，无法判断互认。请联系信息科。' },
  en: { loading: 'Loading the recognition rules…', error: 'The recognition rules could not be loaded; no recognition check is possible. Contact IT.' },
} as const;

/** While the rule packs load, or when one could not be loaded: the title bar and a clear message. */
function PackStatus({ locale, status }: { locale: Locale; status: Exclude<PackState, { state: 'ready' }> }) {
  const text = PACK_TEXT[locale];
  return (
    <div className="hr-root" lang={locale}>
      <div className="hr-titlebar">
        <span>{translate(locale, 'appName')}</span>
      </div>
      <section className="hr-panel">
        {status.state === 'loading' ? (
          <p className="hr-status" role="status">{text.loading}</p>
        ) : (
          <>
            <p className="hr-error" role="alert">{text.error}</p>
            <p className="hr-hint hr-pack-problem">{status.problem}</p>
          </>
        )}
      </section>
    </div>
  );
}
