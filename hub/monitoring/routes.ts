import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import type { HubKeys } from '../security/keys.ts';
import { checkCredentials, closeSession, LoginThrottle, openSession, SESSION_HOURS, sessionAccount, type Account } from '../accounts/accounts.ts';
import { addMeasures, EMPTY_MEASURES, RATES } from '../../shared/stats/definitions.ts';
import { describeRule, rateRows } from '../../shared/stats/groups.ts';
import { DEFAULT_DEVIATION_RULE, type DeviationRule } from '../../shared/stats/deviation.ts';
import { measuresBy, type GroupBy, type Scope } from './queries.ts';
import { AccessError, allowedScope, mayDrillDown } from './access.ts';
import { drilldown, DRILLDOWN_LIMIT, type OutcomeFilter } from './drilldown.ts';
import { asCsv, asXlsx, drilldownColumns, measureColumns } from './exports.ts';
import type { RollupRefresher } from './refresh.ts';

export const DASHBOARD_DIR = resolve(import.meta.dirname, '../../dist/hub-dashboard');
const COOKIE = 'huren_session';

export interface DashboardOptions {
  db: Database;
  keys: HubKeys;
  refresher?: RollupRefresher;
  /** The deviation rule on screen and in exports (docs/monitoring.md). */
  rule?: DeviationRule;
  dashboardDir?: string;
}

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const Query = z.object({
  groupBy: z.enum(['all', 'hospital', 'campus', 'department', 'physician', 'item', 'category', 'issuer', 'reason', 'day', 'week', 'month']).default('all'),
  from: Day,
  to: Day,
  hospital: z.string().max(64).optional(),
  campus: z.string().max(64).optional(),
  department: z.string().max(64).optional(),
  physician: z.string().max(64).optional(),
  item: z.string().max(128).optional(),
  issuer: z.string().max(128).optional(),
  outcome: z.enum(['accepted', 'overridden', 'undecided', 'cited']).optional(),
  format: z.enum(['csv', 'xlsx']).optional(),
  lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
});
type Query = z.infer<typeof Query>;

const GROUP_TITLES: Record<GroupBy, { 'zh-CN': string; en: string }> = {
  all: { 'zh-CN': '合计', en: 'Total' },
  hospital: { 'zh-CN': '医院', en: 'Hospital' },
  campus: { 'zh-CN': '院区', en: 'Campus' },
  department: { 'zh-CN': '科室', en: 'Department' },
  physician: { 'zh-CN': '医师', en: 'Physician' },
  item: { 'zh-CN': '项目', en: 'Item' },
  category: { 'zh-CN': '类别', en: 'Category' },
  issuer: { 'zh-CN': '出具机构', en: 'Issuing institution' },
  reason: { 'zh-CN': '复查原因', en: 'Re-test reason' },
  day: { 'zh-CN': '日', en: 'Day' },
  week: { 'zh-CN': '周', en: 'Week' },
  month: { 'zh-CN': '月', en: 'Month' },
};

function cookieOf(req: FastifyRequest): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return undefined;
}

function scopeOf(q: Query): Scope {
  const scope: Scope = { from: q.from, to: q.to };
  if (q.hospital) scope.hospitalId = q.hospital;
  if (q.campus !== undefined) scope.campusId = q.campus;
  if (q.department !== undefined) scope.department = q.department;
  if (q.physician !== undefined) scope.physician = q.physician;
  if (q.item !== undefined) scope.itemId = q.item;
  if (q.issuer !== undefined) scope.issuerId = q.issuer;
  return scope;
}

/**
 * The monitoring dashboard (docs/monitoring.md): sign-in with hub accounts (scrypt passwords,
 * HttpOnly SameSite=Strict session cookie, a CSRF token for every change, login throttling), the
 * measures API (rates from shared/stats/definitions.ts), the audited drill-down, CSV/XLSX exports,
 * and the dashboard's static files. Every role limit is applied here, not in the page.
 */
