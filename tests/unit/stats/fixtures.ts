import type { AuditEvent } from '../../../shared/audit/event';
import { cardId } from '../../../shared/decisions/card-id';
import { makeDecision } from '../../../shared/decisions/make-decision';
import type { Decision, DecisionContext } from '../../../shared/domain/decision';
import type { RetestReason } from '../../../shared/rules';

export const PATIENT = { system: 'urn:oid:2.16.156.10011.1.4', value: '440802197003150017' };

export const reason = (n: number, commentRequired = false): RetestReason =>
  ({ code: `RT-${n}`, label: { 'zh-CN': `原因${n}`, en: `reason ${n}` }, commentRequired }) as unknown as RetestReason;

let seq = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

export interface Made {
  dept?: string;
  phys?: string;
  item?: string;
  price?: number;
  at: string;
  outcome: 'accepted' | 'overridden';
  reason?: number;
  card?: string;
  revises?: string;
}

/** A decision as the panel would make it. */
export function decision(m: Made): Decision {
  const item = m.item ?? 'cbc';
  // A card is one result of one patient: a revision (same card) is about the same result.
  const card = m.card ?? cardId('demo', item, uuid());
  const about: DecisionContext = {
    patient: PATIENT,
    item: { id: item, name: item === 'cbc' ? '血细胞分析' : item, category: 'lab' },
    result: { id: `Observation/${card}`, date: '2026-11-19' },
    issuer: { id: 'zj-zxyy', name: '湛江中心人民医院' },
    practitioner: { physician: m.phys ?? '李明', department: m.dept ?? '心血管内科' },
    pack: { id: 'demo', version: '1' },
    trigger: 'patient-view',
    ...(m.revises ? { revises: m.revises } : {}),
    ...(m.price !== undefined ? { savedPrice: m.price } : {}),
  };
  const choice = m.outcome === 'accepted' ? ({ kind: 'recognize' } as const) : ({ kind: 'retest', reason: reason(m.reason ?? 1), comment: m.reason === 8 ? '说明' : undefined } as const);
  return makeDecision(choice, card, about, { uuid: uuid(), now: new Date(m.at) });
}

export function event(kind: 'viewed' | 'prompted' | 'opened', at: string, extra: Record<string, unknown> = {}): AuditEvent {
  const actor = { physician: '李明', department: '心血管内科' };
  if (kind === 'viewed') return { kind, at, actor, patient: PATIENT, resultCount: 3, ...extra } as AuditEvent;
  if (kind === 'prompted')
    return { kind, at, actor, patient: PATIENT, card: uuid(), item: { id: 'cbc', name: '血细胞分析', category: 'lab' }, trigger: 'patient-view', ...extra } as AuditEvent;
  return { kind, at, actor, patient: PATIENT, target: 'images', ...extra } as AuditEvent;
}
