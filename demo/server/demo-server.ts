import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Bundle } from '@medplum/fhirtypes';
import { DemoFhirServer } from '../fhir/fhir-server.ts';
import type { Faults } from './faults.ts';
import { FeedbackEndpoint } from './feedback.ts';
import { CdaEndpoints } from '../cda/cda-endpoints.ts';
import type { DemoDocument } from '../cda/demo-documents.ts';
import { serveXemr } from './xemr-route.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PAGES = join(ROOT, 'demo/pages');
const WIDGET_DIST = join(ROOT, 'dist/widget');
const PACKS = join(ROOT, 'shared/rules/packs');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface DemoServerOptions {
  port?: number;
  host?: string;
  /** FHIR Bundles to load at start (the generated demo data, or foreign exports given with --load). */
  bundles?: Bundle[];
  /** What the demo EMR's own patient list (HIS) shows: id card, name, gender, age, pending orders. */
  emrPatients?: unknown[];
  /** The demo's hub: the in-house EMR page gives it to the widget (config.hub), so its decisions and events land there. */
  hub?: { url: string; token: string };
  /** WS/T 500 documents served over XDS.b (/xds/registry, /xds/repository) and REST (/cda-rest/documents). */
  cdaDocuments?: DemoDocument[];
}

export interface DemoServer {
  url: string;
  fhirBase: string;
  fhir: DemoFhirServer;
  faults: Faults;
  /** The hospital's CDS Hooks feedback endpoint, where the extension and widget send decisions. */
  feedback: FeedbackEndpoint;
  /** The document side of the platform (XDS.b and REST/JSON), sharing the FHIR faults. */
  cda: CdaEndpoints;
  close(): Promise<void>;
}

