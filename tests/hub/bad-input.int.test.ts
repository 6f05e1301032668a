import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../demo/data/random.ts';
import { bearer, decision, ENGINES, OTHER, promptedEvent, testHub } from './support.ts';

type Json = unknown;
const WRONG: Json[] = [null, 0, -1, 1.5, true, '', 'x', [], {}, [1], { a: 1 }, '2026-13-45', 'not-a-uuid', 1e308];

/** Every JSON location inside a value, as a list of keys. */
function locations(value: Json, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((v, i) => locations(v, [...path, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) locations(v, [...path, k], out);
  return out;
}

function setAt(value: Json, path: (string | number)[], next: (old: Json) => Json): Json {
  if (path.length === 0) return next(value);
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, Json>;
  copy[path[0]!] = setAt(copy[path[0]!], path.slice(1), next);
  return copy;
}

/** JSON text nested `depth` levels deep (built as text: JSON.stringify itself cannot go that deep). */
function nestedText(depth: number): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    open += i % 2 ? '[' : '{"n":';
    close = (i % 2 ? ']' : '}') + close;
  }
  return `${open}"x"${close}`;
}

interface BadRequest {
  kind: string;
  stream: 'feedback' | 'events';
  payload: string;
  note: string;
  headers: Record<string, string>;
}

/** 1,000 bad requests of seven kinds, each meant to be refused entirely (deterministic: seeded). */
function badRequests(t: Awaited<ReturnType<typeof testHub>>, count: number): BadRequest[] {
  const r = new Random(20261130);
  const out: BadRequest[] = [];
  const entryFor = (stream: 'feedback' | 'events') => (stream === 'feedback' ? decision() : promptedEvent());
  for (let i = 0; i < count; i++) {
    const stream = r.pick(['feedback', 'events'] as const);
    const entry = entryFor(stream);
    const own = bearer(t.token);
    const kind = r.pick(['wrong-type', 'unknown-field', 'huge', 'deep', 'other-hospital', 'no-token', 'not-a-batch'] as const);
    let body: Json;
    let headers: Record<string, string> = own;
    let payload: string | undefined;
    let note = '';
    switch (kind) {
      case 'wrong-type': {
        // A wrong value at a random non-root location of the entry (keys that make it another valid shape are skipped).
        const spots = locations(entry).filter((p) => p.length > 0);
        const spot = r.pick(spots);
        const typeOf = (v: Json) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
        const mutated = setAt(entry, spot, (old) => {
          // Another JSON type (null aside: some fields are nullable), or a malformed value where the field has a format.
          const formatted = /(uuid|card|at|Timestamp|date)$/.test(String(spot.at(-1)));
          const choices = WRONG.filter((v) => v !== null && (typeOf(v) !== typeOf(old) || (formatted && typeof v === 'string')));
          const v = r.pick(choices);
          note = `${spot.join('.')} = ${JSON.stringify(v)}`;
          return v;
        });
        body = { [stream]: [mutated] };
        break;
      }
      case 'unknown-field': {
        const objects = locations(entry).filter((p) => {
          let v: Json = entry;
          for (const k of p) v = (v as Record<string | number, Json>)[k];
          return v !== null && typeof v === 'object' && !Array.isArray(v);
        });
        body = { [stream]: [setAt(entry, r.pick(objects), (old) => ({ ...(old as object), [`x${r.int(0, 99)}`]: r.pick(WRONG) }))] };
        break;
      }
      case 'huge':
        payload = r.chance(0.5)
          ? JSON.stringify({ [stream]: [entry], pad: 'x'.repeat(2 * 1024 * 1024 + r.int(1, 1000)) })
          : JSON.stringify({
              [stream]: [
                ((spot) =>
                  setAt(entry, spot, () => {
                    note = `${r.int(600, 5000)} characters at ${spot.join('.')}`;
                    return '长'.repeat(Number.parseInt(note));
                  }))(r.pick(locations(entry).filter((p) => p.length > 1))),
              ],
            });
        break;
      case 'deep':
        payload = JSON.stringify({ [stream]: [setAt(entry, r.pick(locations(entry).filter((p) => p.length > 0)), () => '__DEEP__')] }).replace(
          '"__DEEP__"',
          nestedText(r.int(50, 100_000)),
        );
        break;
      case 'other-hospital':
        // Entries naming this token's hospital, sent with another hospital's token.
        headers = bearer(t.otherToken);
        body = { [stream]: [entry] };
        break;
      case 'no-token':
        headers = r.pick([{}, { authorization: 'Bearer' }, { authorization: `Basic ${t.token.token}` }, { authorization: `Bearer ${t.token.token}x` }]) as Record<string, string>;
        body = { [stream]: [entry] };
        break;
      case 'not-a-batch':
        body = r.pick([[entry], entry, { [stream]: entry }, { [stream]: [entry], extra: true }, 'feedback', null, 7]);
        break;
    }
    out.push({ kind, stream, payload: payload ?? JSON.stringify(body), note, headers: { 'content-type': 'application/json', ...headers } });
  }
  return out;
}

describe.each(ENGINES)('1,000 bad requests on %s', (engine) => {
  let t: Awaited<ReturnType<typeof testHub>>;
  beforeAll(async () => {
    t = await testHub(engine);
  });
  afterAll(() => t.close());

  it('are each refused with a status and a named path; none crashes the hub, none stores a row', async () => {
    const requests = badRequests(t, 1000);
    const kinds = new Map<string, number>();
    for (const req of requests) {
      kinds.set(req.kind, (kinds.get(req.kind) ?? 0) + 1);
      const res = await t.hub.app.inject({ method: 'POST', url: `/cds-services/huren/${req.stream}`, headers: req.headers, payload: req.payload });
      const body = res.json() as { path?: string; results?: { status: string; path?: string }[] };
      const where = `${req.kind} ${req.note} → ${res.statusCode} ${res.body.slice(0, 200)}`;
      expect(res.statusCode, where).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, where).toBeLessThan(500);
      if (body.results) {
        for (const r of body.results) {
          expect(r.status, where).toBe('rejected');
          expect(r.path, where).toMatch(new RegExp(`^${req.stream}\\[0\\]`));
        }
      } else expect(body.path, where).toBeTruthy();
    }
    expect([...kinds.values()].every((n) => n > 100)).toBe(true);
    const stored = await t.db.query<{ n: number }>('select (select count(*) from decision) + (select count(*) from event) as n');
    expect(Number(stored.rows[0]!.n)).toBe(0);
    // The hub still answers a good request afterwards.
    const ok = await t.hub.app.inject({ method: 'POST', url: '/cds-services/huren/feedback', headers: { 'content-type': 'application/json', ...bearer(t.otherToken) }, payload: JSON.stringify({ feedback: [decision({ hospital: OTHER })] }) });
    expect(ok.statusCode).toBe(200);
  });
});
