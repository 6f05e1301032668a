import type { Measures, RateId } from '../../shared/stats/definitions';
import type { RatedRow } from '../../shared/stats/groups';
import type { DeviationRule } from '../../shared/stats/deviation';

/** The dashboard's calls to its hub (same origin, session cookie; the CSRF token on every change). */
export type Role = 'admin' | 'quality' | 'department_head' | 'region';
export interface Account {
  username: string;
  displayName: string;
  role: Role;
  hospitalId: string | null;
  department: string | null;
}
export type GroupBy = 'all' | 'hospital' | 'campus' | 'department' | 'physician' | 'item' | 'category' | 'issuer' | 'reason' | 'day' | 'week' | 'month';

export interface Filters {
  from: string;
  to: string;
  hospital?: string;
  campus?: string;
  department?: string;
  physician?: string;
  item?: string;
  issuer?: string;
}

export interface MeasuresAnswer {
  rows: RatedRow[];
  total: RatedRow;
  rule: DeviationRule;
  refreshedAt: string;
}

export type { DrilldownRow } from '../monitoring/drilldown';
import type { DrilldownRow } from '../monitoring/drilldown';

export interface Definitions {
  rates: { id: RateId; name: { 'zh-CN': string; en: string }; formula: { 'zh-CN': string; en: string } }[];
  rule: DeviationRule;
  ruleText: { 'zh-CN': string; en: string };
}

export interface Hospitals {
  hospitals: { id: string; name: string; level: string | null; region: string | null }[];
  campuses: { hospital_id: string; id: string; name: string }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken = '';

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(method !== 'GET' ? { 'x-csrf-token': csrfToken } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new ApiError(res.status, json.error ?? `HTTP ${res.status}`);
  return json as T;
}

export function query(filters: Filters, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v !== undefined) params.set(k, v);
  return params.toString();
}

export const api = {
  async session(): Promise<Account | null> {
    try {
      const s = await call<{ account: Account; csrfToken: string }>('GET', '/api/v1/session');
      csrfToken = s.csrfToken;
      return s.account;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    }
  },
  async signIn(username: string, password: string): Promise<Account> {
    const s = await call<{ account: Account; csrfToken: string }>('POST', '/api/v1/session', { username, password });
    csrfToken = s.csrfToken;
    return s.account;
  },
  signOut: () => call<{ ok: true }>('DELETE', '/api/v1/session'),
  definitions: () => call<Definitions>('GET', '/api/v1/definitions'),
  hospitals: () => call<Hospitals>('GET', '/api/v1/hospitals'),
  measures: (filters: Filters, groupBy: GroupBy) => call<MeasuresAnswer>('GET', `/api/v1/measures?${query(filters, { groupBy })}`),
  drilldown: (filters: Filters, outcome?: string) => call<{ rows: DrilldownRow[]; limit: number }>('GET', `/api/v1/drilldown?${query(filters, { outcome })}`),
  refresh: () => call<{ rebuilt: number }>('POST', '/api/v1/refresh'),
  exportUrl: (view: 'measures' | 'drilldown', filters: Filters, extra: Record<string, string | undefined>) => `/api/v1/export?${query(filters, { view, ...extra })}`,
};

export type { Measures, RateId, RatedRow };
