import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Queryable } from '../db/database.ts';
import { AdminError } from '../admin/operations.ts';
import { DUMMY_HASH, hashPassword, passwordProblem, verifyPassword } from './passwords.ts';

export const Role = z.enum(['admin', 'quality', 'department_head', 'region']);
export type Role = z.infer<typeof Role>;

/** Who is signed in, and what they may see. */
export interface Account {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  /** quality and department_head: their hospital. */
  hospitalId: string | null;
  /** department_head: their department. */
  department: string | null;
}

export const AccountInput = z.strictObject({
  username: z.string().trim().min(3).max(64).regex(/^[\w.@-]+$/, 'letters, digits and . _ @ - only'),
  displayName: z.string().trim().min(1).max(64),
  role: Role,
  hospitalId: z.string().min(1).max(64).optional(),
  department: z.string().trim().min(1).max(64).optional(),
  password: z.string(),
});

export async function addAccount(db: Queryable, input: unknown, actor: string): Promise<Account> {
  const parsed = AccountInput.safeParse(input);
  if (!parsed.success) throw new AdminError(`${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  const a = parsed.data;
  const weak = passwordProblem(a.password);
  if (weak) throw new AdminError(`password: ${weak}`);
  const needsHospital = a.role === 'quality' || a.role === 'department_head';
  if (needsHospital !== !!a.hospitalId) throw new AdminError(needsHospital ? `a ${a.role} account names its hospital (--hospital)` : `a ${a.role} account has no hospital`);
  if ((a.role === 'department_head') !== !!a.department) throw new AdminError(a.role === 'department_head' ? 'a department_head account names its department (--department)' : 'only a department_head account has a department');
  const { rows } = await db.query<{ id: number }>(
    `insert into account (username, display_name, password_hash, role, hospital_id, department) values ($1, $2, $3, $4, $5, $6)
     on conflict (username) do nothing returning id`,
    [a.username, a.displayName, await hashPassword(a.password), a.role, a.hospitalId ?? null, a.department ?? null],
  );
  if (!rows[0]) throw new AdminError(`account ${a.username} exists already`);
  await db.query(`insert into hub_audit (actor, action, hospital_id, outcome, detail) values ($1, 'account.add', $2, 'ok', $3)`, [
    actor,
    a.hospitalId ?? null,
    JSON.stringify({ username: a.username, role: a.role, department: a.department }),
  ]);
  return { id: rows[0].id, username: a.username, displayName: a.displayName, role: a.role, hospitalId: a.hospitalId ?? null, department: a.department ?? null };
}

interface AccountRow {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  hospital_id: string | null;
  department: string | null;
}

const toAccount = (r: AccountRow): Account => ({ id: Number(r.id), username: r.username, displayName: r.display_name, role: r.role, hospitalId: r.hospital_id, department: r.department });

/** The account for these credentials, or null (same time either way). */
export async function checkCredentials(db: Queryable, username: string, password: string): Promise<Account | null> {
  const { rows } = await db.query<AccountRow>('select * from account where username = $1 and disabled_at is null', [username]);
  const row = rows[0];
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  return row && ok ? toAccount(row) : null;
}

export const SESSION_HOURS = 8;
const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** A new session: the cookie token (shown to the browser only) and its CSRF token. */
export async function openSession(db: Queryable, account: Account): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000);
  await db.query('insert into account_session (id, account_id, csrf_token, expires_at) values ($1, $2, $3, $4)', [sha256(token), account.id, csrfToken, expiresAt]);
  await db.query(`delete from account_session where expires_at < now()`);
  return { token, csrfToken, expiresAt };
}

export async function sessionAccount(db: Queryable, token: string | undefined): Promise<{ account: Account; csrfToken: string } | null> {
  if (!token || token.length > 100) return null;
  const { rows } = await db.query<AccountRow & { csrf_token: string }>(
    `select a.*, s.csrf_token from account_session s join account a on a.id = s.account_id
     where s.id = $1 and s.expires_at > now() and a.disabled_at is null`,
    [sha256(token)],
  );
  return rows[0] ? { account: toAccount(rows[0]), csrfToken: rows[0].csrf_token } : null;
}

export async function closeSession(db: Queryable, token: string): Promise<void> {
  await db.query('delete from account_session where id = $1', [sha256(token)]);
}

/**
 * Login throttling: after 5 failures for one username within 15 minutes, each further attempt
 * for it waits a doubling delay (1 s, 2 s … 15 min); one address gets 50 failures before the same
 * (a hospital's workstations often share one address behind NAT, so one guesser must not lock
 * out the others). A success clears the username's count. In memory: one hub process answers the
 * dashboard.
 */
export interface ThrottleKey {
  key: string;
  /** Failures allowed before the delays start. */
  after: number;
}

export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; first: number; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds to wait before this attempt may be checked, 0 when it may. */
  waitMs(keys: ThrottleKey[]): number {
    const t = this.now();
    return Math.max(0, ...keys.map((k) => (this.failures.get(k.key)?.until ?? 0) - t));
  }

  failed(keys: ThrottleKey[]): void {
    const t = this.now();
    for (const { key, after } of keys) {
      const f = this.failures.get(key);
      const entry = f && t - f.first < 15 * 60_000 ? { ...f, count: f.count + 1 } : { count: 1, first: t, until: 0 };
      if (entry.count >= after) entry.until = t + Math.min(15 * 60_000, 1000 * 2 ** (entry.count - after));
      this.failures.set(key, entry);
    }
    if (this.failures.size > 100_000) this.failures.clear();
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }
}
