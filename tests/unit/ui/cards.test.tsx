import { QueryClient } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import type { Decision } from '../../../shared/domain/decision';
import { EXT } from '../../../shared/domain/decision';
import type { EncounterContext } from '../../../shared/domain/encounter';
import { HurenApp } from '../../../shared/ui/HurenApp';
import type { PanelServices } from '../../../shared/ui/panel/services';
import { chestCt, hgb, memorySource, oldLipid, plt, services, wang, wbc, zhang } from './fixtures';

function setup(context: EncounterContext, extra: Partial<Omit<PanelServices, 'decisions'>> = {}) {
  const svc = services(memorySource({ [zhang.patient.identifier.value]: [wbc, hgb, plt, chestCt, oldLipid], [wang.patient.identifier.value]: [] }), extra);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const view = render(<HurenApp context={context} services={svc} queryClient={queryClient} />);
  const rerender = (ctx: EncounterContext) => view.rerender(<HurenApp context={ctx} services={svc} queryClient={queryClient} />);
  return { svc, rerender, user: userEvent.setup() };
}

const card = (name: string) => screen.getByRole('article', { name: new RegExp(name) });

describe('可互认 cards', () => {
  test('a panel card shows each analyte with its own lab range and flag, the issuer, date, days left and mark', async () => {
    setup(zhang);
    await screen.findByText('可互认（2）');
    const cbc = card('血细胞分析');
    expect(within(cbc).getByText('湛江中心人民医院 · 检验日期 2026-11-19', { exact: false })).toBeTruthy();
    expect(within(cbc).getByText(/湛江市 HR/).textContent).toBe(' · 湛江市 HR（报告单标注）');
    expect(within(cbc).getByText('还可互认 11 天（至 2026-12-03）')).toBeTruthy();
    expect(within(cbc).getByText('白细胞计数')).toBeTruthy();
    expect(within(cbc).getByText('6.2 10*9/L')).toBeTruthy();
    expect(within(cbc).getByText('参考 3.5–9.5')).toBeTruthy();
    expect(within(cbc).getByText('98 10*9/L ↓')).toBeTruthy();
    // RBC is not among the results: the panel is not spared, and the card says what is missing.
    expect(within(cbc).queryByText(/可免于重复检查/)).toBeNull();
    expect(within(cbc).getByText('无可互认结果（仍需检查）：红细胞计数')).toBeTruthy();
    expect(within(cbc).getByText('可互认：白细胞计数、血红蛋白、血小板计数')).toBeTruthy();
    const summary = within(cbc).getByText(/仅部分项目可互认/).textContent!;
    expect(summary.length).toBeLessThan(140);
  });

  test('an imaging card shows the conclusion and the link to the images', async () => {
    setup(zhang);
    const ct = await screen.findByRole('article', { name: /胸部CT/ });
    expect(within(ct).getByText('双肺未见明显异常。')).toBeTruthy();
    const link = within(ct).getByRole('link', { name: '查看影像（云胶片）' });
    expect(link.getAttribute('href')).toBe('https://pacs.example/viewer?study=1.2.3');
    expect(link.getAttribute('rel')).toContain('noopener');
  });

  test('results that cannot be recognized are listed with their reason', async () => {
    const { user } = setup(zhang);
    await user.click(await screen.findByText('其他外院结果（1）'));
    expect(screen.getByText('已超过参考时限（14天）')).toBeTruthy();
  });

  test('an order for an item with a valid prior result puts a duplicate-order card on top', async () => {
    setup({ ...zhang, orders: [{ name: '血常规', code: '58410-2' }] });
    await screen.findByText('可互认（2）');
    const cards = screen.getAllByRole('article');
    expect(within(cards[0]!).getByText('重复开单：血常规')).toBeTruthy();
    expect(within(cards[0]!).getByText('白细胞计数')).toBeTruthy();
  });

  test('recognize is one click: stored durably, then the citation is shown and can be inserted', async () => {
    const onDecision = vi.fn();
    const insertIntoNote = vi.fn(async () => true);
    const { svc, user } = setup({ ...zhang, orders: [{ name: '血常规', code: '58410-2' }] }, { onDecision, insertIntoNote });
    await screen.findByText('可互认（2）');
    await user.click(within(card('血细胞分析')).getByRole('button', { name: '互认' }));

    const cbc = card('血细胞分析');
    expect(await within(cbc).findByText('已互认')).toBeTruthy();
    const stored = await svc.decisions.forPatient(zhang.patient.identifier);
    expect(stored).toHaveLength(1);
    const d = stored[0]!;
    expect(d.outcome).toBe('accepted');
    expect(d.acceptedSuggestions).toEqual([{ id: 'recognize' }]);
    expect(d.extension[EXT]).toMatchObject({
      item: { id: 'cbc', name: '血细胞分析' },
      issuer: { id: 'zj-zxyy', name: '湛江中心人民医院' },
      practitioner: { physician: '李明', department: '心血管内科' },
      pack: { id: 'demo' },
      trigger: 'order-select',
      savedPrice: 20,
    });
    expect(onDecision).toHaveBeenCalledWith(d);

    const citation = within(cbc).getByText(/【外院结果互认】/).textContent!;
    expect(citation).toContain('机构名称：湛江中心人民医院');
    expect(citation).toContain('检查日期：2026-11-19');
    expect(citation).toContain('档案号：JY20261119-0031');
    expect(citation).toContain('白细胞计数 6.2 10*9/L（参考 3.5–9.5）');
    await user.click(within(cbc).getByRole('button', { name: '插入病历' }));
    expect(insertIntoNote).toHaveBeenCalledWith(citation);
    expect(await within(cbc).findByText('已插入病历')).toBeTruthy();
  });

  test('a re-test cannot be saved without a reason; 其他 needs a comment', async () => {
    const { svc, user } = setup(zhang);
    await screen.findByText('可互认（2）');
    const ct = card('胸部CT');
    await user.click(within(ct).getByRole('button', { name: '复查' }));
    expect(within(ct).getAllByRole('radio')).toHaveLength(8);
    await user.click(within(ct).getByRole('button', { name: '保存' }));
    expect(within(ct).getByRole('alert').textContent).toBe('请选择复查原因');

    await user.click(within(ct).getByRole('radio', { name: /其他情形确需复查的/ }));
    await user.click(within(ct).getByRole('button', { name: '保存' }));
    expect(within(ct).getByRole('alert').textContent).toBe('该原因需要填写说明');
    expect(await svc.decisions.forPatient(zhang.patient.identifier)).toEqual([]);

    await user.type(within(ct).getByLabelText('说明（必填）'), '外院CT层厚5mm，需薄层复查');
    await user.click(within(ct).getByRole('button', { name: '保存' }));
    expect(await within(card('胸部CT')).findByText('已决定复查：其他情形确需复查的')).toBeTruthy();
    const [d] = (await svc.decisions.forPatient(zhang.patient.identifier)) as [Decision];
    expect(d.outcome).toBe('overridden');
    expect(d.overrideReason).toEqual({
      reason: { system: 'https://huren.example/fhir/CodeSystem/retest-reason', code: 'RT-8', display: '其他情形确需复查的' },
      userComment: '外院CT层厚5mm，需薄层复查',
    });
    expect(d.extension[EXT].savedPrice).toBeUndefined();
    expect(within(card('胸部CT')).getByRole('button', { name: '打印复查告知书' })).toBeTruthy();
  });

  test('a reason that needs no comment saves with one click on it and one on save', async () => {
    const { svc, user } = setup(zhang);
    await screen.findByText('可互认（2）');
    const ct = card('胸部CT');
    await user.click(within(ct).getByRole('button', { name: '复查' }));
    await user.click(within(ct).getByRole('radio', { name: /患者处于急诊、急救等紧急状态下的/ }));
    await user.click(within(ct).getByRole('button', { name: '保存' }));
    await within(card('胸部CT')).findByText(/已决定复查/);
    expect((await svc.decisions.forPatient(zhang.patient.identifier))[0]!.overrideReason!.reason.code).toBe('RT-4');
  });

  test('no second prompt: a decided card shows the decision on the next visit, and can be revised', async () => {
    const { svc, user } = setup(zhang);
    await screen.findByText('可互认（2）');
    await user.click(within(card('胸部CT')).getByRole('button', { name: '互认' }));
    await within(card('胸部CT')).findByText('已互认');

    // A new session: a fresh panel over the same store.
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const second = render(<HurenApp context={zhang} services={svc} queryClient={queryClient} />);
    const fresh = await within(second.container).findByRole('article', { name: /胸部CT/ });
    expect(await within(fresh).findByText('已互认')).toBeTruthy();
    expect(within(fresh).queryByRole('button', { name: '互认' })).toBeNull();

    await user.click(within(fresh).getByRole('button', { name: '修改' }));
    await user.click(within(fresh).getByRole('button', { name: '复查' }));
    await user.click(within(fresh).getByRole('radio', { name: /患者或其亲属要求/ }));
    await user.click(within(fresh).getByRole('button', { name: '保存' }));
    await within(fresh).findByText(/已决定复查/);
    const all = await svc.decisions.forPatient(zhang.patient.identifier);
    expect(all).toHaveLength(2);
    expect(all[1]!.extension[EXT].revises).toBe(all[0]!.uuid);
  });

  test('a store that fails keeps the prompt and says the decision is not recorded', async () => {
    const { svc, user } = setup(zhang);
    svc.decisions.save = async () => {
      throw new Error('QuotaExceededError');
    };
    await screen.findByText('可互认（2）');
    await user.click(within(card('胸部CT')).getByRole('button', { name: '互认' }));
    expect(await within(card('胸部CT')).findByText('保存失败，请重试：决定尚未记录')).toBeTruthy();
    expect(within(card('胸部CT')).getByRole('button', { name: '互认' })).toBeTruthy();
  });

  test('switching patients never shows the previous patient’s cards under the new header', async () => {
    const { rerender } = setup(zhang);
    await screen.findByText('可互认（2）');
    rerender(wang);
    expect(screen.getByText('王芳')).toBeTruthy();
    expect(screen.queryByRole('article')).toBeNull();
    expect(await screen.findByText('近期无外院检查检验结果')).toBeTruthy();
    expect(screen.queryByText('血细胞分析')).toBeNull();
  });
});