export function registerDashboard(app: FastifyInstance, options: DashboardOptions): void {
  const { db, keys } = options;
  const rule = options.rule ?? DEFAULT_DEVIATION_RULE;
  const throttle = new LoginThrottle();
  const dir = options.dashboardDir ?? DASHBOARD_DIR;

  const audit = (account: Account | null, action: string, hospitalId: string | null, outcome: string, detail: unknown) =>
    db.query(`insert into hub_audit (actor, action, hospital_id, outcome, detail) values ($1, $2, $3, $4, $5)`, [
      account ? `account:${account.username}` : 'anonymous',
      action,
      hospitalId,
      outcome,
      JSON.stringify(detail),
    ]);

  /** The signed-in account; for changes also the CSRF token. Answers 401/403 itself when missing. */
  async function signedIn(req: FastifyRequest, reply: FastifyReply, change = false): Promise<{ account: Account; csrfToken: string } | null> {
    const session = await sessionAccount(db, cookieOf(req));
    if (!session) {
      void reply.code(401).send({ error: 'not signed in', path: 'cookie' });
      return null;
    }
    if (change && req.headers['x-csrf-token'] !== session.csrfToken) {
      void reply.code(403).send({ error: 'missing or wrong CSRF token', path: 'headers.x-csrf-token' });
      return null;
    }
    return session;
  }

  const sameOrigin = (req: FastifyRequest) => {
    const origin = req.headers.origin;
    return origin === undefined || origin === `${req.protocol}://${req.headers.host}`;
  };

  app.register(async (api) => {
    api.addHook('onSend', async (_req, reply) => {
      void reply.header('cache-control', 'no-store');
    });

    api.post('/api/v1/session', async (req, reply) => {
      const body = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }).safeParse(req.body);
      if (!body.success) return reply.code(400).send({ error: 'username and password', path: body.error.issues[0]!.path.join('.') || '(body)' });
      if (!sameOrigin(req)) return reply.code(403).send({ error: 'cross-origin sign-in refused', path: 'headers.origin' });
      const keysOf = [
        { key: `u:${body.data.username}`, after: 5 },
        { key: `ip:${req.ip}`, after: 50 },
      ];
      const wait = throttle.waitMs(keysOf);
      if (wait > 0) {
        await audit(null, 'account.login', null, 'throttled', { username: body.data.username });
        return reply.code(429).header('retry-after', String(Math.ceil(wait / 1000))).send({ error: 'too many failed sign-ins; wait', path: '(body)' });
      }
      const account = await checkCredentials(db, body.data.username, body.data.password);
      if (!account) {
        throttle.failed(keysOf);
        await audit(null, 'account.login', null, 'denied', { username: body.data.username });
        return reply.code(401).send({ error: 'wrong username or password', path: '(body)' });
      }
      throttle.succeeded(`u:${body.data.username}`);
      const session = await openSession(db, account);
      await audit(account, 'account.login', account.hospitalId, 'ok', {});
      const secure = req.protocol === 'https' || process.env.HUB_COOKIE_SECURE === '1' ? '; Secure' : '';
      void reply.header('set-cookie', `${COOKIE}=${session.token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_HOURS * 3600}${secure}`);
      return { account, csrfToken: session.csrfToken };
    });

    api.get('/api/v1/session', async (req, reply) => {
      const session = await signedIn(req, reply);
      return session && { account: session.account, csrfToken: session.csrfToken };
    });

    api.delete('/api/v1/session', async (req, reply) => {
      const session = await signedIn(req, reply, true);
      if (!session) return;
      await closeSession(db, cookieOf(req)!);
      void reply.header('set-cookie', `${COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
      return { ok: true };
    });

    api.get('/api/v1/hospitals', async (req, reply) => {
      const session = await signedIn(req, reply);
      if (!session) return;
      const own = session.account.hospitalId;
      const { rows } = await db.query<{ id: string; name: string; level: string | null; region: string | null }>(
        `select id, name, level, region from hospital where $1::text is null or id = $1 order by id`,
        [own],
      );
      const { rows: campuses } = await db.query<{ hospital_id: string; id: string; name: string }>(
        `select hospital_id, id, name from campus where $1::text is null or hospital_id = $1 order by hospital_id, id`,
        [own],
      );
      return { hospitals: rows, campuses };
    });

    api.get('/api/v1/definitions', async () => ({
      rates: Object.values(RATES).map(({ id, name, formula }) => ({ id, name, formula })),
      rule,
      ruleText: { 'zh-CN': describeRule(rule, 'zh-CN'), en: describeRule(rule, 'en') },
    }));

    /** Parses the query and applies the account's limits; answers the refusal itself. */
    async function scoped(req: FastifyRequest, reply: FastifyReply) {
      const session = await signedIn(req, reply);
      if (!session) return null;
      const q = Query.safeParse(req.query);
      if (!q.success) return void reply.code(400).send({ error: q.error.issues[0]!.message, path: `query.${q.error.issues[0]!.path.join('.')}` }), null;
      const days = (Date.parse(q.data.to) - Date.parse(q.data.from)) / 86_400_000;
      if (!(days > 0 && days <= 400)) return void reply.code(400).send({ error: 'a period of 1 to 400 days', path: 'query.to' }), null;
      try {
        return { account: session.account, q: q.data, scope: allowedScope(session.account, scopeOf(q.data), q.data.groupBy) };
      } catch (err) {
        if (err instanceof AccessError) return void reply.code(403).send({ error: err.message, path: 'query' }), null;
        throw err;
      }
    }

    /** Re-test reason codes named as the published packs name them (RT-2 → 检查检验结果在疾病发展演变过程中变化较快的). */
    let reasonNames: { at: number; names: Map<string, string> } | undefined;
    async function reasonLabel(code: string): Promise<string> {
      if (!reasonNames || Date.now() - reasonNames.at > 60_000) {
        const names = new Map<string, string>();
        const { rows } = await db.query<{ body_text: string }>('select body_text from rule_pack order by published_at');
        for (const r of rows) {
          const pack = JSON.parse(r.body_text) as { retestReasons?: { code: string; label: { 'zh-CN': string } }[] };
          for (const reason of pack.retestReasons ?? []) names.set(reason.code, reason.label['zh-CN']);
        }
        reasonNames = { at: Date.now(), names };
      }
      return `${code} ${reasonNames.names.get(code) ?? ''}`.trim();
    }

    async function measures(scope: Scope, groupBy: GroupBy) {
      const [found, totals] = await Promise.all([measuresBy(db, scope, groupBy), measuresBy(db, scope, 'all')]);
      // The reasons table lists re-tests only (a report without a reason was not re-tested).
      const rows = groupBy === 'reason' ? await Promise.all(found.filter((r) => r.key !== '').map(async (r) => ({ ...r, label: await reasonLabel(r.key) }))) : found;
      // The reasons table's total is its re-tests; every other table's the period's.
      const total = (groupBy === 'reason' ? rows : totals).reduce((m, r) => addMeasures(m, r.measures), EMPTY_MEASURES);
      const timeline = groupBy === 'day' || groupBy === 'week' || groupBy === 'month';
      const rated = rateRows(rows, total, { rule, flag: !timeline && groupBy !== 'all' && groupBy !== 'reason' });
      rated.sort((a, b) => (timeline ? a.key.localeCompare(b.key) : b.measures.reportsShown - a.measures.reportsShown || a.label.localeCompare(b.label, 'zh-CN')));
      return { rows: rated, total: rateRows([{ key: 'all', label: '', measures: total }], total, { flag: false })[0]! };
    }

    api.get('/api/v1/measures', async (req, reply) => {
      const s = await scoped(req, reply);
      if (!s) return;
      return { scope: s.scope, groupBy: s.q.groupBy, ...(await measures(s.scope, s.q.groupBy)), rule, refreshedAt: new Date().toISOString() };
    });

    async function detail(req: FastifyRequest, reply: FastifyReply) {
      const s = await scoped(req, reply);
      if (!s) return null;
      if (!mayDrillDown(s.account)) return void reply.code(403).send({ error: 'patient-level rows are not shown to a region account', path: '(url)' }), null;
      const hospitalId = s.scope.hospitalId ?? s.q.hospital;
      if (!hospitalId) return void reply.code(400).send({ error: 'the drill-down is within one hospital', path: 'query.hospital' }), null;
      const rows = await drilldown(db, keys, { ...s.scope, hospitalId }, s.q.outcome as OutcomeFilter | undefined);
      // Every view of patient-level rows is recorded: who, when, which filter, how many rows.
      await audit(s.account, 'view.drilldown', hospitalId, 'ok', { scope: { ...s.scope, hospitalId }, outcome: s.q.outcome ?? null, rows: rows.length, export: s.q.format ?? null });
      return { ...s, rows };
    }

    api.get('/api/v1/drilldown', async (req, reply) => {
      const d = await detail(req, reply);
      return d && { rows: d.rows, limit: DRILLDOWN_LIMIT };
    });

    api.get('/api/v1/export', async (req, reply) => {
      const view = (req.query as { view?: string }).view;
      const format = (req.query as { format?: string }).format === 'xlsx' ? 'xlsx' : 'csv';
      const stamp = new Date().toISOString().slice(0, 10);
      const send = (body: Buffer, name: string) =>
        reply
          .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="${name}-${stamp}.${format}"`)
          .send(body);
      if (view === 'drilldown') {
        const d = await detail(req, reply);
        if (!d) return;
        const columns = drilldownColumns(d.q.lang);
        return send(format === 'csv' ? asCsv(d.rows, columns) : await asXlsx(d.rows, columns, '明细'), 'huren-decisions');
      }
      const s = await scoped(req, reply);
      if (!s) return;
      const { rows } = await measures(s.scope, s.q.groupBy);
      const columns = measureColumns(GROUP_TITLES[s.q.groupBy][s.q.lang], s.q.lang);
      return send(format === 'csv' ? asCsv(rows, columns) : await asXlsx(rows, columns, GROUP_TITLES[s.q.groupBy]['zh-CN']), `huren-${s.q.groupBy}`);
    });

    // Ask for the rollups now (after a batch, in tests and the demo); they also refresh every few seconds.
    api.post('/api/v1/refresh', async (req, reply) => {
      const session = await signedIn(req, reply, true);
      if (!session) return;
      return { rebuilt: (await options.refresher?.refresh()) ?? 0 };
    });
  });

  app.get('/dashboard', async (_req, reply) => reply.redirect('/dashboard/'));
  app.get('/dashboard/*', async (req, reply) => {
    const rel = (req.params as { '*': string })['*'] || 'index.html';
    const file = normalize(join(dir, rel));
    const inside = file.startsWith(dir + '/');
    const type = TYPES[extname(file)];
    const body = await readFile(inside && type ? file : join(dir, 'index.html')).catch(() => null);
    if (!body) return reply.code(503).type('text/plain; charset=utf-8').send('The dashboard is not built: npm run build:dashboard');
    return reply
      .headers({
        'content-type': inside && type ? type : TYPES['.html']!,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        'cache-control': rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      })
      .send(body);
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};
