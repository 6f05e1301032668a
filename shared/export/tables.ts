import type { AuditEvent } from '../audit/event';
import { EXT, type Decision } from '../domain/decision';
import type { GroupStats, Stats } from '../stats/compute';
import { cnDay } from '../stats/period';
import { toCsv, type Column } from './csv';

/** Local (China) time, as the hospital reads it: 2026-11-22 10:05:00. */
export function cnTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

const pct = (rate: number | null) => (rate === null ? '' : Math.round(rate * 1000) / 10);

/**
 * Decisions as the hospital files them: one line per decision (revisions included, with the
 * decision they revise). The patient identifier is included: this is the hospital's record.
 */
export const decisionColumns: Column<Decision>[] = [
  { header: '决定时间', value: (d) => cnTime(d.outcomeTimestamp) },
  { header: '决定', value: (d) => (d.outcome === 'accepted' ? '互认' : '复查') },
  { header: '项目', value: (d) => d.extension[EXT].item.name },
  { header: '项目编码', value: (d) => d.extension[EXT].item.id },
  { header: '类别', value: (d) => (d.extension[EXT].item.category === 'lab' ? '检验' : '检查') },
  { header: '出具机构', value: (d) => d.extension[EXT].issuer.name },
  { header: '检查日期', value: (d) => d.extension[EXT].result.date },
  { header: '档案号', value: (d) => d.extension[EXT].result.reportNumber },
  { header: '科室', value: (d) => d.extension[EXT].practitioner.department },
  { header: '医师', value: (d) => d.extension[EXT].practitioner.physician },
  { header: '复查原因代码', value: (d) => d.overrideReason?.reason.code },
  { header: '复查原因', value: (d) => d.overrideReason?.reason.display },
  { header: '说明', value: (d) => d.overrideReason?.userComment },
  { header: '节省金额（元）', value: (d) => (d.outcome === 'accepted' ? d.extension[EXT].savedPrice : undefined) },
  { header: '提醒时机', value: (d) => (d.extension[EXT].trigger === 'order-select' ? '开单时' : '接诊时') },
  { header: '规则包', value: (d) => `${d.extension[EXT].pack.id}@${d.extension[EXT].pack.version}` },
  { header: '患者证件号', value: (d) => d.extension[EXT].patient.value },
  { header: '修改自', value: (d) => d.extension[EXT].revises },
  { header: '决定编号', value: (d) => d.uuid },
  { header: '卡片编号', value: (d) => d.card },
];

const FIELD: Record<'name' | 'gender' | 'age' | 'birthDate', string> = { name: '姓名', gender: '性别', age: '年龄', birthDate: '出生日期' };
const KIND: Record<AuditEvent['kind'], string> = { viewed: '调阅外院结果', prompted: '提示可互认', opened: '打开', cited: '引用至病历', decided: '决定', consent: '患者授权', 'patient-mismatch': '患者身份不一致' };
const CONSENT_METHOD = { verbal: '口头同意', qr: '扫码授权', written: '书面' } as const;
const HOW = { copied: '复制', inserted: '插入病历' } as const;
const TARGET = { images: '影像（云胶片）', others: '其他外院结果', trend: '趋势' } as const;

/** The audit trail: who (physician, department) did what with whose results, and when. */
export const auditColumns: Column<AuditEvent>[] = [
  { header: '时间', value: (e) => cnTime(e.at) },
  { header: '事件', value: (e) => KIND[e.kind] },
  { header: '科室', value: (e) => e.actor.department },
  { header: '医师', value: (e) => e.actor.physician },
  { header: '患者证件号', value: (e) => e.patient.value },
  { header: '证件类型', value: (e) => e.patient.system },
  { header: '项目', value: (e) => ('item' in e ? e.item?.name : undefined) },
  {
    header: '详情',
    value: (e) =>
      e.kind === 'viewed'
        ? `外院结果 ${e.resultCount} 项`
        : e.kind === 'opened'
          ? TARGET[e.target]
          : e.kind === 'prompted'
            ? e.trigger === 'order-select' ? '开单时' : '接诊时'
            : e.kind === 'cited'
              ? HOW[e.how]
              : e.kind === 'consent'
                ? `${e.granted ? '同意' : '未同意'}（${CONSENT_METHOD[e.method]}）`
                : e.kind === 'patient-mismatch'
                  ? `不一致：${e.fields.map((f) => FIELD[f]).join('、')}`
                  : `${e.outcome === 'accepted' ? '互认' : '复查'}${e.reason ? ` ${e.reason}` : ''}${e.revises ? '（修改）' : ''}`,
  },
  { header: '卡片编号', value: (e) => ('card' in e ? e.card : undefined) },
  { header: '决定编号', value: (e) => (e.kind === 'decided' ? e.decision : undefined) },
];

interface StatsLine {
  section: string;
  name: string;
  detail?: string;
  decisions?: number;
  recognized?: number;
  retested?: number;
  ratePct?: number | string;
  saved?: number;
  flag?: string;
  count?: number;
}

/** The statistics as one table: a section column says which breakdown each line belongs to. No patient data. */
export function statsCsv(stats: Stats): string {
  const group = (section: string) => (g: GroupStats): StatsLine => ({
    section,
    name: g.name || '未填写',
    detail: g.detail,
    decisions: g.decisions,
    recognized: g.recognized,
    retested: g.retested,
    ratePct: pct(g.rate),
    saved: g.saved,
    flag: g.deviation ? `偏离（${g.deviation.direction === 'above' ? '高于' : '低于'}平均 ${Math.abs(Math.round(g.deviation.difference * 1000) / 10)} 个百分点）` : '',
  });
  const lines: StatsLine[] = [
    { section: '期间', name: `${cnDay(stats.from)} 至 ${cnDay(stats.to - 1)}` },
    { section: '合计', name: '全部', decisions: stats.decisions, recognized: stats.recognized, retested: stats.retested, ratePct: pct(stats.rate), saved: stats.saved },
    { section: '提示', name: '可互认提示', count: stats.prompts },
    { section: '提示', name: '接诊时', count: stats.promptsByTrigger['patient-view'] },
    { section: '提示', name: '开单时', count: stats.promptsByTrigger['order-select'] },
    { section: '修改', name: '修改决定', count: stats.revisions },
    { section: '调阅', name: '调阅外院结果', count: stats.usage.views },
    { section: '调阅', name: '调阅患者数', count: stats.usage.patients },
    { section: '调阅', name: '打开影像', count: stats.usage.openedBy.images },
    { section: '调阅', name: '打开其他外院结果', count: stats.usage.openedBy.others },
    { section: '调阅', name: '打开趋势', count: stats.usage.openedBy.trend },
    ...stats.byDepartment.map(group('科室')),
    ...stats.byPhysician.map(group('医师')),
    ...stats.byItem.map(group('项目')),
    ...stats.reasons.map((r) => ({ section: '复查原因', name: r.display, detail: r.code, count: r.count, ratePct: pct(r.share) })),
  ];
  return toCsv(lines, [
    { header: '分类', value: (l) => l.section },
    { header: '名称', value: (l) => l.name },
    { header: '说明', value: (l) => l.detail },
    { header: '决定数', value: (l) => l.decisions },
    { header: '互认', value: (l) => l.recognized },
    { header: '复查', value: (l) => l.retested },
    { header: '互认率（%）/占比（%）', value: (l) => l.ratePct },
    { header: '节省金额（元）', value: (l) => l.saved },
    { header: '次数', value: (l) => l.count },
    { header: '偏离标记', value: (l) => l.flag },
  ]);
}
