import { createContext, useContext, type ReactNode } from 'react';
import { translate, type Locale, type MessageKey } from './messages';

const LocaleContext = createContext<Locale>('zh-CN');

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

export function useT(): (key: MessageKey, vars?: Record<string, string | number>) => string {
  const locale = useContext(LocaleContext);
  return (key, vars) => translate(locale, key, vars);
}

export function useLocale(): Locale {
  return useContext(LocaleContext);
}
