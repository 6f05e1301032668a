import { useEffect, useMemo, useState } from 'react';
import type { EncounterContext } from '../../shared/domain/encounter';
import { createFhirSource } from '../../shared/results/fhir/fhir-source';
import { HurenApp } from '../../shared/ui/HurenApp';
import type { Settings } from '../settings/settings';
import { watchTabContext } from './tab-context';

export function SidebarApp({ tabId, settings }: { tabId: number; settings: Settings }) {
  const [context, setContext] = useState<EncounterContext | null>(null);
  useEffect(() => watchTabContext(tabId, (stored) => setContext(stored?.context ?? null)), [tabId]);
  const source = useMemo(() => createFhirSource({ baseUrl: settings.fhirBaseUrl, token: settings.token }), [settings]);
  return <HurenApp context={context} source={source} lookbackDays={settings.lookbackDays} locale={settings.locale} />;
}
