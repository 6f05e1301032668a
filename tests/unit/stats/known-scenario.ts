import type { AuditEvent } from '../../../shared/audit/event';
import { EXT, RETEST_REASON_SYSTEM, type Decision } from '../../../shared/domain/decision';
import type { Measures } from '../../../shared/stats/definitions';

/**
 * A small month with known answers, for the definitions (unit) and the hub's SQL (integration):
 * - 张三, report R1: prompted twice, recognized, cited → shown, recognized, cited, 2 prompts
 * - 张三, report R2: prompted, re-tested (RT-2) → re-tested
 * - 李四, report R3: prompted, no decision → undecided
 * - 李四, report R4: recognized without a prompt event (an older client) → shown (decided), recognized
 * - 王五, report R5: prompted, re-tested, then revised to recognized → recognized (the latest counts)
 * - 王五, a prompt written before the hub (no result) → not countable per report, left out
 * - a citation of R2's card (re-tested) → does not make R2 cited
 * - 3 views and 1 image opened → 4 views (调阅)
 * - R6 first shown in October, decided in November → October's, not November's
 */
export const HOSPITAL = 'zj-rmyy';
const A = { system: 'urn:oid:2.16.156.10011.1.3', value: '440802199001011234' };
const B = { system: 'urn:oid:2.16.156.10011.1.3', value: '440802198502023456' };
const C = { system: 'urn:oid:2.16.156.10011.1.3', value: '440802197003035678' };
const actor = { physician: '李明', department: '呼吸内科' };
const item = { id: 'cbc', name: '血细胞分析', category: 'lab' as const };
const issuer = { id: 'zj-zxyy', name: '湛江中心人民医院' };
const at = (day: number, h = 10, m = 0) => new Date(Date.UTC(2026, 10, day, h - 8, m)).toISOString();
const card = (n: number) => `00000000-0000-4000-8000-0000000000c${n}`;
const id = (n: number) => `00000000-0000-4000-8000-00000000d${String(n).padStart(3, '0')}`;

const result = (n: number) => ({ id: `DiagnosticReport/R${n}`, reportNumber: `ZJZX-${n}`, date: '2026-10-28', issuer });
const prompted = (patient: typeof A, n: number, when: string): AuditEvent => ({ kind: 'prompted', at: when, actor, patient, card: card(n), item, trigger: 'patient-view', result: result(n), pack: { id: 'demo', version: '1' } });

function decision(patient: typeof A, n: number, uuid: number, outcome: 'accepted' | 'overridden', when: string, revises?: number): Decision {
  return {
    uuid: id(uuid),
    card: card(n),
    outcome,
    ...(outcome === 'accepted'
      ? { acceptedSuggestions: [{ id: 'recognize' }] }
      : { overrideReason: { reason: { system: RETEST_REASON_SYSTEM, code: 'RT-2', display: '检查检验结果在疾病发展演变过程中变化较快的' } } }),
    outcomeTimestamp: when,
    extension: {
      [EXT]: {
        hospital: HOSPITAL,
        patient,
        item,
        result: { id: `DiagnosticReport/R${n}`, reportNumber: `ZJZX-${n}`, date: '2026-10-28' },
        issuer,
        practitioner: actor,
        pack: { id: 'demo', version: '1' },
        trigger: 'patient-view',
        ...(revises ? { revises: id(revises) } : {}),
        ...(outcome === 'accepted' ? { savedPrice: 20 } : {}),
      },
    },
  } as Decision;
}

export const KNOWN_DECISIONS: Decision[] = [
  decision(A, 1, 1, 'accepted', at(3, 11)),
  decision(A, 2, 2, 'overridden', at(3, 11, 5)),
  decision(B, 4, 4, 'accepted', at(5, 9)),
  decision(C, 5, 5, 'overridden', at(6, 10)),
  decision(C, 5, 6, 'accepted', at(6, 15), 5),
  decision(C, 6, 7, 'accepted', new Date(Date.UTC(2026, 10, 2, 2)).toISOString()),
];

export const KNOWN_EVENTS: AuditEvent[] = [
  prompted(A, 1, at(1)),
  prompted(A, 1, at(3)),
  prompted(A, 2, at(3)),
  prompted(B, 3, at(5)),
  prompted(C, 5, at(6)),
  { kind: 'prompted', at: at(6, 10), actor, patient: C, card: card(9), item, trigger: 'patient-view' },
  prompted(C, 6, new Date(Date.UTC(2026, 9, 30, 2)).toISOString()),
  { kind: 'cited', at: at(3, 12), actor, patient: A, card: card(1), decision: id(1), item, how: 'inserted' },
  { kind: 'cited', at: at(3, 12), actor, patient: A, card: card(2), item, how: 'copied' },
  { kind: 'viewed', at: at(1), actor, patient: A, resultCount: 4 },
  { kind: 'viewed', at: at(3), actor, patient: A, resultCount: 4 },
  { kind: 'viewed', at: at(5), actor, patient: B, resultCount: 2 },
  { kind: 'opened', at: at(5, 11), actor, patient: B, target: 'images' },
];

/** November (China time): the expected measures. */
export const NOVEMBER = { from: '2026-11-01', to: '2026-12-01' };
export const KNOWN_NOVEMBER: Measures = {
  reportsShown: 5,
  reportsRecognized: 3,
  reportsRetested: 1,
  reportsUndecided: 1,
  reportsCited: 1,
  prompts: 5,
  views: 4,
  saved: 60,
};
