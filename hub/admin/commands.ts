import { z } from 'zod';
import type { Database } from '../db/database.ts';
import type { HubKeys } from '../security/keys.ts';
import type { TokenAuthority } from '../auth/tokens.ts';
import type { RollupRefresher } from '../monitoring/refresh.ts';
import { addAccount } from '../accounts/accounts.ts';
import {
  activatePack,
  AdminError,
  currentConfigBody,
  importOrg,
  ingestSummary,
  issueToken,
  listHospitals,
  listPacks,
  listTokens,
  publishPack,
  revokeToken,
  setConfig,
} from './operations.ts';

/** What an admin command runs against: the database, the keys, and (inside a running hub) its token cache. */
export interface AdminContext {
  db: Database;
  keys: HubKeys;
  tokens?: TokenAuthority;
  refresher?: RollupRefresher;
}

/**
 * Every admin command, once: the CLI runs them against the database directly, or sends them to
 * a running hub's admin socket (when PGlite's folder is held by that hub), which runs the same
 * function. Arguments are validated here either way.
 */
export const COMMANDS = {
  'org.import': async (ctx: AdminContext, args: { org: unknown; actor: string }) => importOrg(ctx.db, args.org, args.actor),
  'hospital.list': async (ctx: AdminContext) => listHospitals(ctx.db),
  'token.issue': async (ctx: AdminContext, args: unknown) => {
    const a = z
      .object({
        hospitalId: z.string().min(1),
        scope: z.enum(['hospital', 'department', 'workstation']),
        label: z.string().trim().min(1).max(128),
        campusId: z.string().min(1).optional(),
        department: z.string().trim().min(1).max(64).optional(),
        actor: z.string().min(1),
      })
      .parse(args);
    return issueToken(ctx.db, a);
  },
  'token.revoke': async (ctx: AdminContext, args: { tokenId: string; actor: string }) => {
    const revoked = await revokeToken(ctx.db, args.tokenId, args.actor);
    ctx.tokens?.forget(args.tokenId);
    return { revoked };
  },
  'token.list': async (ctx: AdminContext, args: { hospitalId?: string }) => listTokens(ctx.db, args.hospitalId),
  'pack.publish': async (ctx: AdminContext, args: { text: string; actor: string }) => publishPack(ctx.db, ctx.keys, args.text, args.actor),
  'pack.activate': async (ctx: AdminContext, args: { hospitalIds: string[] | 'all'; id: string; version: string; actor: string }) => {
    const ids = args.hospitalIds === 'all' ? (await listHospitals(ctx.db)).map((h) => h.id) : args.hospitalIds;
    if (ids.length === 0) throw new AdminError('no hospital to activate the pack for');
    return activatePack(ctx.db, ids, { id: args.id, version: args.version }, args.actor);
  },
  'pack.list': async (ctx: AdminContext) => listPacks(ctx.db),
  'config.set': async (ctx: AdminContext, args: { hospitalId: string; body: unknown; actor: string }) => setConfig(ctx.db, args.hospitalId, args.body, args.actor),
  'config.show': async (ctx: AdminContext, args: { hospitalId: string }) => currentConfigBody(ctx.db, args.hospitalId),
  'keys.show': async (ctx: AdminContext) => ({ publicKey: ctx.keys.publicKey, keyId: ctx.keys.keyId }),
  'stats': async (ctx: AdminContext) => ingestSummary(ctx.db),
  'account.add': async (ctx: AdminContext, args: { account: unknown; actor: string }) => addAccount(ctx.db, args.account, args.actor),
  'account.list': async (ctx: AdminContext) =>
    (await ctx.db.query('select id, username, display_name, role, hospital_id, department, created_at, disabled_at from account order by id')).rows,
  'account.disable': async (ctx: AdminContext, args: { username: string; actor: string }) => {
    const { rows } = await ctx.db.query('update account set disabled_at = now() where username = $1 and disabled_at is null returning id', [args.username]);
    await ctx.db.query(`delete from account_session where account_id in (select id from account where username = $1)`, [args.username]);
    await ctx.db.query(`insert into hub_audit (actor, action, outcome, detail) values ($1, 'account.disable', $2, $3)`, [args.actor, rows[0] ? 'ok' : 'not-found', JSON.stringify({ username: args.username })]);
    return { disabled: rows.length > 0 };
  },
  'audit.recent': async (ctx: AdminContext, args: { limit?: number }) =>
    (await ctx.db.query('select id, at, actor, action, hospital_id, outcome, detail from hub_audit order by id desc limit $1', [Math.min(1000, args.limit ?? 50)])).rows,
  'rollups.refresh': async (ctx: AdminContext) => ({ rebuilt: ctx.refresher ? await ctx.refresher.refresh() : 0 }),
} as const;

export type CommandName = keyof typeof COMMANDS;
export const isCommand = (name: string): name is CommandName => Object.prototype.hasOwnProperty.call(COMMANDS, name);

export async function runCommand(ctx: AdminContext, name: string, args: unknown): Promise<unknown> {
  if (!isCommand(name)) throw new AdminError(`unknown command ${name}`);
  return (COMMANDS[name] as (ctx: AdminContext, args: unknown) => Promise<unknown>)(ctx, args ?? {});
}
