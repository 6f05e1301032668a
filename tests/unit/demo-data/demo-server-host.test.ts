// @vitest-environment node
import { request } from 'node:http';
import type { Bundle } from '@medplum/fhirtypes';
import { generateDemoData } from '../../../demo/data/generate.ts';
import { servedOrigin, startDemoServer, type DemoServer } from '../../../demo/server/demo-server.ts';
import { createFhirSource } from '../../../shared/results/fhir/fhir-source';
import { sinceFor } from '../../../shared/results/since';

/**
 * The demo FHIR server's links (Bundle.link next/self) are on the host the client asked, when it
 * is one the demo serves: the iframe-mode demo asks on huren.demo.localhost, and the FHIR source
 * follows `next` only on its own origin (a link elsewhere would carry its token there).
 */
const today = new Date();
const data = generateDemoData({ today, seed: 11 });
let server: DemoServer;
let port: string;

beforeAll(async () => {
  server = await startDemoServer({ port: 0, bundles: [data.bundle] });
  port = new URL(server.url).port;
}, 60_000);
afterAll(() => server?.close());

/** fetch to this machine whatever the URL's host (glibc does not resolve *.demo.localhost, browsers do), with that host as Host. */
const viaLoopback: typeof fetch = (input, init) =>
  new Promise((resolve, reject) => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const req = request({ host: '127.0.0.1', port: Number(url.port), path: url.pathname + url.search, method: init?.method ?? 'GET', headers: { ...headers, host: url.host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode, headers: { 'content-type': String(res.headers['content-type'] ?? '') } })));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (init?.body !== undefined && init.body !== null) req.write(init.body as string | Uint8Array);
    req.end();
  });

/** The links of a one-patient page, asked of this server with the given Host header. */
function links(hostHeader: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: Number(port), path: '/fhir/R4/Patient?_count=1', headers: { host: hostHeader } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        expect(res.statusCode).toBe(200);
        const bundle = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Bundle;
        resolve(Object.fromEntries((bundle.link ?? []).map((l) => [l.relation, l.url])));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('demo FHIR server: paging links on the host asked', () => {
  test('huren.demo.localhost (the iframe mode) gets its next and self links on that host and port', async () => {
    const got = await links(`huren.demo.localhost:${port}`);
    expect(new URL(got.next!).origin).toBe(`http://huren.demo.localhost:${port}`);
    expect(new URL(got.self!).origin).toBe(`http://huren.demo.localhost:${port}`);
    expect(new URL(got.next!).searchParams.get('_offset')).toBe('1');
    expect((await links(`localhost:${port}`)).next).toMatch(new RegExp(`^http://localhost:${port}/fhir/R4/Patient\\?`));
    expect((await links(`127.0.0.1:${port}`)).next).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/fhir/R4/Patient\\?`));
  });

  test('a Host the demo does not serve is never reflected: the links stay on the server’s own origin', async () => {
    for (const host of [`evil.example:${port}`, `huren.demo.localhost.evil.example:${port}`, `huren.demo.localhost:1`, `localhost`]) {
      const got = await links(host);
      expect(new URL(got.next!).origin, host).toBe(server.url);
    }
  });

  test('servedOrigin: names that reach this machine on the server’s port only, anything else falls back', () => {
    const own = 'http://127.0.0.1:8787';
    expect(servedOrigin(own, 'huren.demo.localhost:8787')).toBe('http://huren.demo.localhost:8787');
    expect(servedOrigin(own, 'EMR.Demo.Localhost:8787')).toBe('http://emr.demo.localhost:8787');
    expect(servedOrigin(own, '[::1]:8787')).toBe('http://[::1]:8787');
    expect(servedOrigin('http://192.168.1.20:8787', '192.168.1.20:8787', '192.168.1.20')).toBe('http://192.168.1.20:8787');
    for (const bad of [undefined, '', 'evil.example:8787', 'localhost:8788', 'localhost', 'a@localhost:8787', 'localhost:8787/x', 'x.localhost.:8787', '10.0.0.1:8787']) {
      expect(servedOrigin(own, bad), String(bad)).toBe(own);
    }
    // Listening on every address does not make every name ours.
    expect(servedOrigin('http://0.0.0.0:8787', '0.0.0.0:8787', '0.0.0.0')).toBe('http://0.0.0.0:8787');
    expect(servedOrigin('http://0.0.0.0:8787', 'evil.example:8787', '0.0.0.0')).toBe('http://0.0.0.0:8787');
  });

  test('the FHIR source on huren.demo.localhost pages through a patient with several pages, every result once', async () => {
    const query = { patient: { system: 'urn:oid:2.16.156.10011.1.3', value: data.emrPatients[0]!.idCard }, since: sinceFor(today, 60) };
    const urls: string[] = [];
    const framed = createFhirSource({ baseUrl: `http://huren.demo.localhost:${port}/fhir/R4`, pageSize: 5, fetch: (i, init) => (urls.push(String(i)), viaLoopback(i, init)) });
    const got = await framed.fetchResults(query);
    const direct = await createFhirSource({ baseUrl: server.fhirBase, pageSize: 5 }).fetchResults(query);
    expect(urls.filter((u) => u.includes('_offset=')).length).toBeGreaterThanOrEqual(2);
    expect(urls.every((u) => u.startsWith(`http://huren.demo.localhost:${port}/`))).toBe(true);
    expect(got.results.length).toBe(direct.results.length);
    expect(new Set(got.results.map((r) => r.id)).size).toBe(direct.results.length);
  }, 90_000);
});
