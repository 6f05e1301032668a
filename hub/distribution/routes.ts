import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * The hospital's extension, served by its own hub so Chrome and Edge can force-install and update
 * it through policy (ExtensionInstallForcelist / ExtensionSettings pointing at
 * `{hub}/extension/{build}/updates.xml`). `npm run package -- --config hospital.json --publish
 * <hub data folder>` puts the signed CRX3 and its update manifest in `<data>/distribution/<build>/`.
 *
 * No token: the browser's updater sends none (and no cookie). Nothing secret is in a package —
 * tokens only ever come through policy — and the CRX is signed, so a copy fetched by anyone is
 * harmless and a tampered one is refused by the browser.
 */
const BUILD = /^[a-z0-9][a-z0-9-]{0,63}$/;
const CRX = /^huren-[a-z0-9-]{1,64}-\d+(\.\d+){0,3}\.crx$/;

export function distributionRoutes(dir: string | undefined) {
  return async (app: FastifyInstance): Promise<void> => {
    const serve = async (build: string, file: string, type: string, cache: string, reply: import('fastify').FastifyReply) => {
      if (!dir || !BUILD.test(build)) return reply.code(404).send({ error: 'not found', path: '(url)' });
      const path = join(dir, build, file);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) return reply.code(404).send({ error: 'not found', path: '(url)' });
      return reply.headers({ 'content-type': type, 'content-length': String(info.size), 'cache-control': cache, 'x-content-type-options': 'nosniff' }).send(createReadStream(path));
    };
    // The update manifest changes with every release: always revalidated.
    app.get<{ Params: { build: string } }>('/extension/:build/updates.xml', async (req, reply) => serve(req.params.build, 'updates.xml', 'application/xml; charset=utf-8', 'no-cache', reply));
    // A CRX is named by its version and never changes.
    app.get<{ Params: { build: string; file: string } }>('/extension/:build/:file', async (req, reply) =>
      CRX.test(req.params.file) ? serve(req.params.build, req.params.file, 'application/x-chrome-extension', 'public, max-age=31536000, immutable', reply) : reply.code(404).send({ error: 'not found', path: '(url)' }),
    );
  };
}
