import { useEffect, useMemo, useState } from 'react';
import { browser } from 'wxt/browser';
import type { EncounterContext } from '../../shared/domain/encounter';
import type { RulePack } from '../../shared/rules';
import { HurenApp } from '../../shared/ui/HurenApp';
import { translate } from '../../shared/ui/i18n/messages';
import { MSG, type SidebarLayout } from '../messaging/protocol';
import type { Settings } from '../settings/settings';
import { noteFieldAvailable, sidebarServices } from './services';
import { watchTabContext } from './tab-context';

export interface SidebarProps {
  tabId: number;
  settings: Settings;
  packs: readonly RulePack[];
  packProblems: readonly string[];
}

/** The sidebar page: follows its tab's encounter and renders the shared panel. */
export function SidebarApp({ tabId, settings, packs, packProblems }: SidebarProps) {
  const [context, setContext] = useState<EncounterContext | null>(null);
  const [noteAvailable, setNoteAvailable] = useState(false);
  const [collapsed, setCollapsed] = useState(false);

  useEffect(
    () =>
      watchTabContext(tabId, (stored) => {
        const ctx = stored?.context ?? null;
        // The physician and department from the options page fill in what the page does not show.
        setContext(ctx && { ...ctx, user: { physician: ctx.user.physician ?? settings.physician, department: ctx.user.department ?? settings.department } });
        if (ctx) void noteFieldAvailable().then(setNoteAvailable);
      }),
    [tabId, settings],
  );
  // Folded on this EMR origin last time: start folded (the host already has the narrow width).
  useEffect(() => {
    void browser.runtime.sendMessage({ type: MSG.sidebarState }).then((layout: SidebarLayout | undefined) => setCollapsed(layout?.collapsed === true), () => undefined);
  }, []);
  const services = useMemo(() => sidebarServices(settings, packs, noteAvailable), [settings, packs, noteAvailable]);

  const toggle = () => {
    const next = !collapsed;
    setCollapsed(next);
    void browser.runtime.sendMessage({ type: MSG.setCollapsed, collapsed: next });
  };
  const label = translate(settings.locale, collapsed ? 'expand' : 'collapse');
  const toggleButton = (
    <button type="button" onClick={toggle} aria-expanded={!collapsed} aria-label={label} title={label}>
      {collapsed ? '«' : '»'}
    </button>
  );

  if (collapsed) return <div className="hr-root hr-collapsed">{toggleButton}</div>;
  return (
    <>
      {packProblems.length > 0 && (
        <p className="hr-root hr-warning" role="alert">
          {packProblems.join('；')}
        </p>
      )}
      <HurenApp context={context} services={services} locale={settings.locale} titleActions={toggleButton} />
    </>
  );
}
