import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestAnswer } from '../../shared/hub/ingest.ts';
import { EXT } from '../../shared/domain/decision.ts';
import { bearer, decision, ENGINES, HOSPITAL, OTHER, PATIENT, promptedEvent, testHub } from './support.ts';
import { revokeToken } from '../../hub/auth/tokens.ts';
import { readMigrations } from '../../hub/db/migrate.ts';

describe.each(ENGINES)('ingest on %s', (engine) => {
  let t: Awaited<ReturnType<typeof testHub>>;
  beforeAll(async () => {
    t = await testHub(engine);
  });
  afterAll(() => t.close());

  const post = (path: string, payload: unknown, headers: Record<string, string> = bearer(t.token)) =>
    t.hub.app.inject({ method: 'POST', url: `/cds-services/huren/${path}`, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(payload) });
  const count = async (table: string) => (await t.db.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n;

  it('stores each decision once, however often it is sent, and answers per entry', async () => {
    const batch = [decision(), decision({ outcome: 'overridden' })];
    const first = await post('feedback', { feedback: batch });
    expect(first.statusCode).toBe(200);
    const answer = IngestAnswer.parse(first.json());
    expect(answer.results.map((r) => r.status)).toEqual(['stored', 'stored']);
    const again = IngestAnswer.parse((await post('feedback', { feedback: [...batch, batch[0]] })).json());
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    const { rows } = await t.db.query<{ outcome: string; reason_code: string | null; department: string; campus_id: string | null; token_id: string }>(
      'select outcome, reason_code, department, campus_id, token_id from decision where uuid = any($1::uuid[]) order by outcome',
      [batch.map((d) => d.uuid)],
    );
    expect(rows).toEqual([
      { outcome: 'accepted', reason_code: null, department: '心内科', campus_id: null, token_id: t.token.tokenId },
      { outcome: 'overridden', reason_code: 'RT-2', department: '心内科', campus_id: null, token_id: t.token.tokenId },
    ]);
  });

  it('stores the good entries of a batch and names the path of each bad one', async () => {
    const good = decision();
    const noReason = decision({ outcome: 'overridden' }) as unknown as Record<string, unknown>;
    delete noReason.overrideReason;
    const unknownField = { ...decision(), extra: 1 };
    const badTime = decision();
    (badTime as { outcomeTimestamp: string }).outcomeTimestamp = 'yesterday';
    const res = await post('feedback', { feedback: [good, noReason, unknownField, badTime, 42] });
    expect(res.statusCode).toBe(200);
    const answer = IngestAnswer.parse(res.json());
    expect(answer.results.map((r) => [r.status, r.path])).toEqual([
      ['stored', undefined],
      ['rejected', 'feedback[1].overrideReason'],
      ['rejected', 'feedback[2].extra'],
      ['rejected', 'feedback[3].outcomeTimestamp'],
      ['rejected', 'feedback[4]'],
    ]);
    expect(answer.results[1]!.uuid).toBe(noReason.uuid);
    const stored = await t.db.query('select 1 from decision where uuid = any($1::uuid[])', [[good.uuid, noReason.uuid, unknownField.uuid, badTime.uuid]]);
    expect(stored.rows).toHaveLength(1);
  });

  it("refuses entries for another hospital: a token writes only for its own", async () => {
    const before = await count('decision');
    const res = await post('feedback', { feedback: [decision({ hospital: OTHER })] });
    expect(res.statusCode).toBe(422);
    expect(IngestAnswer.parse(res.json()).results[0]).toMatchObject({ status: 'rejected', path: 'feedback[0].extension["cn.huren.decision"].hospital' });
    // The other hospital's token cannot write this hospital's decisions either.
    const other = await post('feedback', { feedback: [decision({ hospital: HOSPITAL })] }, bearer(t.otherToken));
    expect(other.statusCode).toBe(422);
    expect(await count('decision')).toBe(before);
  });

  it('answers 401 without a valid token, and after revocation', async () => {
    const before = await count('decision');
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer nope' }, { authorization: `Bearer ${t.token.token.slice(0, -1)}x` }, { authorization: t.token.token }]) {
      const res = await post('feedback', { feedback: [decision()] }, headers);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ path: 'headers.authorization' });
    }
    const extra = await (await import('../../hub/auth/tokens.ts')).issueToken(t.db, { hospitalId: HOSPITAL, scope: 'workstation', label: 'ws-9', actor: 'test' });
    expect((await post('feedback', { feedback: [decision()] }, bearer(extra))).statusCode).toBe(200);
    await revokeToken(t.db, extra.tokenId, 'test');
    t.hub.tokens.forget(extra.tokenId);
    expect((await post('feedback', { feedback: [decision()] }, bearer(extra))).statusCode).toBe(401);
    expect(await count('decision')).toBe(before + 1);
  });

  it('keeps no patient identifier in clear: a per-hospital pseudonym and a sealed copy only', async () => {
    const d = decision();
    await post('feedback', { feedback: [d] });
    await post('events', { events: [promptedEvent()] });
    const dump = await t.db.query<{ t: string }>(`select (select string_agg(d::text, '|') from decision d) || (select string_agg(e::text, '|') from event e) as t`);
    expect(dump.rows[0]!.t).not.toContain(PATIENT.value);
    const { rows } = await t.db.query<{ patient_ref: string; patient_sealed: Uint8Array; entry: unknown }>(
      'select patient_ref, patient_sealed, entry from decision where uuid = $1',
      [d.uuid],
    );
    expect(rows[0]!.patient_ref).toBe(t.keys.pseudonym(HOSPITAL, PATIENT));
    expect(rows[0]!.patient_ref).not.toBe(t.keys.pseudonym(OTHER, PATIENT));
    expect(t.keys.unseal(HOSPITAL, Buffer.from(rows[0]!.patient_sealed))).toEqual(PATIENT);
    // The entry keeps what no column holds, never the patient.
    expect(rows[0]!.entry).toEqual({ acceptedSuggestions: [{ id: 'recognize' }], reportNumber: d.extension[EXT].result.reportNumber });
  });

  it('stores every event kind once, with its facts in columns', async () => {
    const base = { at: '2026-11-30T02:00:00.000Z', actor: { physician: '王芳', department: '呼吸内科' }, patient: PATIENT };
    const card = crypto.randomUUID();
    const events = [
      promptedEvent(),
      { uuid: crypto.randomUUID(), event: { kind: 'viewed', ...base, resultCount: 12 } },
      { uuid: crypto.randomUUID(), event: { kind: 'opened', ...base, target: 'images', card, item: { id: 'ct', name: '胸部CT', category: 'imaging' } } },
      { uuid: crypto.randomUUID(), event: { kind: 'cited', ...base, card, item: { id: 'ct', name: '胸部CT', category: 'imaging' }, how: 'inserted' } },
      { uuid: crypto.randomUUID(), event: { kind: 'pack-refused', at: base.at, pack: { id: 'demo', version: '9' }, reason: '签名无效' } },
    ];
    const res = await post('events', { events: [...events, events[1]] });
    expect(res.statusCode).toBe(200);
    expect(IngestAnswer.parse(res.json()).results.map((r) => r.status)).toEqual(['stored', 'stored', 'stored', 'stored', 'stored', 'duplicate']);
    const { rows } = await t.db.query<{ kind: string; department: string | null; issuer_id: string | null; patient_ref: string | null }>(
      'select kind, department, issuer_id, patient_ref from event where uuid = any($1::uuid[]) order by kind',
      [events.map((e) => e.uuid)],
    );
    expect(rows.map((r) => [r.kind, r.department, r.issuer_id, !!r.patient_ref])).toEqual([
      ['cited', '呼吸内科', null, true],
      ['opened', '呼吸内科', null, true],
      ['pack-refused', '心内科', null, false],
      ['prompted', '心内科', 'zj-zxyy', true],
      ['viewed', '呼吸内科', null, true],
    ]);
    // A decision is not an event: it goes to the feedback endpoint.
    const decided = await post('events', { events: [{ uuid: crypto.randomUUID(), event: { kind: 'decided', ...base } }] });
    expect(decided.statusCode).toBe(422);
    expect(IngestAnswer.parse(decided.json()).results[0]!.path).toBe('events[0].event.kind');
  });

  it('refuses whole requests it cannot read, naming where', async () => {
    const cases: [string, unknown, number, string][] = [
      ['feedback', [], 400, '(root)'],
      ['feedback', { feedback: 'x' }, 400, 'feedback'],
      ['feedback', { feedback: [], more: 1 }, 400, 'more'],
      ['feedback', { feedback: Array.from({ length: 501 }, () => ({})) }, 413, 'feedback'],
      ['events', { feedback: [] }, 400, 'feedback'],
    ];
    for (const [path, body, status, at] of cases) {
      const res = await post(path, body);
      expect([res.statusCode, res.json().path]).toEqual([status, at]);
    }
    const notJson = await t.hub.app.inject({ method: 'POST', url: '/cds-services/huren/feedback', headers: { 'content-type': 'application/json', ...bearer(t.token) }, payload: '{"feedback": [' });
    expect([notJson.statusCode, notJson.json()]).toEqual([400, { error: 'body is not valid JSON', path: '(body)' }]);
    const text = await t.hub.app.inject({ method: 'POST', url: '/cds-services/huren/feedback', headers: { 'content-type': 'text/plain', ...bearer(t.token) }, payload: 'x' });
    expect(text.statusCode).toBe(415);
    const huge = await t.hub.app.inject({
      method: 'POST',
      url: '/cds-services/huren/feedback',
      headers: { 'content-type': 'application/json', ...bearer(t.token) },
      payload: JSON.stringify({ feedback: ['x'.repeat(3 * 1024 * 1024)] }),
    });
    expect([huge.statusCode, huge.json().path]).toEqual([413, '(body)']);
  });

  it('answers health and readiness, and CORS preflights without a token', async () => {
    expect((await t.hub.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await t.hub.app.inject({ url: '/readyz' })).json()).toMatchObject({ ok: true, engine, schema: readMigrations().at(-1)!.version });
    const pre = await t.hub.app.inject({ method: 'OPTIONS', url: '/cds-services/huren/feedback', headers: { origin: 'chrome-extension://abc', 'access-control-request-method': 'POST' } });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-headers']).toContain('authorization');
  });

  it('audits each ingest request and each refused token', async () => {
    const { rows } = await t.db.query<{ action: string; outcome: string }>(`select action, outcome from hub_audit where action like 'ingest.%' or outcome = 'denied'`);
    expect(rows.some((r) => r.action === 'ingest.feedback' && r.outcome === 'ok')).toBe(true);
    expect(rows.some((r) => r.action === 'ingest.events' && r.outcome === 'ok')).toBe(true);
    expect(rows.some((r) => r.outcome === 'denied')).toBe(true);
  });
});
