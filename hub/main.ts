/**
 * `npm run hub` — Huren Hub, the hospital's (or region's) server. docs/hub.md has the whole story.
 *
 *   npm run hub [-- serve] [--port 8788] [--host 127.0.0.1] [--data .huren-hub] [--ready-json]
 *   npm run hub -- org import <org.json>                       hospitals, 院区, departments
 *   npm run hub -- token issue --hospital <id> --label <text> [--scope department|workstation|hospital]
 *                              [--department <科室>] [--campus <id>]
 *   npm run hub -- token revoke <token id>
 *   npm run hub -- token list [--hospital <id>]
 *   npm run hub -- pack publish <pack.json> [--activate <hospital id>… | --activate-all]
 *   npm run hub -- pack list
 *   npm run hub -- config set --hospital <id> <config.json>
 *   npm run hub -- config show --hospital <id>
 *   npm run hub -- keys show                                  the public key to pin in policy
 *   npm run hub -- stats                                      what arrived, per hospital
 *   npm run hub -- account add --username <u> --name <显示名> --role quality|department_head|region|admin
 *                              [--hospital <id>] [--department <科室>]   (password on stdin, or $HUB_ACCOUNT_PASSWORD)
 *   npm run hub -- account list | account disable <username>
 *
 * HUB_DATABASE_URL=postgres://… uses a PostgreSQL server instead of PGlite in <data>/pglite.
 * While a hub runs on PGlite, commands go through its admin socket (<data>/admin.sock).
 */
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runCommand } from './admin/commands.ts';
import { callAdminSocket } from './admin/socket.ts';
import { adminSocketPath, DEFAULT_DATA_DIR, DEFAULT_PORT, openHubStorage, startHub } from './start.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: process.env.HUB_PORT ?? String(DEFAULT_PORT) },
    host: { type: 'string', default: process.env.HUB_HOST ?? '127.0.0.1' },
    data: { type: 'string', default: process.env.HUB_DATA_DIR ?? DEFAULT_DATA_DIR },
    'ready-json': { type: 'boolean', default: false },
    hospital: { type: 'string' },
    label: { type: 'string' },
    scope: { type: 'string' },
    department: { type: 'string' },
    campus: { type: 'string' },
    activate: { type: 'string', multiple: true },
    'activate-all': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    username: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
  },
});

const databaseUrl = process.env.HUB_DATABASE_URL || undefined;
const dataDir = resolve(values.data!);
const actor = `cli:${userInfo().username}`;

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === '') fail(`missing ${what}`);
  return value as T;
}

function fail(message: string): never {
  process.stderr.write(`hub: ${message}\n`);
  process.exit(2);
}

/** Runs an admin command: through the running hub's socket when PGlite is in use by it, else on the database directly. */
async function admin(command: string, args: Record<string, unknown> = {}): Promise<unknown> {
  const socket = adminSocketPath(dataDir);
  if (!databaseUrl && existsSync(socket)) {
    try {
      return await callAdminSocket(socket, command, args);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNREFUSED' && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      // A socket file left by a stopped hub: open the database ourselves.
    }
  }
  const { db, keys, release } = await openHubStorage({ dataDir, databaseUrl });
  try {
    return await runCommand({ db, keys }, command, args);
  } finally {
    await db.close();
    release();
  }
}

function print(value: unknown): void {
  if (values.json || !Array.isArray(value)) return void console.log(JSON.stringify(value, null, 2));
  if (value.length === 0) return void console.log('(none)');
  console.table(value);
}

async function serve(): Promise<void> {
  const hub = await startHub({ dataDir, databaseUrl, port: Number(values.port), host: values.host });
  if (values['ready-json']) console.log(JSON.stringify({ url: hub.url, engine: hub.engine, publicKey: hub.publicKey }));
  else
    console.log(`Huren Hub listening on ${hub.url} (${hub.engine === 'pglite' ? `PGlite in ${dataDir}` : 'PostgreSQL server'}; Ctrl-C stops it)
  Signing public key (pin it in policy as hubSigningKeys): ${hub.publicKey}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Finish what is in flight: an acknowledged entry is committed; an unanswered one is resent by its browser.
    await hub.close().catch(() => undefined);
    if (!values['ready-json']) console.log(`Huren Hub stopped (${signal}).`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** The first line of stdin (a password piped in; never an argument, which ps would show). */
async function readStdinLine(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password: ');
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

const [group = 'serve', verb, arg] = positionals;
const readJson = (file: string) => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    fail(`${file}: ${(err as Error).message}`);
  }
};

try {
  switch (`${group} ${verb ?? ''}`.trim()) {
    case 'serve':
      await serve();
      break;
    case 'org import':
      print(await admin('org.import', { org: readJson(need(arg, 'org.json')), actor }));
      break;
    case 'hospital list':
      print(await admin('hospital.list'));
      break;
    case 'token issue': {
      const issued = (await admin('token.issue', {
        hospitalId: need(values.hospital, '--hospital'),
        scope: values.scope ?? (values.department ? 'department' : 'hospital'),
        label: need(values.label, '--label'),
        ...(values.department ? { department: values.department } : {}),
        ...(values.campus ? { campusId: values.campus } : {}),
        actor,
      })) as { token: string; tokenId: string };
      if (values.json) print(issued);
      else console.log(`token ${issued.tokenId} issued. Give it to the browsers (policy hubToken); it is not shown again:\n${issued.token}`);
      break;
    }
    case 'token revoke':
      print(await admin('token.revoke', { tokenId: need(arg, 'token id'), actor }));
      break;
    case 'token list':
      print(await admin('token.list', values.hospital ? { hospitalId: values.hospital } : {}));
      break;
    case 'pack publish': {
      const file = need(arg, 'pack.json');
      const published = (await admin('pack.publish', { text: readFileSync(file, 'utf8'), actor })) as { id: string; version: string };
      print(published);
      const targets = values['activate-all'] ? 'all' : values.activate;
      if (targets) print(await admin('pack.activate', { hospitalIds: targets, id: published.id, version: published.version, actor }));
      break;
    }
    case 'pack list':
      print(await admin('pack.list'));
      break;
    case 'config set':
      print(await admin('config.set', { hospitalId: need(values.hospital, '--hospital'), body: readJson(need(arg, 'config.json')), actor }));
      break;
    case 'config show':
      print(await admin('config.show', { hospitalId: need(values.hospital, '--hospital') }));
      break;
    case 'keys show':
      print(await admin('keys.show'));
      break;
    case 'stats':
      print(await admin('stats'));
      break;
    case 'account add': {
      const password = process.env.HUB_ACCOUNT_PASSWORD ?? (await readStdinLine());
      const { password: _hidden, ...shown } = (await admin('account.add', {
        actor,
        account: {
          username: need(values.username, '--username'),
          displayName: values.name ?? values.username,
          role: need(values.role, '--role'),
          ...(values.hospital ? { hospitalId: values.hospital } : {}),
          ...(values.department ? { department: values.department } : {}),
          password,
        },
      })) as Record<string, unknown>;
      print(shown);
      break;
    }
    case 'account list':
      print(await admin('account.list'));
      break;
    case 'account disable':
      print(await admin('account.disable', { username: need(arg, 'username'), actor }));
      break;
    default:
      fail(`unknown command "${positionals.join(' ')}" (see hub/main.ts or docs/hub.md)`);
  }
} catch (err) {
  fail((err as Error).message);
}
