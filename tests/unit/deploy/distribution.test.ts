// @vitest-environment node
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { describe, expect, test } from 'vitest';
import { distributionRoutes } from '../../../hub/distribution/routes';

function hubWith(files: Record<string, string | Buffer>) {
  const dir = mkdtempSync(join(tmpdir(), 'huren-dist-'));
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  const app = Fastify();
  void app.register(distributionRoutes(dir));
  return app;
}

describe('hub: the hospital extension’s update manifest and CRX', () => {
  const crx = Buffer.from('Cr24\x03\x00\x00\x00fake', 'binary');
  const app = hubWith({ 'zj-rmyy/updates.xml': '<gupdate/>', 'zj-rmyy/huren-zj-rmyy-0.1.0.3.crx': crx, 'zj-rmyy/secret.pem': 'KEY' });

  test('the update manifest, revalidated every time, with no token needed', async () => {
    const res = await app.inject({ url: '/extension/zj-rmyy/updates.xml?os=linux&x=id%3Dabc' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toBe('<gupdate/>');
  });

  test('the CRX with the type browsers expect, cached for good (its name carries the version)', async () => {
    const res = await app.inject({ url: '/extension/zj-rmyy/huren-zj-rmyy-0.1.0.3.crx' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-chrome-extension');
    expect(res.rawPayload.equals(crx)).toBe(true);
  });

  test('nothing else in the folder, no path tricks, no unknown build', async () => {
    for (const url of ['/extension/zj-rmyy/secret.pem', '/extension/..%2Fzj-rmyy/updates.xml', '/extension/zj-rmyy/..%2F..%2Fetc%2Fpasswd', '/extension/other/updates.xml', '/extension/ZJ/updates.xml']) {
      expect((await app.inject({ url })).statusCode, url).toBe(404);
    }
  });

  test('a hub without a distribution folder answers 404', async () => {
    const bare = Fastify();
    void bare.register(distributionRoutes(undefined));
    expect((await bare.inject({ url: '/extension/zj-rmyy/updates.xml' })).statusCode).toBe(404);
  });
});
