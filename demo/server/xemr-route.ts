import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';

const XEMR = resolve(import.meta.dirname, '../pages/xemr');
const FILES: Record<string, string> = {
  'shell.js': 'text/javascript; charset=utf-8',
  'banner.js': 'text/javascript; charset=utf-8',
  'orders.js': 'text/javascript; charset=utf-8',
  'xemr.css': 'text/css; charset=utf-8',
  'banner.html': 'text/html; charset=utf-8',
  'orders.html': 'text/html; charset=utf-8',
};

/**
 * The demo EMR whose frames come from other origins (demo/pages/xemr): the single-page shell at
 * /xemr/ and every /xemr/visit/<门诊号> route it pushes, and its frames' files, which the browser
 * asks for on xemr-banner.localhost and xemr-orders.localhost (same server, other origins).
 */
export async function serveXemr(res: ServerResponse, path: string): Promise<void> {
  const name = path.slice('/xemr/'.length);
  const file = name === '' || name.startsWith('visit/') ? 'index.html' : FILES[name] ? name : undefined;
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
    return;
  }
  const body = await readFile(join(XEMR, file));
  res.writeHead(200, { 'content-type': FILES[file] ?? 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).end(body);
}
