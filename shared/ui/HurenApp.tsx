import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import type { EncounterContext } from '../domain/encounter';
import type { ResultsSource } from '../results/source';
import { I18nProvider } from './i18n/I18nProvider';
import { translate, type Locale } from './i18n/messages';
import { Panel } from './panel/Panel';

export interface HurenAppProps {
  context: EncounterContext | null;
  source: ResultsSource;
  lookbackDays: number;
  locale?: Locale;
  /** A fresh client per app; tests pass their own. */
  queryClient?: QueryClient;
}

/** Providers + title bar + panel: what the sidebar page and the widget render. */
export function HurenApp({ context, source, lookbackDays, locale = 'zh-CN', queryClient }: HurenAppProps) {
  const [client] = useState(() => queryClient ?? new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: 10 * 60_000 } } }));
  return (
    <QueryClientProvider client={client}>
      <I18nProvider locale={locale}>
        <div className="hr-root" lang={locale}>
          <div className="hr-titlebar">{translate(locale, 'appName')}</div>
          <Panel context={context} source={source} lookbackDays={lookbackDays} />
        </div>
      </I18nProvider>
    </QueryClientProvider>
  );
}
