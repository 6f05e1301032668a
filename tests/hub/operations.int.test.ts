import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { buildHub } from '../../hub/server.ts';
import { startHub } from '../../hub/start.ts';
import { IngestAnswer } from '../../shared/hub/ingest.ts';
import { bearer, decision, ENGINES, freshDatabase, PATIENT, testKeys } from './support.ts';
import { importOrg } from '../../hub/admin/operations.ts';
import { issueToken } from '../../hub/auth/tokens.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const tmp: string[] = [];
afterAll(async () => {
  for (const dir of tmp) await rm(dir, { recursive: true, force: true });
});

describe.each(ENGINES)('operations on %s', (engine) => {
  it('logs JSON lines with method, route and status, never a body, identifier or token', async () => {
    const { db, drop } = await freshDatabase(engine);
    const lines: string[] = [];
    const hub = buildHub({ db, keys: testKeys(), log: { level: 'debug', stream: { write: (l) => void lines.push(l) } } });
    try {
      await importOrg(db, { hospitals: [{ id: 'zj-rmyy', name: '湛江市人民医院' }] }, 'test');
      const token = await issueToken(db, { hospitalId: 'zj-rmyy', scope: 'hospital', label: 'log', actor: 'test' });
      const bad = { ...decision(), extra: PATIENT.value };
      for (const payload of [{ feedback: [decision()] }, { feedback: [bad] }, '{"feedback": [' + PATIENT.value]) {
        await hub.app.inject({ method: 'POST', url: '/cds-services/huren/feedback', headers: { 'content-type': 'application/json', ...bearer(token) }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
      }
      await hub.app.inject({ method: 'POST', url: '/cds-services/huren/feedback', headers: { 'content-type': 'application/json', authorization: `Bearer ${token.token}x` }, payload: '{}' });
      const text = lines.join('');
      expect(lines.length).toBeGreaterThan(4);
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
      expect(text).toContain('"route":"/cds-services/huren/feedback"');
      expect(text).not.toContain(PATIENT.value);
      expect(text).not.toContain(token.token.slice(4, 20));
      expect(text).not.toContain('authorization');
    } finally {
      await hub.app.close();
      await drop();
    }
  });
});

it('a graceful stop lets the request in flight finish: answered, and committed', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'huren-hub-stop-'));
  tmp.push(dataDir);
  const hub = await startHub({ dataDir, port: 0, log: { level: 'silent' } });
  const { callAdminSocket } = await import('../../hub/admin/socket.ts');
  const sock = join(dataDir, 'admin.sock');
  await callAdminSocket(sock, 'org.import', { actor: 'test', org: { hospitals: [{ id: 'zj-rmyy', name: '湛江市人民医院' }] } });
  const { token } = (await callAdminSocket(sock, 'token.issue', { actor: 'test', hospitalId: 'zj-rmyy', scope: 'hospital', label: 'stop' })) as { token: string };
  const batch = Array.from({ length: 500 }, () => decision());
  // The body goes out in two halves: the request is in the hub's hands (headers read) before the stop begins.
  const body = Buffer.from(JSON.stringify({ feedback: batch }));
  const { request } = await import('node:http');
  const url = new URL(hub.url);
  const answered = new Promise<{ status: number; text: string }>((ok, fail) => {
    const req = request(
      { host: url.hostname, port: url.port, path: '/cds-services/huren/feedback', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${token}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', fail);
    req.write(body.subarray(0, body.length >> 1));
    setTimeout(() => req.end(body.subarray(body.length >> 1)), 400);
  });
  await new Promise((r) => setTimeout(r, 200));
  const closing = hub.close();
  const res = await answered;
  await closing;
  expect(res.status).toBe(200);
  expect(IngestAnswer.parse(JSON.parse(res.text)).stored).toBe(500);
  // Reopened: all 500 are there.
  const again = await startHub({ dataDir, port: 0, log: { level: 'silent' } });
  const stats = (await callAdminSocket(sock, 'stats', {})) as { decisions: number }[];
  expect(stats[0]!.decisions).toBe(500);
  await again.close();
});

it('the CLI works on a stopped hub’s folder: hospitals, tokens, keys', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'huren-hub-cli-'));
  tmp.push(dataDir);
  const cli = async (...args: string[]) => (await run(process.execPath, ['--import', 'tsx', 'hub/main.ts', '--data', dataDir, ...args], { cwd: ROOT, env: { ...process.env, HUB_DATABASE_URL: '' } })).stdout;
  const org = join(dataDir, 'org.json');
  await (await import('node:fs/promises')).writeFile(org, JSON.stringify({ hospitals: [{ id: 'zj-rmyy', name: '湛江市人民医院', campuses: [{ id: 'main', name: '本部', departments: ['心内科'] }] }] }));
  await cli('org', 'import', org);
  const issued = JSON.parse(await cli('token', 'issue', '--hospital', 'zj-rmyy', '--department', '心内科', '--label', '心内科', '--json'));
  expect(issued).toMatchObject({ hospitalId: 'zj-rmyy', scope: 'department', department: '心内科', token: expect.stringMatching(/^hrt_/) });
  const listed = JSON.parse(await cli('token', 'list', '--json'));
  expect(listed).toEqual([expect.objectContaining({ id: issued.tokenId, revoked_at: null })]);
  expect(JSON.stringify(listed)).not.toContain(issued.token.split('_').at(-1));
  expect(JSON.parse(await cli('token', 'revoke', issued.tokenId, '--json'))).toEqual({ revoked: true });
  expect(JSON.parse(await cli('keys', 'show'))).toMatchObject({ publicKey: expect.stringMatching(/=$/) });
  await expect(cli('token', 'issue', '--hospital', 'nowhere', '--label', 'x')).rejects.toThrow(/no hospital nowhere/);
}, 60_000);
