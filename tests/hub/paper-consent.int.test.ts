import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXT } from '../../shared/domain/decision.ts';
import { IngestAnswer } from '../../shared/hub/ingest.ts';
import { ingestSummary } from '../../hub/admin/operations.ts';
import { bearer, decision, ENGINES, HOSPITAL, PATIENT, promptedEvent, testHub } from './support.ts';

/* Issue 14: a decision on a paper result (纸质) keeps its source; patient consent arrives as an event. */
describe.each(ENGINES)('paper results and consent at the hub on %s', (engine) => {
  let t: Awaited<ReturnType<typeof testHub>>;
  beforeAll(async () => {
    t = await testHub(engine);
  });
  afterAll(() => t.close());

  const post = (path: string, payload: unknown) =>
    t.hub.app.inject({ method: 'POST', url: `/cds-services/huren/${path}`, headers: { 'content-type': 'application/json', ...bearer(t.token) }, payload: JSON.stringify(payload) });

  it('stores the result source of each decision: paper, platform, or unknown for older browsers', async () => {
    const paper = decision();
    paper.extension[EXT].result = { ...paper.extension[EXT].result, source: 'paper' };
    const platform = decision();
    platform.extension[EXT].result = { ...platform.extension[EXT].result, source: 'platform' };
    const older = decision();
    const answer = IngestAnswer.parse((await post('feedback', { feedback: [paper, platform, older] })).json());
    expect(answer.results.map((r) => r.status)).toEqual(['stored', 'stored', 'stored']);
    const { rows } = await t.db.query<{ uuid: string; result_source: string | null }>('select uuid::text, result_source from decision where uuid = any($1::uuid[])', [[paper.uuid, platform.uuid, older.uuid]]);
    const by = new Map(rows.map((r) => [r.uuid, r.result_source]));
    expect([by.get(paper.uuid), by.get(platform.uuid), by.get(older.uuid)]).toEqual(['paper', 'platform', null]);
  });

  it('refuses a source it does not know, by path', async () => {
    const bad = decision();
    (bad.extension[EXT].result as Record<string, unknown>).source = 'fax';
    const answer = IngestAnswer.parse((await post('feedback', { feedback: [bad] })).json());
    expect(answer.results[0]).toMatchObject({ status: 'rejected', path: 'feedback[0].extension["cn.huren.decision"].result.source' });
  });

  it('takes a consent event (who confirmed, how, granted) with the patient sealed, and a prompted event of a paper result', async () => {
    const consent = {
      uuid: crypto.randomUUID(),
      hospital: HOSPITAL,
      event: { kind: 'consent', at: new Date(Date.now() - 60_000).toISOString(), actor: { physician: '李明', department: '心内科' }, patient: PATIENT, method: 'qr', granted: true },
    };
    const prompted = promptedEvent();
    (prompted.event as { result?: Record<string, unknown> }).result = { ...(prompted.event as { result: Record<string, unknown> }).result, source: 'paper' };
    const answer = IngestAnswer.parse((await post('events', { events: [consent, prompted] })).json());
    expect(answer.results.map((r) => r.status)).toEqual(['stored', 'stored']);
    const { rows } = await t.db.query<{ kind: string; physician: string; detail: Record<string, unknown>; sealed: boolean }>(
      'select kind, physician, detail, patient_sealed is not null as sealed from event where uuid = any($1::uuid[]) order by kind',
      [[consent.uuid, prompted.uuid]],
    );
    expect(rows[0]).toEqual({ kind: 'consent', physician: '李明', detail: { method: 'qr', granted: true }, sealed: true });
    expect(rows[1]!.kind).toBe('prompted');
    expect(rows[1]!.detail).toMatchObject({ resultSource: 'paper' });
    expect(JSON.stringify(rows)).not.toContain(PATIENT.value);
  });

  it('hub stats counts the decisions on paper results and the consents', async () => {
    const row = (await ingestSummary(t.db)).find((r) => r.hospital_id === HOSPITAL)!;
    expect({ paper: row.paper, consents: row.consents }).toEqual({ paper: 1, consents: 1 });
  });
});
