import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { FLEET_CONFIG_PATH } from '../shared/fleet/config.ts';
import type { Database } from './db/database.ts';
import { schemaVersion } from './db/migrate.ts';
import type { HubKeys } from './security/keys.ts';
import { TokenAuthority, type TokenPrincipal } from './auth/tokens.ts';
import { ingestBatch, type IngestOutcome } from './ingest/batch.ts';
import { checkDecision, storeDecisions } from './ingest/feedback.ts';
import { checkEvent, storeEvents } from './ingest/events.ts';
import { FleetConfigs } from './fleet/config.ts';
import { KnownNames } from './ingest/names.ts';
import { registerDashboard } from './monitoring/routes.ts';
import { RollupRefresher } from './monitoring/refresh.ts';
import type { DeviationRule } from '../shared/stats/deviation.ts';
import { loggerOptions, type HubLogOptions } from './ops/logging.ts';
import { distributionRoutes } from './distribution/routes.ts';

/** The CDS service the browsers post to: `{base}/feedback` (CDS Hooks 2.0) and `{base}/events`. */
export const CDS_SERVICE = '/cds-services/huren';
/** Largest request body: 500 entries of ordinary size fit with room to spare. */
export const BODY_LIMIT = 2 * 1024 * 1024;

export interface HubOptions {
  db: Database;
  keys: HubKeys;
  now?: () => Date;
  log?: HubLogOptions;
  /** How long a token row is trusted before it is read again (a revocation elsewhere takes this long). */
  tokenTtlMs?: number;
  /** Folder of the hospital extension packages it serves (hub/distribution/routes.ts). */
  distributionDir?: string;
  /** The dashboards' deviation rule. */
  deviationRule?: DeviationRule;
  /** Where the built dashboard is (dist/hub-dashboard). */
  dashboardDir?: string;
}

export interface Hub {
  app: FastifyInstance;
  tokens: TokenAuthority;
  /** Rebuilds the monitoring rollups; startHub runs it every few seconds. */
  refresher: RollupRefresher;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: TokenPrincipal;
  }
}

/** Browsers call from extension and hospital origins with a bearer token and no cookies: any origin may, none gets credentials. */
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type, if-none-match',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-expose-headers': 'etag, retry-after',
  'access-control-max-age': '600',
};

/**
 * The hub's HTTP API (Fastify: pino logging built in, body limits and JSON parsing hardened
 * against prototype poisoning, `inject()` for tests without sockets, and a `close()` that lets
 * requests in flight finish). Routes are thin; SQL lives per concern (ingest/, fleet/, admin/).
 */
export function buildHub(options: HubOptions): Hub {
  const { db, keys } = options;
  const now = options.now ?? (() => new Date());
  const tokens = new TokenAuthority(db, options.tokenTtlMs);
  const fleet = new FleetConfigs(db, keys);
  const known = new KnownNames();
  const refresher = new RollupRefresher(db);
  const app = Fastify({
    logger: loggerOptions(options.log),
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  // JSON only: a text/plain body is answered 415, not read as a string.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err: { name: err.name, code: err.code } }, 'request failed');
    const error =
      err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? `body larger than ${BODY_LIMIT} bytes`
        : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'content-type must be application/json'
          : err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError
            ? 'body is not valid JSON'
            : status >= 500
              ? 'internal error'
              : 'bad request';
    // Never the error's own message: it may quote the body.
    void reply.code(status).headers(CORS).send({ error, path: '(body)' });
  });

  app.setNotFoundHandler((_req, reply) => void reply.code(404).send({ error: 'not found', path: '(url)' }));

  // Liveness: the process answers. Readiness: the database answers and its schema is current.
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    try {
      const version = await schemaVersion(db);
      return version > 0 ? { ok: true, engine: db.engine, schema: version } : reply.code(503).send({ ok: false, error: 'schema not migrated' });
    } catch {
      return reply.code(503).send({ ok: false, error: 'database unavailable' });
    }
  });

  const authenticated = async (req: FastifyRequest, reply: FastifyReply) => {
    void reply.headers(CORS);
    if (req.method === 'OPTIONS') return;
    const principal = await tokens.authenticate(req.headers.authorization);
    if (!principal) {
      void db
        .query(`insert into hub_audit (actor, action, outcome, detail) values ('anonymous', $1, 'denied', '{}'::jsonb)`, [`${req.method} ${req.routeOptions.url}`])
        .catch(() => undefined);
      return reply.code(401).header('www-authenticate', 'Bearer realm="huren-hub"').send({ error: 'missing or invalid bearer token', path: 'headers.authorization' });
    }
    req.principal = principal;
  };

  const send = (reply: FastifyReply, outcome: IngestOutcome) => reply.code(outcome.status).send(outcome.body);

  app.register(async (api) => {
    api.addHook('onRequest', authenticated);
    api.options('/*', async (_req, reply) => reply.code(204).send());

    const decisions = checkDecision(keys, now);
    api.post(`${CDS_SERVICE}/feedback`, async (req, reply) => {
      const principal = req.principal!;
      return send(reply, await ingestBatch(req.body, 'feedback', principal, decisions, (rows) => storeDecisions(db, rows, principal, known)));
    });

    const events = checkEvent(keys, now);
    api.post(`${CDS_SERVICE}/events`, async (req, reply) => {
      const principal = req.principal!;
      return send(reply, await ingestBatch(req.body, 'events', principal, events, (rows) => storeEvents(db, rows, principal, known)));
    });

    api.get(FLEET_CONFIG_PATH, async (req, reply) => {
      const principal = req.principal!;
      const served = await fleet.current(principal.hospitalId);
      void reply.header('cache-control', 'no-cache');
      if (!served) return reply.code(404).send({ error: 'no configuration for this hospital yet', path: '(url)' });
      void reply.header('etag', served.etag);
      if (req.headers['if-none-match'] === served.etag) return reply.code(304).send();
      await db.query(`insert into hub_audit (actor, action, hospital_id, outcome, detail) values ($1, 'fleet.config', $2, 'ok', $3)`, [
        `token:${principal.tokenId}`,
        principal.hospitalId,
        JSON.stringify({ version: served.version }),
      ]);
      return reply.send(served.document);
    });
  });

  void app.register(distributionRoutes(options.distributionDir));

  // CDS Hooks discovery: which service takes the feedback (no token needed, nothing private).
  app.get('/cds-services', async (_req, reply) =>
    reply.headers(CORS).send({
      services: [{ hook: 'order-select', id: 'huren', title: '互认助手 decisions', description: 'Receives Huren recognition (互认) and re-test (复查) decisions as CDS Hooks feedback.' }],
    }),
  );

  registerDashboard(app, { db, keys, refresher, ...(options.deviationRule ? { rule: options.deviationRule } : {}), ...(options.dashboardDir ? { dashboardDir: options.dashboardDir } : {}) });

  return { app, tokens, refresher };
}
