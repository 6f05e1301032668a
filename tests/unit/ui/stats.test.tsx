import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import { DexieAuditLog } from '../../../shared/audit/dexie-audit-log';
import { BOM } from '../../../shared/export/csv';
import { DexieDecisionStore } from '../../../shared/storage/decision-store';
import { HurenDb } from '../../../shared/storage/db';
import { StatsApp } from '../../../shared/ui/stats/StatsView';
import { IdbAuditLog } from '../../../shared/audit/idb-audit-log';
import { IdbDecisionStore } from '../../../shared/storage/idb-stores';
import { WidgetDb } from '../../../shared/storage/widget-db';
import { mountStats } from '../../../widget/stats';
import { decision, event } from '../stats/fixtures';

const NOW = new Date('2026-11-22T10:00:00+08:00');
const day = (d: number, h = 10) => new Date(Date.UTC(2026, 10, d, h - 8)).toISOString();

/** This week (16–22 Nov): 心血管内科 5/6 recognized; 呼吸内科 1/5 (deviates); last week's decisions are not counted. */
async function seed(name: string): Promise<HurenDb> {
  const db = new HurenDb(name);
  await seedInto(new DexieDecisionStore(db), new DexieAuditLog(db, { now: () => NOW }));
  return db;
}

async function seedInto(store: { save(d: ReturnType<typeof decision>): Promise<void> }, log: { record(e: ReturnType<typeof event>): Promise<void> }): Promise<void> {
  const ds = [
    ...[16, 17, 18, 19, 20].map((d) => decision({ at: day(d), outcome: 'accepted', price: 20 })),
    decision({ at: day(21), outcome: 'overridden', reason: 2 }),
    decision({ dept: '呼吸内科', phys: '王芳', at: day(17), outcome: 'accepted', price: 60, item: '肝功能' }),
    ...[18, 19, 20, 21].map((d) => decision({ dept: '呼吸内科', phys: '王芳', at: day(d), outcome: 'overridden', reason: d === 21 ? 5 : 2, item: '肝功能' })),
    decision({ at: day(10), outcome: 'accepted', price: 999 }),
  ];
  for (const d of ds) await store.save(d);
  for (const e of [event('viewed', day(20)), event('viewed', day(21)), event('prompted', day(20)), event('opened', day(21), { target: 'trend' })]) await log.record(e);
}

describe('互认统计 view', () => {
  test('figures, charts with labels, deviation badge and the stated rule', async () => {
    const db = await seed(`stats-${Math.random()}`);
    render(<StatsApp db={db} now={() => NOW} />);
    expect(await screen.findByText('2026-11-16 至 2026-11-22')).toBeTruthy();
    const kpi = (label: string) => document.querySelector(`[data-kpi="${label}"] .hr-kpi-value`)?.textContent;
    await waitFor(() => expect(kpi('互认')).toBe('6'));
    expect(kpi('复查')).toBe('5');
    expect(kpi('互认率')).toBe('54.5%');
    expect(kpi('节省费用')).toBe('¥160');
    expect(kpi('可互认提示')).toBe('1');
    expect(kpi('调阅外院结果')).toBe('2');

    const dept = screen.getByRole('region', { name: '按科室' });
    const chart = within(dept).getByRole('img');
    expect(chart.getAttribute('aria-label')).toContain('呼吸内科 20%（5） 偏离：低于平均 34.5 个百分点');
    const row = within(dept).getByRole('row', { name: /呼吸内科/ });
    expect(within(row).getByText('偏离：低于平均 34.5 个百分点')).toBeTruthy();
    expect(within(within(dept).getByRole('row', { name: /心血管内科/ })).getByText('83.3%')).toBeTruthy();
    expect(screen.getByText(/偏离标记规则：可互认报告不少于 5 份的科室或医师.*2 倍，或超过 20 个百分点/)).toBeTruthy();
    const rt2 = within(screen.getByRole('region', { name: '复查原因' })).getByRole('row', { name: /RT-2/ });
    expect([...rt2.querySelectorAll('td')].map((c) => c.textContent)).toEqual(['4', '80%']);
  });

  test('本月 includes earlier decisions; CSV exports start with the BOM', async () => {
    const db = await seed(`stats-${Math.random()}`);
    const download = vi.fn();
    const user = userEvent.setup();
    render(<StatsApp db={db} now={() => NOW} download={download} />);
    await user.click(await screen.findByRole('button', { name: '本月' }));
    await waitFor(() => expect(document.querySelector('[data-kpi="互认"] .hr-kpi-value')?.textContent).toBe('7'));
    await user.click(screen.getByRole('button', { name: '决定记录 CSV' }));
    const [name, text, type] = download.mock.calls[0]!;
    expect(name).toBe('huren-2026-11-01_2026-11-30-decisions.csv');
    expect(type).toBe('text/csv');
    expect((text as string).startsWith(`${BOM}决定时间,决定,项目`)).toBe(true);
    expect((text as string).split('\r\n')).toHaveLength(1 + 12 + 1);
    await user.click(screen.getByRole('button', { name: '审计记录 CSV' }));
    expect(download.mock.calls[1]![1]).toContain('调阅外院结果');
    await user.click(screen.getByRole('button', { name: '统计结果 JSON' }));
    expect(JSON.parse(download.mock.calls[2]![1] as string)).toMatchObject({ recognized: 7, retested: 5 });
  });

  test('custom period and retention setting', async () => {
    const db = await seed(`stats-${Math.random()}`);
    const user = userEvent.setup();
    render(<StatsApp db={db} now={() => NOW} />);
    await user.click(await screen.findByRole('button', { name: '自定义' }));
    const from = screen.getByLabelText('开始日期') as HTMLInputElement;
    expect(from.value).toBe('2026-11-01');
    const days = screen.getByLabelText('保留天数') as HTMLInputElement;
    await waitFor(() => expect(days.value).toBe('180'));
    await user.clear(days);
    await user.type(days, '30');
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText('已保存：审计记录保留 30 天')).toBeTruthy();
    expect(await new DexieAuditLog(db).retentionDays()).toBe(30);
  });
});

test('widget: mountStats renders the view from its own database in a shadow root', async () => {
  const name = `widget-stats-${Math.random()}`;
  // The widget's own layout (plain IndexedDB, shared/storage/widget-db.ts), not Dexie's.
  const db = new WidgetDb(name);
  await seedInto(new IdbDecisionStore(db), new IdbAuditLog(db, { now: () => NOW }));
  db.close();
  const el = document.createElement('div');
  document.body.append(el);
  const handle = mountStats(el, { db: name });
  await waitFor(() => expect(el.shadowRoot!.querySelector('h1')?.textContent).toBe('互认统计'));
  await waitFor(() => expect(el.shadowRoot!.querySelector('.hr-kpis')).toBeTruthy());
  handle.unmount();
  expect(el.shadowRoot!.childNodes).toHaveLength(0);
  expect(() => mountStats(el, { locale: 'fr' as never })).toThrow(/invalid stats options/);
});