/** One local server: the demo EMR pages, the widget bundle and a real FHIR R4 endpoint. */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const fhir = new DemoFhirServer();
  for (const bundle of options.bundles ?? []) await fhir.load(bundle);
  const faults: Faults = {};
  const feedback = new FeedbackEndpoint(() => faults.feedback);
  const cda = new CdaEndpoints(options.cdaDocuments ?? [], () => faults);
  const host = options.host ?? '127.0.0.1';
  let origin = '';

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      // Never echo request data: it may carry patient identifiers.
      process.stderr.write(`demo server: ${req.method} failed: ${(err as Error).name}\n`);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error');
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    if (path.startsWith('/fhir/R4/') || path === '/fhir/R4') return handleFhir(req, res, url);
    if (feedback.handles(path)) return feedback.handle(req, res, path);
    if (cda.handles(path)) return cda.handle(req, res, path);
    if (path === '/_faults' && req.method === 'POST') {
      Object.assign(faults, { failNext: undefined, delayMs: undefined, requireToken: undefined, feedback: undefined }, JSON.parse((await readBody(req)) || '{}'));
      return send(res, 204, 'text/plain', '');
    }
    if (path === '/emr/api/patients') return sendJson(res, 200, options.emrPatients ?? []);
    if (path === '/') return serveFile(res, join(PAGES, 'index.html'));
    if (path === '/emr/' || path === '/emr') return serveFile(res, join(PAGES, 'emr.html'));
    if (path === '/inhouse/' || path === '/inhouse') return serveInhouse(res);
    if (path === '/inhouse-frame/' || path === '/inhouse-frame') return serveFile(res, join(PAGES, 'inhouse-frame.html'));
    if (path === '/huren-frame/') return serveHurenFrame(res);
    if (path.startsWith('/assets/')) return serveUnder(res, join(PAGES, 'assets'), path.slice('/assets/'.length));
    if (path.startsWith('/xemr/')) return serveXemr(res, path);
    if (path.startsWith('/widget/')) return serveUnder(res, WIDGET_DIST, path.slice('/widget/'.length));
    // The rule packs the widget fetches (config.packs URLs): the widget bundles none.
    if (/^\/packs\/[\w-]+\.json$/.test(path)) return serveUnder(res, PACKS, path.slice('/packs/'.length));
    send(res, 404, 'text/plain; charset=utf-8', 'not found');
  }

  /**
   * The widget's iframe-mode page, as a Huren deployment serves it: the allowed host origins come
   * from the server, in the page and as frame-ancestors. The demo EMR of the iframe mode runs on
   * emr.demo.localhost, the frame on huren.demo.localhost: two origins of one site (see docs/widget.md).
   */
  async function serveHurenFrame(res: ServerResponse): Promise<void> {
    const allowed = `http://emr.demo.localhost:${new URL(origin).port}`;
    const html = (await readFile(join(PAGES, 'widget-frame.html'), 'utf8')).replace('%HUREN_ALLOWED_ORIGINS%', allowed);
    send(res, 200, TYPES['.html']!, html, { 'cache-control': 'no-store', 'content-security-policy': `frame-ancestors ${allowed}` });
  }

  /** The in-house EMR page with the hub it reports to (the hospital's own page carries its own widget config). */
  async function serveInhouse(res: ServerResponse): Promise<void> {
    const hub = options.hub ? JSON.stringify(options.hub).replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/</g, '&lt;') : '';
    const html = (await readFile(join(PAGES, 'inhouse.html'), 'utf8')).replace('%HUREN_HUB%', hub);
    send(res, 200, TYPES['.html']!, html, { 'cache-control': 'no-store' });
  }

  /**
   * The FHIR base as the client asked it, for the bundles' `next` links and fullUrls: the iframe
   * mode's frame asks on huren.demo.localhost, and a client follows `next` only on the origin it
   * asked (a heavy patient's second page failed there). This server's own names only, never any Host.
   */
  function fhirBaseAsAsked(req: IncomingMessage): string {
    const port = new URL(origin).port;
    const names = new Set([new URL(origin).host, `huren.demo.localhost:${port}`, `emr.demo.localhost:${port}`]);
    const asked = req.headers.host;
    return `${asked && names.has(asked) ? `http://${asked}` : origin}/fhir/R4`;
  }

  async function handleFhir(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method === 'OPTIONS') return send(res, 204, 'text/plain', '', corsHeaders());
    if (faults.delayMs) await new Promise((r) => setTimeout(r, faults.delayMs));
    if (faults.requireToken && req.headers.authorization !== `Bearer ${faults.requireToken}`) {
      return sendJson(res, 401, outcome('login', 'missing or wrong bearer token'), corsHeaders());
    }
    if (faults.failNext && faults.failNext.count > 0) {
      faults.failNext.count--;
      const headers = faults.failNext.status === 429 ? { ...corsHeaders(), 'retry-after': '0' } : corsHeaders();
      return sendJson(res, faults.failNext.status, outcome('transient', 'injected failure'), headers);
    }
    const text = req.method === 'POST' || req.method === 'PUT' ? await readBody(req) : undefined;
    // A search by POST (`Type/_search`) sends its parameters as a form, as FHIR R4 allows.
    const form = req.headers['content-type']?.startsWith('application/x-www-form-urlencoded');
    const body = text === undefined ? undefined : form ? Object.fromEntries(new URLSearchParams(text)) : JSON.parse(text || 'null');
    const rel = url.pathname.replace(/^\/fhir\/R4\/?/, '');
    const answer = await fhir.handle(req.method ?? 'GET', rel, url.search.slice(1), body, fhirBaseAsAsked(req));
    sendJson(res, answer.status, answer.body, corsHeaders(), 'application/fhir+json; charset=utf-8');
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => ok());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host}:${port}`;
  return {
    url: origin,
    fhirBase: `${origin}/fhir/R4`,
    fhir,
    faults,
    feedback,
    cda,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** The in-house EMR page embeds the widget from the same origin; extension pages need no CORS. */
function corsHeaders(): Record<string, string> {
  return {
    'access-control-allow-origin': '*',
    'access-control-allow-headers': 'authorization, content-type',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
  };
}

function outcome(code: string, text: string) {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] };
}

async function serveUnder(res: ServerResponse, dir: string, rel: string): Promise<void> {
  const file = normalize(join(dir, rel));
  if (!file.startsWith(dir + '/')) return send(res, 404, 'text/plain', 'not found');
  return serveFile(res, file);
}

async function serveFile(res: ServerResponse, file: string): Promise<void> {
  try {
    const body = await readFile(file);
    send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', body, { 'cache-control': 'no-store' });
  } catch {
    send(res, 404, 'text/plain; charset=utf-8', 'not found');
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff', ...headers });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, type = 'application/json; charset=utf-8'): void {
  send(res, status, type, JSON.stringify(body), headers);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
