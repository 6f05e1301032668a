import type { Queryable } from '../db/database.ts';
import type { HubKeys } from '../security/keys.ts';
import { maskIdentifier } from '../../shared/ui/panel/patient-key.ts';
import type { Scope } from './queries.ts';

/** 明细: the reports (and their decisions) behind a number, as the hospital audits them. */
export interface DrilldownRow {
  /** When the report was first shown (China time, ISO). */
  shownAt: string;
  decidedAt: string | null;
  outcome: 'accepted' | 'overridden' | null;
  reasonCode: string | null;
  reasonDisplay: string | null;
  comment: string | null;
  cited: boolean;
  department: string;
  physician: string;
  itemName: string;
  category: string;
  issuerName: string;
  resultDate: string | null;
  reportNumber: string | null;
  prompts: number;
  /** The patient's identifier, masked (440803********0194); the full value never leaves the hub. */
  patient: string;
  decision: string | null;
}

export type OutcomeFilter = 'accepted' | 'overridden' | 'undecided' | 'cited';

export const DRILLDOWN_LIMIT = 500;

/**
 * The reports of one hospital in the scope, newest first (at most DRILLDOWN_LIMIT), with who
 * decided what and why. Identifiers are unsealed with the hospital's key only to be masked.
 * The caller writes the audit row (routes.ts): every view of these rows is recorded.
 */
export async function drilldown(db: Queryable, keys: HubKeys, scope: Scope & { hospitalId: string }, outcome?: OutcomeFilter): Promise<DrilldownRow[]> {
  const params: unknown[] = [scope.hospitalId, scope.from, scope.to];
  const parts = ['f.hospital_id = $1', 'f.shown_day >= $2::date', 'f.shown_day < $3::date'];
  const add = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    params.push(value);
    parts.push(`coalesce(${column}, '') = $${params.length}`);
  };
  add('f.campus_id', scope.campusId);
  add('f.department', scope.department);
  add('f.physician', scope.physician);
  add('f.item_id', scope.itemId);
  add('f.issuer_id', scope.issuerId);
  if (outcome === 'undecided') parts.push('f.outcome is null');
  else if (outcome === 'cited') parts.push("f.cited and f.outcome = 'accepted'");
  else if (outcome) parts.push(`f.outcome = '${outcome === 'accepted' ? 'accepted' : 'overridden'}'`);
  const { rows } = await db.query<{
    first_shown_at: Date;
    decided_at: Date | null;
    outcome: 'accepted' | 'overridden' | null;
    reason_code: string | null;
    reason_display: string | null;
    comment: string | null;
    cited: boolean;
    department: string | null;
    physician: string | null;
    item_name: string | null;
    item_category: string | null;
    issuer_name: string | null;
    result_date: string | null;
    report_number: string | null;
    prompts: number;
    patient_sealed: Uint8Array | null;
    decision: string | null;
  }>(
    `select f.first_shown_at, f.decided_at, f.outcome, f.reason_code, d.entry #>> '{overrideReason,reason,display}' as reason_display,
       d.entry #>> '{overrideReason,userComment}' as comment, f.cited, f.department, f.physician, f.item_name, f.item_category, f.issuer_name,
       d.result_date, d.entry ->> 'reportNumber' as report_number, f.prompts, f.patient_sealed, f.decision::text as decision
     from report_fact f left join decision d on d.uuid = f.decision
     where ${parts.join(' and ')}
     order by f.first_shown_at desc, f.result_id
     limit ${DRILLDOWN_LIMIT}`,
    params,
  );
  return rows.map((r) => ({
    shownAt: new Date(r.first_shown_at).toISOString(),
    decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    outcome: r.outcome,
    reasonCode: r.reason_code,
    reasonDisplay: r.reason_display,
    comment: r.comment,
    cited: r.cited,
    department: r.department ?? '',
    physician: r.physician ?? '',
    itemName: r.item_name ?? '',
    category: r.item_category ?? '',
    issuerName: r.issuer_name ?? '',
    resultDate: r.result_date,
    reportNumber: r.report_number,
    prompts: r.prompts,
    patient: r.patient_sealed ? maskIdentifier(keys.unseal(scope.hospitalId, Buffer.from(r.patient_sealed)).value) : '',
    decision: r.decision,
  }));
}
