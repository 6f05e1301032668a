import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';

/**
 * Ingest tokens (接入令牌). A browser (extension or widget) sends `Authorization: Bearer
 * hrt_<id>_<secret>`; the hub keeps only SHA-256(secret) (the secret is 256 random bits, so a
 * fast hash is enough: there is nothing to brute-force, unlike a password). Each token belongs to
 * one hospital and writes only for it. Scope, by default one token per department: that is how
 * group policy reaches workstations (one OU per department), a leaked token is revoked without
 * stopping the rest of the hospital, and every stored row names the token (and so the
 * department or workstation) that wrote it. A token may also name one workstation, or the whole
 * hospital for a small clinic.
 */
export type TokenScope = 'hospital' | 'department' | 'workstation';

export interface TokenPrincipal {
  tokenId: string;
  hospitalId: string;
  scope: TokenScope;
  campusId: string | null;
  department: string | null;
  label: string;
}

export interface IssuedToken extends TokenPrincipal {
  /** The bearer token, shown once: the hub cannot show it again. */
  token: string;
}

const TOKEN_RE = /^hrt_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/;
const sha256 = (text: string) => createHash('sha256').update(text).digest();

export class TokenError extends Error {
  override name = 'TokenError';
}

export async function issueToken(
  db: Queryable,
  input: { hospitalId: string; scope: TokenScope; label: string; campusId?: string; department?: string; actor: string },
): Promise<IssuedToken> {
  if (input.scope === 'department' && !input.department) throw new TokenError('a department token names its department (--department)');
  const { rows } = await db.query('select 1 from hospital where id = $1', [input.hospitalId]);
  if (!rows[0]) throw new TokenError(`no hospital ${input.hospitalId}: add it first (hub hospital add)`);
  const id = randomBytes(9).toString('base64url');
  const secret = randomBytes(32).toString('base64url');
  await db.query(
    `insert into ingest_token (id, hospital_id, scope, campus_id, department, label, secret_sha256, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [id, input.hospitalId, input.scope, input.campusId ?? null, input.department ?? null, input.label, sha256(secret), input.actor],
  );
  await db.query(`insert into hub_audit (actor, action, hospital_id, outcome, detail) values ($1, 'token.issue', $2, 'ok', $3)`, [
    input.actor,
    input.hospitalId,
    JSON.stringify({ tokenId: id, scope: input.scope, label: input.label }),
  ]);
  return {
    token: `hrt_${id}_${secret}`,
    tokenId: id,
    hospitalId: input.hospitalId,
    scope: input.scope,
    campusId: input.campusId ?? null,
    department: input.department ?? null,
    label: input.label,
  };
}

export async function revokeToken(db: Queryable, tokenId: string, actor: string): Promise<boolean> {
  const { rows } = await db.query<{ hospital_id: string }>(
    'update ingest_token set revoked_at = now(), revoked_by = $2 where id = $1 and revoked_at is null returning hospital_id',
    [tokenId, actor],
  );
  await db.query(`insert into hub_audit (actor, action, hospital_id, outcome, detail) values ($1, 'token.revoke', $2, $3, $4)`, [
    actor,
    rows[0]?.hospital_id ?? null,
    rows[0] ? 'ok' : 'not-found',
    JSON.stringify({ tokenId }),
  ]);
  return rows.length > 0;
}

export interface TokenRow {
  id: string;
  hospital_id: string;
  scope: TokenScope;
  campus_id: string | null;
  department: string | null;
  label: string;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export async function listTokens(db: Queryable, hospitalId?: string): Promise<TokenRow[]> {
  const { rows } = await db.query<TokenRow>(
    `select id, hospital_id, scope, campus_id, department, label, created_at, revoked_at, last_used_at
     from ingest_token where $1::text is null or hospital_id = $1 order by hospital_id, created_at`,
    [hospitalId ?? null],
  );
  return rows;
}

interface Cached {
  principal: TokenPrincipal | null;
  hash: Buffer | null;
  until: number;
}

/**
 * Checks bearer tokens against the database, remembering each token id's row for `ttlMs`, so
 * a busy hub does not read the token table on every request. A revocation through this hub
 * (admin socket) takes effect at once; one written to the database by another process within
 * `ttlMs`. `last_used_at` is written at most once per `ttlMs` per token.
 */
export class TokenAuthority {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly db: Database,
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  async authenticate(header: string | undefined): Promise<TokenPrincipal | null> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    const parts = match ? TOKEN_RE.exec(match[1]!) : null;
    if (!parts) return null;
    const [, id, secret] = parts as unknown as [string, string, string];
    let entry = this.cache.get(id);
    if (!entry || entry.until < this.now()) {
      entry = await this.load(id);
      // Unknown ids are not remembered: random tokens must not grow the cache.
      if (!entry.principal) return null;
      this.cache.set(id, entry);
      void this.db.query('update ingest_token set last_used_at = now() where id = $1', [id]).catch(() => undefined);
    }
    if (!entry.principal || !entry.hash) return null;
    const given = sha256(secret);
    return given.length === entry.hash.length && timingSafeEqual(given, entry.hash) ? entry.principal : null;
  }

  /** Forgets a token at once (after a revocation here). */
  forget(tokenId: string): void {
    this.cache.delete(tokenId);
  }

  private async load(id: string): Promise<Cached> {
    const { rows } = await this.db.query<TokenRow & { secret_sha256: Buffer | Uint8Array }>(
      'select id, hospital_id, scope, campus_id, department, label, secret_sha256 from ingest_token where id = $1 and revoked_at is null',
      [id],
    );
    const row = rows[0];
    const until = this.now() + this.ttlMs;
    if (!row) return { principal: null, hash: null, until };
    return {
      principal: { tokenId: row.id, hospitalId: row.hospital_id, scope: row.scope, campusId: row.campus_id, department: row.department, label: row.label },
      hash: Buffer.from(row.secret_sha256),
      until,
    };
  }
}
