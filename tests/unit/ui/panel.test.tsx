import { QueryClient } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import type { EncounterContext } from '../../../shared/domain/encounter';
import type { ExternalResult } from '../../../shared/domain/external-result';
import { SourceError, type ResultsQuery, type ResultsSource } from '../../../shared/results/source';
import { HurenApp } from '../../../shared/ui/HurenApp';

const zhang: EncounterContext = {
  patient: { identifier: { system: 'urn:oid:2.16.156.10011.1.4', value: '440802197003150017' }, name: '张伟', gender: '男', age: '56岁' },
  orders: [],
  user: {},
  flags: [],
};

const cbc: ExternalResult = {
  id: 'DiagnosticReport/cbc-1',
  category: 'lab',
  item: { name: '血常规', codes: [{ system: 'http://loinc.org', code: '58410-2' }] },
  collectedAt: '2026-11-18T08:30:00+08:00',
  issuer: { identifiers: [], name: '湛江中心人民医院' },
  marks: ['湛江市 HR'],
};
const ct: ExternalResult = { ...cbc, id: 'DiagnosticReport/ct-1', category: 'imaging', item: { name: '胸部CT', codes: [] }, collectedAt: '2026-11-02T10:00:00+08:00' };

/** A results source answering from memory, per patient identifier. */
function memorySource(byPatient: Record<string, ExternalResult[] | Error>): ResultsSource & { queries: ResultsQuery[] } {
  const queries: ResultsQuery[] = [];
  return {
    id: 'memory',
    queries,
    async fetchResults(query) {
      queries.push(query);
      const answer = byPatient[query.patient.value];
      if (answer instanceof Error) throw answer;
      return { patientFound: answer !== undefined, results: answer ?? [], unreadable: answer?.length ? 1 : 0, fetchedAt: '2026-11-22T01:00:00Z' };
    },
  };
}

function renderApp(context: EncounterContext | null, source: ResultsSource, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(<HurenApp context={context} source={source} lookbackDays={60} locale={locale} queryClient={queryClient} />);
}

describe('panel', () => {
  test('without a patient it says so', () => {
    renderApp(null, memorySource({}));
    expect(screen.getByText('未打开患者')).toBeTruthy();
  });

  test('shows the patient header with a masked identifier, the count and the newest result', async () => {
    const source = memorySource({ '440802197003150017': [ct, cbc] });
    renderApp(zhang, source);
    expect(screen.getByText('张伟')).toBeTruthy();
    expect(screen.getByText('证件号 4408**********0017')).toBeTruthy();
    expect(await screen.findByText('外院结果 2 项')).toBeTruthy();
    expect(screen.getByText('血常规')).toBeTruthy();
    expect(screen.getByText(/湛江中心人民医院 · 2026-11-18/)).toBeTruthy();
    expect(screen.getByText('1 项结果无法读取')).toBeTruthy();
    expect(source.queries[0]!.since.toISOString().slice(0, 10)).toBe(new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10));
  });

  test('a patient the platform does not know', async () => {
    renderApp(zhang, memorySource({}));
    expect(await screen.findByText('互认平台未查到该患者')).toBeTruthy();
  });

  test('an unreachable platform shows an error with a retry button', async () => {
    renderApp(zhang, memorySource({ '440802197003150017': new SourceError('unreachable', 'connection refused') }));
    expect(await screen.findByText('互认平台无法连接')).toBeTruthy();
    expect(screen.getByRole('button', { name: '重试' })).toBeTruthy();
  });

  test('English is available', async () => {
    renderApp(zhang, memorySource({ '440802197003150017': [cbc] }), 'en');
    expect(await screen.findByText('1 external results')).toBeTruthy();
  });
});
