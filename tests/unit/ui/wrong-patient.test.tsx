import { QueryClient } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import type { AuditInput } from '../../../shared/audit/event';
import type { EncounterContext } from '../../../shared/domain/encounter';
import { idCardCheckChar, type PlatformPatient } from '../../../shared/domain/patient-check';
import type { ExternalResult } from '../../../shared/domain/external-result';
import type { ResultsQuery, ResultsSource } from '../../../shared/results/source';
import { HurenApp } from '../../../shared/ui/HurenApp';
import { chestCt, hgb, plt, services, wbc, zhang } from './fixtures';

/**
 * Security review, issue 14: a page showing patient A with B's 身份证号 (read from a hidden
 * element) made the panel show A's name over B's results. On a mismatch between the page, the
 * 身份证号 and the platform, the panel shows nothing but a wrong-patient warning.
 */
const valid = (first17: string) => first17 + idCardCheckChar(first17);
/** 张伟's own number: a man born 1970-03-15 (56 on the fixtures' day, 2026-11-22). */
const A_ID = valid('44080219700315001');
/** 李娜's: a woman born 1992-11-03. */
const B_ID = valid('11010119921103122');
const ID_CARD = 'urn:oid:2.16.156.10011.1.3';

const pageA = (identifier: string): EncounterContext => ({ ...zhang, patient: { identifier: { system: ID_CARD, value: identifier }, name: '张伟', gender: '男', age: '56岁' } });

/** A platform answering per identifier with results and what it knows about the patient. */
function platform(byId: Record<string, { results: ExternalResult[]; patient?: PlatformPatient }>): ResultsSource & { queries: ResultsQuery[] } {
  const queries: ResultsQuery[] = [];
  return {
    id: 'memory-with-patient',
    queries,
    async fetchResults(query) {
      queries.push(query);
      const answer = byId[query.patient.value];
      return { patientFound: !!answer, results: answer?.results ?? [], ...(answer?.patient ? { patient: answer.patient } : {}), unreadable: 0, fetchedAt: '2026-11-22T01:30:00Z' };
    },
  };
}

function setup(context: EncounterContext, source: ResultsSource, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const audit = { record: vi.fn(async (_e: AuditInput) => undefined) };
  const svc = services(source, { audit });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(<HurenApp context={context} services={svc} locale={locale} queryClient={queryClient} />);
  return { audit, svc };
}

const B_RESULTS = [wbc, hgb, plt, chestCt];
const kinds = (audit: { record: { mock: { calls: [AuditInput][] } } }) => audit.record.mock.calls.map(([e]) => e.kind);

describe('wrong patient (患者身份不一致)', () => {
  test('A’s name, sex and age over B’s 身份证号: only the warning, naming the fields; the platform is not asked', async () => {
    const source = platform({ [B_ID]: { results: B_RESULTS, patient: { names: ['李娜'], gender: 'female', birthDate: '1992-11-03' } } });
    const { audit } = setup(pageA(B_ID), source);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('患者身份不一致：病历显示的患者与证件号或互认平台的患者不符，不显示外院结果，也不能记录互认决定。请核对患者。');
    expect(alert.textContent).toContain('不一致：性别、年龄');
    // The header still shows what the page said, the identifier masked; no digit beyond it anywhere.
    expect(screen.getByText('张伟')).toBeTruthy();
    expect(document.body.textContent).not.toContain(B_ID);
    expect(document.body.textContent).not.toContain('1992');
    await new Promise((r) => setTimeout(r, 50));
    expect(source.queries).toHaveLength(0);
    expect(screen.queryAllByRole('article')).toHaveLength(0);
    expect(screen.queryByText(/可互认/)).toBeNull();
    expect(screen.queryByRole('button', { name: /互认|复查/ })).toBeNull();
    expect(audit.record).toHaveBeenCalledTimes(1);
    expect(audit.record.mock.calls[0]![0]).toMatchObject({ kind: 'patient-mismatch', patient: { value: B_ID }, fields: ['gender', 'age'], actor: { physician: '李明' } });
  });

  test('the platform’s patient differs from the page’s (name, sex): no card, no list, nothing viewed or prompted', async () => {
    // The 身份证号 agrees with the page (a man of 56) but the platform files it under 李娜.
    const source = platform({ [A_ID]: { results: B_RESULTS, patient: { names: ['李娜'], gender: 'female' } } });
    const { audit } = setup(pageA(A_ID), source);
    const alert = await screen.findByText(/患者身份不一致/);
    expect(alert.closest('[role="alert"]')!.textContent).toContain('不一致：姓名、性别');
    expect(source.queries).toHaveLength(1);
    expect(screen.queryAllByRole('article')).toHaveLength(0);
    expect(screen.queryByText(/外院结果 \d+ 项/)).toBeNull();
    expect(screen.queryByText('血常规')).toBeNull();
    await new Promise((r) => setTimeout(r, 50));
    expect(kinds(audit)).toEqual(['patient-mismatch']);
  });

  test('a cached answer shown while the platform is asked is checked too: B’s cached results never show under A', async () => {
    const cached = { patientFound: true, patient: { names: ['李娜'], gender: 'female' }, results: B_RESULTS, unreadable: 0, fetchedAt: '2026-11-22T01:00:00Z' };
    const pending: ResultsSource = {
      id: 'slow-platform',
      fetchResults: () => new Promise(() => undefined),
      cachedResults: async () => cached,
    };
    setup(pageA(A_ID), pending);
    const alert = await screen.findByText(/患者身份不一致/);
    expect(alert.closest('[role="alert"]')!.textContent).toContain('不一致：姓名、性别');
    expect(screen.queryAllByRole('article')).toHaveLength(0);
  });

  test('in English', async () => {
    setup(pageA(B_ID), platform({}), 'en');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Wrong patient: the patient the EMR shows does not match the identifier or the platform’s patient.');
    expect(alert.textContent).toContain('Differs: sex, age');
  });

  test('the same patient on the page, in the 身份证号 and on the platform: the cards show', async () => {
    const source = platform({ [A_ID]: { results: B_RESULTS, patient: { names: ['张 伟'], gender: 'male', birthDate: '1970-03-15' } } });
    const { audit } = setup(pageA(A_ID), source);
    expect(await screen.findByText('可互认（2）')).toBeTruthy();
    expect(screen.getAllByRole('article').length).toBe(2);
    expect(screen.queryByText(/患者身份不一致/)).toBeNull();
    await new Promise((r) => setTimeout(r, 50));
    expect(kinds(audit)).toContain('viewed');
    expect(kinds(audit)).not.toContain('patient-mismatch');
  });
});
