import { QueryClient } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { DexieAuditLog } from '../../../shared/audit/dexie-audit-log';
import type { ExternalResult } from '../../../shared/domain/external-result';
import { loadBundledPacks } from '../../../shared/rules';
import { HurenDb } from '../../../shared/storage/db';
import { HurenApp } from '../../../shared/ui/HurenApp';
import { trendAnalytes, trendSeries } from '../../../shared/ui/trend/trend-series';
import { niceTicks } from '../../../shared/ui/trend/scale';
import { chestCt, hgb, memorySource, plt, services, wbc, zhang } from './fixtures';

const mzq = { identifiers: [{ system: 'https://huren.example/fhir/sid/org', value: 'zj-mzqrmyy' }], name: '麻章区人民医院' };
/** Earlier 白细胞计数 from another lab, with its own (narrower) range: 10.1 is high there. */
const wbcEarlier: ExternalResult = {
  ...wbc,
  id: 'Observation/wbc-0',
  value: 10.1,
  referenceRange: { low: 4.0, high: 10.0 },
  interpretation: 'H',
  abnormal: true,
  collectedAt: '2026-11-12T08:00:00+08:00',
  reportedAt: '2026-11-12T10:00:00+08:00',
  issuer: mzq,
  report: { id: 'DiagnosticReport/cbc-0', name: '血常规' },
};
/** Same analyte in another unit: listed, not plotted. */
const wbcOtherUnit: ExternalResult = { ...wbcEarlier, id: 'Observation/wbc-x', value: 7100, unit: '/uL', referenceRange: { low: 3500, high: 9500 }, interpretation: 'N', abnormal: false, collectedAt: '2026-11-05T08:00:00+08:00' };
const all = [wbc, hgb, plt, wbcEarlier, wbcOtherUnit, chestCt];
const demo = loadBundledPacks().demo;

describe('trend series', () => {
  test('a panel card offers each member analyte the patient has numbers for, its own first', () => {
    const analytes = trendAnalytes({ item: { id: 'cbc' }, results: [wbc, hgb, plt] }, all, demo);
    expect(analytes[0]).toMatchObject({ name: '白细胞计数', count: 3 });
    expect(analytes.map((a) => a.name)).toEqual(expect.arrayContaining(['血红蛋白', '血小板计数']));
  });

  test('points across institutions, oldest first, each with its own range; other units are not plotted', () => {
    const [analyte] = trendAnalytes({ item: { id: 'cbc' }, results: [wbc] }, all, demo);
    const data = trendSeries(analyte!, all, demo);
    expect(data.unit).toBe('10*9/L');
    expect(data.points.map((p) => [p.date, p.issuer, p.value, p.low, p.high, p.outside])).toEqual([
      ['2026-11-12', '麻章区人民医院', 10.1, 4, 10, 'high'],
      ['2026-11-19', '湛江中心人民医院', 6.2, 3.5, 9.5, null],
    ]);
    expect(data.unplotted.map((p) => p.value)).toEqual([7100]);
  });

  test('nice ticks cover the data', () => {
    expect(niceTicks(3.5, 10.1, 5)).toEqual([2, 4, 6, 8, 10, 12]);
    expect(niceTicks(5, 5).length).toBeGreaterThan(1);
  });
});

describe('趋势 from a lab card', () => {
  function setup() {
    const audit = new DexieAuditLog(new HurenDb(`trend-${Math.random()}`), { now: () => new Date('2026-11-22T02:00:00Z') });
    const svc = services(memorySource({ [zhang.patient.identifier.value]: all }), { audit });
    render(<HurenApp context={zhang} services={svc} queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })} />);
    return { audit, user: userEvent.setup() };
  }

  test('opens a dialog with an accessible chart, its own-range bands and a data table; Escape closes it', async () => {
    const { user, audit } = setup();
    const cbc = await screen.findByRole('article', { name: /血细胞分析/ });
    expect(within(screen.getByRole('article', { name: /胸部CT/ })).queryByRole('button', { name: '趋势' })).toBeNull();
    const open = within(cbc).getByRole('button', { name: '趋势' });
    await user.click(open);

    const dialog = screen.getByRole('dialog', { name: '白细胞计数 趋势' });
    const chart = within(dialog).getByRole('img');
    expect(chart.getAttribute('aria-label')).toBe('白细胞计数趋势图：2 个结果，来自 2 家机构，1 个超出本实验室参考范围');
    expect(dialog.querySelectorAll('[data-testid="trend-range"]')).toHaveLength(2);
    expect(dialog.querySelectorAll('[data-outside="high"]')).toHaveLength(1);
    const table = within(dialog).getByRole('table');
    const rows = within(table).getAllByRole('row').map((r) => r.textContent);
    expect(rows[1]).toBe('2026-11-19湛江中心人民医院6.210*9/L3.5–9.5');
    expect(rows[2]).toBe('2026-11-12麻章区人民医院10.1 ↑10*9/L4–10超出参考范围');
    expect(rows[3]).toContain('单位不同，未绘制');
    expect(within(dialog.querySelector('figcaption')!).getByText('麻章区人民医院')).toBeTruthy();

    await user.selectOptions(within(dialog).getByRole('combobox'), '血小板计数（1）');
    expect(screen.getByRole('dialog', { name: '血小板计数 趋势' })).toBeTruthy();

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(open);
    await new Promise((r) => setTimeout(r, 50));
    const kinds = (await audit.list()).map((e) => (e.kind === 'opened' ? `opened:${e.target}` : e.kind));
    expect(kinds.filter((k) => k === 'viewed')).toHaveLength(1);
    expect(kinds).toContain('opened:trend');
    expect(kinds.filter((k) => k === 'prompted')).toHaveLength(2);
  });

  test('Tab stays inside the dialog', async () => {
    const { user } = setup();
    const cbc = await screen.findByRole('article', { name: /血细胞分析/ });
    await user.click(within(cbc).getByRole('button', { name: '趋势' }));
    const dialog = screen.getByRole('dialog');
    for (let i = 0; i < 6; i++) {
      await user.tab();
      expect(dialog.contains(document.activeElement)).toBe(true);
    }
    await user.click(within(dialog).getByRole('button', { name: '关闭' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
