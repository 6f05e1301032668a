import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccount } from '../../hub/accounts/accounts.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../../hub/accounts/passwords.ts';
import { ENGINES, HOSPITAL, OTHER, bearer, testHub } from './support.ts';
import { KNOWN_DECISIONS, KNOWN_EVENTS } from '../unit/stats/known-scenario.ts';

const PASSWORD = 'Quality-2026!';

describe('passwords', () => {
  it('scrypt hashes verify, differ per salt, and reject a wrong password; weak ones are refused', async () => {
    const a = await hashPassword(PASSWORD);
    const b = await hashPassword(PASSWORD);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(PASSWORD, a)).toBe(true);
    expect(await verifyPassword('Quality-2026?', a)).toBe(false);
    expect(passwordProblem('short1')).toBeTruthy();
    expect(passwordProblem('onlyletterslong')).toBeTruthy();
    expect(passwordProblem(PASSWORD)).toBeNull();
  });
});

describe.each(ENGINES)('dashboard API on %s', (engine) => {
  let t: Awaited<ReturnType<typeof testHub>>;
  beforeAll(async () => {
    t = await testHub(engine);
    for (const a of [
      { username: 'quality', displayName: '医务科', role: 'quality', hospitalId: HOSPITAL },
      { username: 'head', displayName: '科主任', role: 'department_head', hospitalId: HOSPITAL, department: '心内科' },
      { username: 'region', displayName: '区域', role: 'region' },
      { username: 'other', displayName: '另一院医务科', role: 'quality', hospitalId: OTHER },
    ]) await addAccount(t.db, { ...a, password: PASSWORD }, 'test');
    const post = (path: string, body: unknown) =>
      t.hub.app.inject({ method: 'POST', url: `/cds-services/huren/${path}`, headers: { 'content-type': 'application/json', ...bearer(t.token) }, payload: JSON.stringify(body) });
    await post('feedback', { feedback: KNOWN_DECISIONS });
    await post('events', { events: KNOWN_EVENTS.map((event) => ({ uuid: crypto.randomUUID(), hospital: HOSPITAL, event })) });
    await t.hub.refresher.refresh();
  }, 60_000);
  afterAll(() => t.close());

  async function signIn(username: string, password = PASSWORD) {
    const res = await t.hub.app.inject({ method: 'POST', url: '/api/v1/session', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username, password }) });
    const cookie = String(res.headers['set-cookie'] ?? '').split(';')[0] ?? '';
    return { res, cookie, csrf: res.statusCode === 200 ? (res.json() as { csrfToken: string }).csrfToken : '' };
  }
  const get = (cookie: string, url: string) => t.hub.app.inject({ method: 'GET', url, headers: { cookie } });
  const NOV = 'from=2026-11-01&to=2026-12-01';

  it('signs in with an HttpOnly, SameSite=Strict session cookie; the database holds only a hash of it', async () => {
    const { res, cookie } = await signIn('quality');
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict; Path=\/; Max-Age=28800/);
    const token = cookie.split('=')[1]!;
    const stored = await t.db.query<{ id: Uint8Array }>('select id from account_session');
    expect(stored.rows.every((r) => Buffer.from(r.id).toString('base64url') !== token && Buffer.from(r.id).length === 32)).toBe(true);
    expect((await get(cookie, '/api/v1/session')).json()).toMatchObject({ account: { username: 'quality', role: 'quality' } });
    expect((await get('', '/api/v1/session')).statusCode).toBe(401);
  });

  it('refuses a change without the CSRF token, and a cross-origin sign-in', async () => {
    const { cookie, csrf } = await signIn('quality');
    const out = (headers: Record<string, string>) => t.hub.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie, ...headers } });
    expect((await out({})).statusCode).toBe(403);
    expect((await out({ 'x-csrf-token': 'wrong' })).statusCode).toBe(403);
    expect((await out({ 'x-csrf-token': csrf })).statusCode).toBe(200);
    expect((await get(cookie, '/api/v1/session')).statusCode).toBe(401);
    const cross = await t.hub.app.inject({ method: 'POST', url: '/api/v1/session', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, payload: JSON.stringify({ username: 'quality', password: PASSWORD }) });
    expect(cross.statusCode).toBe(403);
  });

  it('throttles sign-in after 5 failures for a username, and audits every attempt', async () => {
    await addAccount(t.db, { username: 'victim', displayName: 'x', role: 'region', password: PASSWORD }, 'test');
    for (let i = 0; i < 5; i++) expect((await signIn('victim', 'wrong-password-1')).res.statusCode).toBe(401);
    const blocked = await signIn('victim', PASSWORD);
    expect(blocked.res.statusCode).toBe(429);
    expect(blocked.res.headers['retry-after']).toBeTruthy();
    const { rows } = await t.db.query<{ outcome: string }>(`select outcome from hub_audit where action = 'account.login' and detail->>'username' = 'victim'`);
    expect(rows.map((r) => r.outcome).sort()).toEqual(['denied', 'denied', 'denied', 'denied', 'denied', 'throttled']);
  });

  it('医务科 sees its own hospital only, whatever it asks', async () => {
    const { cookie } = await signIn('quality');
    const own = (await get(cookie, `/api/v1/measures?groupBy=all&${NOV}&hospital=${OTHER}`)).json() as { scope: { hospitalId: string }; total: { measures: { reportsShown: number } } };
    expect(own.scope.hospitalId).toBe(HOSPITAL);
    expect(own.total.measures.reportsShown).toBe(5);
    const other = await signIn('other');
    expect(((await get(other.cookie, `/api/v1/measures?groupBy=all&${NOV}&hospital=${HOSPITAL}`)).json() as { total: { measures: { reportsShown: number } } }).total.measures.reportsShown).toBe(0);
  });

  it('科主任 is held to its department', async () => {
    const { cookie } = await signIn('head');
    const res = (await get(cookie, `/api/v1/measures?groupBy=department&${NOV}&department=呼吸内科`)).json() as { scope: { department: string }; rows: { key: string }[] };
    expect(res.scope.department).toBe('心内科');
    expect(res.rows.every((r) => r.key === '心内科')).toBe(true);
  });

  it('区域 sees hospitals side by side, never inside one, never patient-level rows', async () => {
    const { cookie } = await signIn('region');
    const rows = ((await get(cookie, `/api/v1/measures?groupBy=hospital&${NOV}`)).json() as { rows: { key: string; measures: { reportsShown: number }; rates: { recognitionRate: number } }[] }).rows;
    expect(rows.find((r) => r.key === HOSPITAL)).toMatchObject({ measures: { reportsShown: 5 }, rates: { recognitionRate: 0.6 } });
    expect((await get(cookie, `/api/v1/measures?groupBy=physician&${NOV}`)).statusCode).toBe(403);
    expect((await get(cookie, `/api/v1/measures?groupBy=hospital&${NOV}&department=心内科`)).statusCode).toBe(403);
    expect((await get(cookie, `/api/v1/drilldown?${NOV}&hospital=${HOSPITAL}`)).statusCode).toBe(403);
    expect((await get(cookie, `/api/v1/export?view=drilldown&${NOV}&hospital=${HOSPITAL}&format=csv`)).statusCode).toBe(403);
  });

  it('the drill-down masks identifiers and writes an audit row for every view and export', async () => {
    const { cookie } = await signIn('quality');
    const before = (await t.db.query<{ n: number }>(`select count(*)::int as n from hub_audit where action = 'view.drilldown'`)).rows[0]!.n;
    const res = (await get(cookie, `/api/v1/drilldown?${NOV}&outcome=accepted`)).json() as { rows: { patient: string; outcome: string; reportNumber: string | null }[] };
    expect(res.rows).toHaveLength(3);
    expect(res.rows.every((r) => /^\d{4}\*{10}\d{4}$/.test(r.patient) && r.outcome === 'accepted')).toBe(true);
    const csv = await get(cookie, `/api/v1/export?view=drilldown&${NOV}&format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.body).not.toMatch(/\d{17}[\dX]/);
    const xlsx = await get(cookie, `/api/v1/export?view=measures&groupBy=department&${NOV}&format=xlsx`);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const after = await t.db.query<{ actor: string; detail: { rows: number } }>(`select actor, detail from hub_audit where action = 'view.drilldown' order by id`);
    expect(after.rows.length).toBe(before + 2);
    expect(after.rows.at(-2)).toMatchObject({ actor: 'account:quality', detail: { rows: 3 } });
  });

  it('measures come with the shared rates and the deviation rule in words', async () => {
    const { cookie } = await signIn('quality');
    const defs = (await get(cookie, '/api/v1/definitions')).json() as { rates: { id: string }[]; ruleText: Record<string, string> };
    expect(defs.rates.map((r) => r.id)).toEqual(['recognitionRate', 'promptRate', 'decisionShare', 'citationRate', 'recognitionPerView', 'undecidedShare']);
    expect(defs.ruleText['zh-CN']).toContain('偏离标记');
    const m = (await get(cookie, `/api/v1/measures?groupBy=all&${NOV}`)).json() as { total: { rates: Record<string, number> } };
    expect(m.total.rates).toMatchObject({ recognitionRate: 0.6, promptRate: 0.6, decisionShare: 0.75 });
    expect((await get(cookie, `/api/v1/measures?groupBy=all&from=2026-11-01&to=2028-01-01`)).statusCode).toBe(400);
  });
});
