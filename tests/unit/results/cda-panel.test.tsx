import { QueryClient } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { imagingDocument, labDocument, type CdaAnalyteIn } from '../../../demo/cda/write-cda';
import type { EncounterContext } from '../../../shared/domain/encounter';
import { ID_CARD_SYSTEM } from '../../../shared/domain/codes';
import { cdaSourceOver } from '../../../shared/results/cda/cda-source';
import { createFileDropTransport } from '../../../shared/results/cda/file-drop';
import { loadBundledPacks, parseRulePack, type RulePack } from '../../../shared/rules';
import { HurenApp } from '../../../shared/ui/HurenApp';
import { services } from '../ui/fixtures';

/**
 * The panel over the real CDA source (parser, mapping) and the real engine, with documents as a
 * file drop: what a physician sees for WS/T 500 results with hospital-local codes.
 */

const ID = '440803198012260194';
const patient = { idCard: ID, name: '张伟', sex: '1' as const, birth: '1980-12-26' };
const zhang: EncounterContext = { patient: { identifier: { system: ID_CARD_SYSTEM, value: ID }, name: '张伟' }, orders: [], user: { physician: '李明' }, flags: [] };
const zxyy = { id: '4408820001', name: '湛江中心人民医院' };
const day = (d: string) => new Date(`${d}T01:30:00Z`);
const enc = (s: string) => new TextEncoder().encode(s);

const lipid = (codes: string[]): CdaAnalyteIn[] =>
  [
    { code: 'L101', name: '总胆固醇', value: 5.61, unit: 'mmol/L', resultCode: '2' as const, range: { text: '2.8-5.2' }, interpretation: 'H', specimen: '血清' },
    { code: 'L102', name: '甘油三酯', value: 1.2, unit: 'mmol/L', resultCode: '1' as const, range: { text: '0.56-1.7' }, specimen: '血清' },
    { code: 'L103', name: '高密度脂蛋白胆固醇', value: 1.3, unit: 'mmol/L', resultCode: '1' as const, specimen: '血清' },
    { code: 'L104', name: '低密度脂蛋白胆固醇', value: 3.1, unit: 'mmol/L', resultCode: '1' as const, specimen: '血清' },
  ].filter((a) => codes.includes(a.code));

/** The demo pack with a code map for the issuer's local codes (no names in some documents). */
function packWithMap(): RulePack {
  const json = structuredClone(loadBundledPacks().demo) as unknown as Record<string, any>;
  json.institutions.find((i: { id: string }) => i.id === 'zj-zxyy').identifiers.push({ system: 'urn:oid:2.16.156.10011.1.5', value: zxyy.id });
  json.codeMaps = [{ issuer: 'zj-zxyy', entries: [
    { code: 'L101', item: 'tc' }, { code: 'L102', item: 'tg' }, { code: 'L103', item: 'hdl' }, { code: 'L104', item: 'ldl' }, { code: 'CT01', item: 'ct-chest' },
  ] }];
  const parsed = parseRulePack(json);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.pack;
}

function setup(docs: { label: string; xml: string }[], context: EncounterContext = zhang) {
  const source = cdaSourceOver(createFileDropTransport(docs.map((d) => ({ label: d.label, patient: ID, bytes: enc(d.xml) }))));
  const svc = services(source, { packs: [packWithMap()] });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(<HurenApp context={context} services={svc} queryClient={queryClient} />);
  return { user: userEvent.setup() };
}

const labDoc = (codes: string[], style = {}) =>
  labDocument({ documentId: `D-${codes.join('')}`, reportNumber: `JY-${codes.join('')}`, patient, issuer: zxyy, collected: day('2026-11-18'), received: day('2026-11-18'), reported: day('2026-11-18'), created: day('2026-11-18'), panelName: '血脂', analytes: lipid(codes), style });

