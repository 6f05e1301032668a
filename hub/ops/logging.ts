import type { FastifyServerOptions } from 'fastify';

export interface HubLogOptions {
  /** pino level: fatal, error, warn, info, debug, trace, silent. */
  level?: string;
  /** Where the JSON lines go (stdout when absent); tests read them. */
  stream?: { write(line: string): void };
}

/**
 * Structured JSON logs (pino) without patient data: request logs carry method, route pattern,
 * status and time only (server.ts), never a body, query string or header; errors carry their
 * name and code, never their message (which may quote the body).
 */
export function loggerOptions(options: HubLogOptions = {}): FastifyServerOptions['logger'] {
  return {
    ...(options.stream ? { stream: options.stream } : {}),
    level: options.level ?? process.env.HUB_LOG_LEVEL ?? 'info',
    base: { service: 'huren-hub' },
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], remove: true },
    serializers: {
      req: (req: { method?: string; routeOptions?: { url?: string } }) => ({ method: req.method, route: req.routeOptions?.url }),
      res: (res: { statusCode?: number }) => ({ status: res.statusCode }),
    },
  };
}
