import { QueryClient } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import type { AuditInput } from '../../../shared/audit/event';
import { EXT } from '../../../shared/domain/decision';
import { checkPaperDraft, paperResults, type PaperDraft } from '../../../shared/paper/paper-report';
import { initials } from '../../../shared/paper/pinyin';
import { institutionIndex, itemIndex } from '../../../shared/paper/search';
import { loadBundledPacks } from '../../../shared/rules';
import { HurenDb } from '../../../shared/storage/db';
import { DexieConsentStore, DexiePaperStore } from '../../../shared/storage/paper-consent-stores';
import { HurenApp } from '../../../shared/ui/HurenApp';
import type { PanelServices } from '../../../shared/ui/panel/services';
import { memorySource, NOW, services, wbc, zhang } from './fixtures';

const packs = [loadBundledPacks().demo];
let n = 0;

function setup(extra: Partial<Omit<PanelServices, 'decisions'>> = {}, results = [wbc]) {
  const db = new HurenDb(`paper-${++n}`);
  const audit: AuditInput[] = [];
  const source = memorySource({ [zhang.patient.identifier.value]: results });
  const svc = services(source, {
    paper: new DexiePaperStore(db),
    loadInitials: async () => initials,
    audit: { record: async (e) => void audit.push(e) },
    ...extra,
  });
  const client = () => new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const view = render(<HurenApp context={zhang} services={svc} queryClient={client()} />);
  return { svc, db, audit, source, user: userEvent.setup(), remount: () => (view.unmount(), render(<HurenApp context={zhang} services={svc} queryClient={client()} />)) };
}

const draft = (over: Partial<PaperDraft> = {}): PaperDraft => ({
  institution: { id: 'zj-zxyy', name: '湛江中心人民医院' },
  item: { packId: 'demo', id: 'cbc' },
  collectedOn: '2026-11-20',
  reportedOn: '',
  reportNumber: 'ZX-2026-1120-7',
  mark: '湛江市 HR',
  values: [],
  conclusion: '',
  ...over,
});
const ctx = { packs, today: '2026-11-22', patient: zhang.patient.identifier, enteredBy: zhang.user, id: crypto.randomUUID(), now: NOW };

describe('paper entry: the boundary', () => {
  test('a future date, an item not in the catalog, an empty institution each get their message; nothing is built', () => {
    const r = checkPaperDraft(draft({ institution: { name: '  ' }, item: { packId: 'demo', id: 'no-such-item' }, collectedOn: '2026-11-23', reportedOn: '2026-11-19' }), ctx);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map((p) => [p.field, p.key])).toEqual([
      ['institution', 'paperErrInstitution'],
      ['item', 'paperErrItem'],
      ['collectedOn', 'paperErrFuture'],
      ['reportedOn', 'paperErrReportBefore'],
    ]);
    const noItem = checkPaperDraft(draft({ item: null, collectedOn: '' }), ctx);
    expect(!noItem.ok && noItem.problems.map((p) => p.key)).toEqual(['paperErrItem', 'paperErrCollected']);
  });

  test('a picked institution carries its identifiers; a typed one is an unknown issuer for the engine', () => {
    const picked = checkPaperDraft(draft(), ctx);
    const typed = checkPaperDraft(draft({ institution: { name: '四川省人民医院' } }), ctx);
    expect(picked.ok && picked.report.issuer).toMatchObject({ id: 'zj-zxyy', identifiers: [{ value: 'zj-zxyy' }, { value: '4408010000138' }] });
    expect(typed.ok && typed.report.issuer).toEqual({ id: null, name: '四川省人民医院', identifiers: [] });
    if (!picked.ok) throw new Error('the picked draft was refused');
    const results = paperResults(picked.report, packs);
    expect(results[0]).toMatchObject({ id: expect.stringMatching(/^paper:/), source: 'paper', marks: ['湛江市 HR'], collectedAt: '2026-11-20', reportNumber: 'ZX-2026-1120-7' });
  });

  test('拼音首字母 find institutions and items, as order entry does', () => {
    expect(itemIndex(packs, initials).search('xcg')[0]?.name).toBe('血细胞分析');
    expect(itemIndex(packs, initials).search('CT')[0]?.name).toBe('胸部CT');
    expect(institutionIndex(packs, initials).search('zjzx')[0]?.name).toBe('湛江中心人民医院');
    expect(institutionIndex(packs, initials).search('麻章')[0]?.name).toBe('麻章区人民医院');
    // Without the pinyin module names and aliases still match.
    expect(itemIndex(packs).search('血常规')[0]?.name).toBe('血细胞分析');
  });
});