describe('WS/T 500 documents in the panel', () => {
  test('a 血脂 order is spared only when every member has a recognizable result', async () => {
    setup([{ label: 'JY-1', xml: labDoc(['L101', 'L102', 'L103', 'L104'], { name: 'none' }) }], { ...zhang, orders: [{ name: '血脂四项' }] });
    const card = await screen.findByRole('article', { name: /血脂/ });
    expect(within(card).getByText('重复开单：血脂四项')).toBeTruthy();
    expect(within(card).getByText(/可免于重复检查/)).toBeTruthy();
    expect(within(card).queryByText(/仍需检查/)).toBeNull();
    // No names in the documents: the code map found the items; the rows say the name was not given.
    expect(within(card).getByText('项目名称未提供（代码 L101）')).toBeTruthy();
    expect(within(card).getByText('5.61 mmol/L ↑')).toBeTruthy();
  });

  test('a partial 血脂 says which members are covered and which are not', async () => {
    setup([{ label: 'JY-2', xml: labDoc(['L101', 'L102']) }], { ...zhang, orders: [{ name: '血脂' }] });
    const card = await screen.findByRole('article', { name: /血脂/ });
    expect(within(card).queryByText(/可免于重复检查/)).toBeNull();
    expect(within(card).getByText('可互认：总胆固醇、甘油三酯')).toBeTruthy();
    expect(within(card).getByText('无可互认结果（仍需检查）：高密度脂蛋白胆固醇、低密度脂蛋白胆固醇')).toBeTruthy();
  });

  test('the HR mark says it comes from the pack: WS/T 500 reports carry none', async () => {
    setup([{ label: 'JY-3', xml: labDoc(['L101', 'L102', 'L103', 'L104']) }]);
    const card = await screen.findByRole('article', { name: /血脂/ });
    expect(within(card).getByText('（报告单未标注，据规则包中该机构的互认资质）')).toBeTruthy();
  });

  test('imaging: findings and conclusion shown as text, never markup; no 检查日期 → counted from the report date', async () => {
    const xml = imagingDocument({ documentId: 'R1', reportNumber: 'CT-1', patient, issuer: zxyy, reported: day('2026-11-20'), created: day('2026-11-20'), examCode: 'CT01', examName: '胸部CT平扫', findings: '右肺<img src=x onerror="alert(1)">见结节', conclusion: '小于5mm结节，建议随访', resultCode: '2' });
    setup([{ label: 'CT-1', xml }]);
    const card = await screen.findByRole('article', { name: /胸部CT/ });
    expect(within(card).getByText('右肺<img src=x onerror="alert(1)">见结节')).toBeTruthy();
    expect(card.querySelector('img')).toBeNull();
    expect(within(card).getByText('小于5mm结节，建议随访')).toBeTruthy();
    expect(within(card).getByText(/报告日期 2026-11-20/)).toBeTruthy();
    expect(within(card).getByText('（无采样/检查时间，按报告时间计）')).toBeTruthy();
  });

  test('an unreadable document is counted and named; the others still show', async () => {
    const { user } = setup([
      { label: 'JY-OK', xml: labDoc(['L101', 'L102', 'L103', 'L104']) },
      { label: 'JY-BROKEN', xml: '<ClinicalDocument xmlns="urn:hl7-org:v3"><title>检验报告' },
      { label: 'JY-DTD', xml: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ClinicalDocument xmlns="urn:hl7-org:v3">&e;</ClinicalDocument>' },
    ]);
    await screen.findByRole('article', { name: /血脂/ });
    expect(screen.getByText('2 项结果无法读取')).toBeTruthy();
    await user.click(screen.getByText('无法读取的文档（2）'));
    expect(screen.getByText(/文档 JY-BROKEN：不是格式正确的 XML/)).toBeTruthy();
    expect(screen.getByText(/文档 JY-DTD：含文档类型声明（DTD），已拒绝/)).toBeTruthy();
  });

  test('values, units and ranges are in the 其他外院结果 list too', async () => {
    const old = labDocument({ documentId: 'OLD', reportNumber: 'JY-OLD', patient, issuer: zxyy, collected: day('2026-10-01'), received: day('2026-10-01'), reported: day('2026-10-01'), created: day('2026-10-01'), panelName: '血脂', analytes: lipid(['L101']) });
    const { user } = setup([{ label: 'JY-OLD', xml: old }]);
    await user.click(await screen.findByText('其他外院结果（1）'));
    expect(screen.getByText('5.61 mmol/L ↑')).toBeTruthy();
    expect(screen.getByText('参考 2.8-5.2')).toBeTruthy();
  });
});


