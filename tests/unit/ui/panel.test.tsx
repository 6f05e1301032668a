import { QueryClient } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import type { EncounterContext } from '../../../shared/domain/encounter';
import { SourceError, type ResultsSource } from '../../../shared/results/source';
import { HurenApp } from '../../../shared/ui/HurenApp';
import { chestCt, hgb, memorySource, oldLipid, services, wbc, zhang } from './fixtures';

function renderApp(context: EncounterContext | null, source: ResultsSource, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(<HurenApp context={context} services={services(source)} locale={locale} queryClient={queryClient} />);
}

describe('panel states', () => {
  test('without a patient it says so', () => {
    renderApp(null, memorySource({}));
    expect(screen.getByText('未打开患者')).toBeTruthy();
  });

  test('shows the patient header with a masked identifier and the freshness line', async () => {
    const source = memorySource({ '440802197003150017': [wbc, hgb, chestCt, oldLipid] });
    renderApp(zhang, source);
    expect(screen.getByText('张伟')).toBeTruthy();
    expect(screen.getByText('证件号 4408**********0017')).toBeTruthy();
    expect(await screen.findByText(/外院结果 4 项/)).toBeTruthy();
    expect(screen.getByText(/更新于/)).toBeTruthy();
  });

  test('looks back as far as the longest limit in the packs (HbA1c 60 days) plus a margin', async () => {
    const source = memorySource({ '440802197003150017': [] });
    renderApp(zhang, source);
    await screen.findByText('近期无外院检查检验结果');
    const days = (Date.parse('2026-11-22T10:00:00+08:00') - source.queries[0]!.since.getTime()) / 86_400_000;
    expect(days).toBe(67);
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

  test('cached results from an unreachable platform are marked stale', async () => {
    const source: ResultsSource = {
      id: 'stale',
      fetchResults: async () => ({ patientFound: true, results: [wbc], unreadable: 2, fetchedAt: '2026-11-21T23:00:00Z', stale: true }) as never,
    };
    renderApp(zhang, source);
    expect(await screen.findByText(/互认平台暂不可用，显示 .* 缓存的结果/)).toBeTruthy();
    expect(screen.getByText('2 项结果无法读取')).toBeTruthy();
  });

  test('a warm cache shows at once while the platform is asked again', async () => {
    const source: ResultsSource = {
      id: 'warm',
      fetchResults: () => new Promise(() => {}),
      cachedResults: async () => ({ patientFound: true, results: [wbc, hgb], unreadable: 0, fetchedAt: '2026-11-22T01:00:00Z' }),
    };
    renderApp(zhang, source);
    expect(await screen.findByText(/正在更新…/)).toBeTruthy();
    expect(screen.getByRole('article', { name: /血细胞分析/ })).toBeTruthy();
  });

  test('English is available', async () => {
    renderApp(zhang, memorySource({ '440802197003150017': [wbc] }), 'en');
    expect(await screen.findByText(/1 external result\(s\)/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Recognize' })).toBeTruthy();
  });
});
