import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { EncounterContext } from '../domain/encounter';
import { I18nProvider } from './i18n/I18nProvider';
import { translate, type Locale } from './i18n/messages';
import { Panel } from './panel/Panel';
import type { PanelServices } from './panel/services';

export interface HurenAppProps {
  context: EncounterContext | null;
  services: PanelServices;
  locale?: Locale;
  /** Extra controls in the title bar (the sidebar's collapse button). */
  titleActions?: ReactNode;
  /** A fresh client per app; tests pass their own. */
  queryClient?: QueryClient;
}

/** Providers + title bar + panel: what the sidebar page and the widget render. */
export function HurenApp({ context, services, locale = 'zh-CN', titleActions, queryClient }: HurenAppProps) {
  const [client] = useState(
    () => queryClient ?? new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: 10 * 60_000, staleTime: 5 * 60_000, refetchOnWindowFocus: false } } }),
  );
  return (
    <QueryClientProvider client={client}>
      <I18nProvider locale={locale}>
        <div className="hr-root" lang={locale}>
          <div className="hr-titlebar">
            <span>{translate(locale, 'appName')}</span>
            {titleActions}
          </div>
          <Panel context={context} services={services} />
        </div>
      </I18nProvider>
    </QueryClientProvider>
  );
}
