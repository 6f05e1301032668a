import { chmodSync, existsSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import Fastify from 'fastify';
import { ZodError } from 'zod';
import { AdminError } from './operations.ts';
import { runCommand, type AdminContext } from './commands.ts';
import { TokenError } from '../auth/tokens.ts';

/**
 * The running hub's admin socket: a Unix socket in the data folder, readable and writable by
 * the hub's own OS user only (0600). It exists because PGlite's folder belongs to one process at
 * a time: while the hub runs, `npm run hub -- token issue …` reaches the database through it.
 * No network port, no token: access is the file permission.
 */
export async function startAdminSocket(path: string, ctx: AdminContext): Promise<{ close(): Promise<void> }> {
  if (existsSync(path)) rmSync(path);
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  app.post<{ Params: { command: string } }>('/admin/:command', async (req, reply) => {
    try {
      return { ok: true, value: await runCommand(ctx, req.params.command, req.body) };
    } catch (err) {
      const known = err instanceof AdminError || err instanceof TokenError || err instanceof ZodError;
      return reply.code(known ? 400 : 500).send({ ok: false, error: known ? (err as Error).message : `internal error (${(err as Error).name})` });
    }
  });
  await app.listen({ path });
  chmodSync(path, 0o600);
  return { close: () => app.close() };
}

/** Sends one command to a running hub's admin socket; throws AdminError with the hub's message when it refuses. */
export function callAdminSocket(path: string, command: string, args: unknown): Promise<unknown> {
  const body = JSON.stringify(args ?? {});
  return new Promise((ok, fail) => {
    const req = request(
      { socketPath: path, path: `/admin/${command}`, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ok: boolean; value?: unknown; error?: string };
            if (answer.ok) ok(answer.value);
            else fail(new AdminError(answer.error ?? 'refused'));
          } catch (err) {
            fail(err);
          }
        });
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}