describe('paper entry in the panel', () => {
  test('an invalid entry shows every problem and stores nothing', async () => {
    const { user, svc } = setup();
    await user.click(await screen.findByRole('button', { name: '录入纸质结果' }));
    await user.click(screen.getByRole('button', { name: '保存纸质结果' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('请填写出具机构')).toBeTruthy();
    expect(within(alert).getByText('请从互认项目清单中选择项目')).toBeTruthy();
    expect(within(alert).getByText('请填写采样/检查日期')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('采样/检查日期'), { target: { value: '2026-12-01' } });
    await user.click(screen.getByRole('button', { name: '保存纸质结果' }));
    expect(await screen.findByText('日期不能晚于今天')).toBeTruthy();
    expect(await svc.paper!.forPatient(zhang.patient.identifier)).toEqual([]);
  });

  test('entered by keyboard with 拼音首字母, judged by the engine, shown as 纸质, decided and cited as a paper report', async () => {
    const { user, svc, audit } = setup({}, []);
    await user.click(await screen.findByRole('button', { name: '录入纸质结果' }));
    const institution = screen.getByRole('combobox', { name: '出具机构' });
    await user.type(institution, 'zjzx');
    expect(await screen.findByRole('option', { name: /湛江中心人民医院/ })).toBeTruthy();
    await user.keyboard('{Enter}');
    expect((institution as HTMLInputElement).value).toBe('湛江中心人民医院');
    await user.type(screen.getByRole('combobox', { name: '检查检验项目' }), 'xcg');
    await user.click(await screen.findByRole('option', { name: /血细胞分析/ }));
    fireEvent.change(screen.getByLabelText('采样/检查日期'), { target: { value: '2026-11-20' } });
    await user.type(screen.getByLabelText('档案号/报告编号'), 'ZX-2026-1120-7');
    await user.selectOptions(screen.getByLabelText('报告上的互认标识'), '湛江市 HR');
    await user.selectOptions(screen.getByLabelText('项目 1'), '白细胞计数');
    await user.type(screen.getByLabelText('结果 1'), '6.1');
    await user.type(screen.getByLabelText('单位 1'), '10^9/L');
    await user.type(screen.getByLabelText('参考范围 1'), '3.5-9.5');
    await user.click(screen.getByRole('button', { name: '保存纸质结果' }));

    const card = await screen.findByRole('article', { name: /血细胞分析/ });
    expect(within(card).getByText('纸质')).toBeTruthy();
    expect(within(card).getByText(/湛江中心人民医院 · 检验日期 2026-11-20/)).toBeTruthy();
    expect(within(card).getByText('6.1 10^9/L')).toBeTruthy();
    await user.click(within(card).getByRole('button', { name: '互认' }));
    await within(card).findByText(/已互认/);
    const [decision] = await svc.decisions.forPatient(zhang.patient.identifier);
    expect(decision!.extension[EXT].result).toMatchObject({ source: 'paper', reportNumber: 'ZX-2026-1120-7', date: '2026-11-20' });
    expect(decision!.extension[EXT].issuer).toEqual({ id: 'zj-zxyy', name: '湛江中心人民医院' });
    expect(within(card).getByText(/【外院结果互认（纸质报告）】血细胞分析/)).toBeTruthy();
    expect(within(card).getByText(/结果来源：患者提供的纸质检查检验报告/)).toBeTruthy();
    // The panel's own entry (no value of its own) is not shown as "血细胞分析 —" beside the rows entered.
    expect([...card.querySelectorAll('.hr-values li')].map((li) => li.textContent)).toEqual(['白细胞计数 6.1 10^9/L 参考 3.5-9.5']);
    expect(within(card).getByText(/【外院结果互认/).textContent).toContain('结果：白细胞计数 6.1 10^9/L（参考 3.5-9.5）\n');
    expect(audit.find((e) => e.kind === 'prompted')).toMatchObject({ result: { source: 'paper' } });
  });

  test('a typed institution outside the lists is judged as an unknown issuer', async () => {
    const { user } = setup({}, []);
    await user.click(await screen.findByRole('button', { name: '录入纸质结果' }));
    await user.type(screen.getByRole('combobox', { name: '出具机构' }), '四川省人民医院');
    expect(screen.getByText(/不在机构清单中/)).toBeTruthy();
    await user.type(screen.getByRole('combobox', { name: '检查检验项目' }), '胸部CT');
    await user.click(await screen.findByRole('option', { name: /^胸部CT/ }));
    fireEvent.change(screen.getByLabelText('采样/检查日期'), { target: { value: '2026-11-15' } });
    await user.type(screen.getByLabelText('检查结论（可选）'), '未见异常');
    await user.click(screen.getByRole('button', { name: '保存纸质结果' }));
    await user.click(await screen.findByText(/其他外院结果（1）/));
    expect(await screen.findByText('出具机构不在互认机构清单')).toBeTruthy();
  });
});

describe('patient consent', () => {
  const consent = (db = new HurenDb(`consent-${++n}`)) => ({ store: new DexieConsentStore(db), setting: { required: true, rememberHours: 12 } });

  test('no request to the platform before consent; recorded with who and how, audited, remembered for the encounter', async () => {
    const c = consent();
    const { user, source, audit, remount } = setup({ consent: c });
    expect(await screen.findByText('调阅外院结果需患者授权')).toBeTruthy();
    expect(screen.queryByText(/可互认/)).toBeNull();
    expect(source.queries).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: '患者已同意调阅外院结果' }));
    expect(await screen.findByText('请选择授权方式')).toBeTruthy();
    expect(source.queries).toHaveLength(0);
    await user.click(screen.getByRole('radio', { name: '扫码授权' }));
    await user.click(screen.getByRole('button', { name: '患者已同意调阅外院结果' }));
    expect(await screen.findByText(/可互认（1）/)).toBeTruthy();
    expect(source.queries).toHaveLength(1);
    expect(screen.getByText(/患者已授权（扫码授权）· 李明/)).toBeTruthy();
    expect(audit.filter((e) => e.kind === 'consent')).toEqual([expect.objectContaining({ kind: 'consent', method: 'qr', granted: true, actor: zhang.user, patient: zhang.patient.identifier })]);
    expect(await c.store.current(zhang.patient.identifier, NOW)).toMatchObject({ method: 'qr', confirmedBy: { physician: '李明' } });
    remount();
    expect(await screen.findByText(/可互认（1）/)).toBeTruthy();
    expect(screen.queryByText('调阅外院结果需患者授权')).toBeNull();
  });

  test('declined: nothing of the external results, and the panel says why', async () => {
    const { user, source, audit } = setup({ consent: consent() });
    await user.click(await screen.findByRole('radio', { name: '口头同意' }));
    await user.click(screen.getByRole('button', { name: '患者未同意' }));
    expect(await screen.findByText('患者未授权调阅外院结果：不显示其外院结果。')).toBeTruthy();
    expect(source.queries).toHaveLength(0);
    expect(screen.queryByRole('button', { name: '录入纸质结果' })).toBeNull();
    expect(audit).toEqual([expect.objectContaining({ kind: 'consent', granted: false })]);
  });

  test('a rule pack can require consent where the hospital does not', async () => {
    const strict = { ...packs[0]!, policy: { ...packs[0]!.policy, patientConsent: true } };
    setup({ packs: [strict], consent: { store: new DexieConsentStore(new HurenDb(`consent-${++n}`)) } });
    expect(await screen.findByText('调阅外院结果需患者授权')).toBeTruthy();
  });
});
