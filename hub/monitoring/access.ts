import type { Account } from '../accounts/accounts.ts';
import type { GroupBy, Scope } from './queries.ts';

/** What a role may ask for, applied to every dashboard request on the server (the UI only mirrors it). */
export class AccessError extends Error {
  override name = 'AccessError';
}

/** Groupings a region account may use: hospitals side by side, never inside one. */
const REGION_GROUPS: ReadonlySet<GroupBy> = new Set(['all', 'hospital', 'item', 'category', 'day', 'week', 'month']);

/**
 * The scope an account may see for what it asked: 医务科 (quality) is held to its hospital,
 * 科主任 (department_head) to its department, 区域 (region) to hospital-level groupings with no
 * filter inside a hospital; admin sees everything.
 */
export function allowedScope(account: Account, asked: Scope, groupBy: GroupBy): Scope {
  switch (account.role) {
    case 'admin':
      return asked;
    case 'quality':
      return { ...asked, hospitalId: account.hospitalId! };
    case 'department_head':
      return { ...asked, hospitalId: account.hospitalId!, department: account.department! };
    case 'region':
      if (!REGION_GROUPS.has(groupBy)) throw new AccessError(`a region account sees hospitals side by side, not by ${groupBy}`);
      if (asked.campusId ?? asked.department ?? asked.physician ?? asked.issuerId) throw new AccessError('a region account cannot filter inside a hospital');
      return asked;
  }
}

/** Patient-level rows (the drill-down): only inside one hospital, never for a region account. */
export function mayDrillDown(account: Account): boolean {
  return account.role !== 'region';
}
