import { afterEach, describe, expect, test, vi } from 'vitest';
import { DEFAULT_RETENTION_DAYS, DexieAuditLog, clampRetention } from '../../../shared/audit/dexie-audit-log';
import { recordAudit, type AuditLog } from '../../../shared/audit/event';
import { auditColumns } from '../../../shared/export/tables';
import { toCsv } from '../../../shared/export/csv';
import { IdbAuditLog } from '../../../shared/audit/idb-audit-log';
import { HurenDb } from '../../../shared/storage/db';
import { WidgetDb } from '../../../shared/storage/widget-db';

const PATIENT = { system: 'urn:oid:2.16.156.10011.1.4', value: '440802197003150017' };
const actor = { physician: '李明', department: '心血管内科' };
let n = 0;
type Log = DexieAuditLog | IdbAuditLog;
/** The extension's Dexie audit log and the widget's plain IndexedDB one: the same behaviour. */
const LOGS: { kind: string; open(name: string, now?: string): Log; close(log: Log): void }[] = [
  { kind: 'dexie', open: (name, now) => new DexieAuditLog(new HurenDb(name), now ? { now: () => new Date(now) } : {}), close: (log) => (log as DexieAuditLog).db.close() },
  { kind: 'idb (widget)', open: (name, now) => new IdbAuditLog(new WidgetDb(name), now ? { now: () => new Date(now) } : {}), close: (log) => (log as IdbAuditLog).db.close() },
];

afterEach(() => vi.restoreAllMocks());

describe.each(LOGS)('audit log in $kind', ({ open, close }) => {
  const fresh = (now: string) => open(`audit-${++n}`, now);

  test('records who viewed whose results and when, and lists a period in order', async () => {
    const log = fresh('2026-11-22T02:00:00Z');
    await log.record({ kind: 'viewed', actor, patient: PATIENT, resultCount: 12 });
    await log.record({ kind: 'opened', actor, patient: PATIENT, target: 'trend', at: '2026-11-22T01:00:00.000Z' });
    const events = await log.list();
    expect(events.map((e) => [e.kind, e.at])).toEqual([
      ['opened', '2026-11-22T01:00:00.000Z'],
      ['viewed', '2026-11-22T02:00:00.000Z'],
    ]);
    expect(events[1]).toMatchObject({ actor, patient: PATIENT, resultCount: 12 });
    expect(await log.list({ from: Date.parse('2026-11-22T01:30:00Z') })).toHaveLength(1);
  });

  test('a decision and its revision are both kept', async () => {
    const log = fresh('2026-11-22T02:00:00Z');
    const base = { kind: 'decided' as const, actor, patient: PATIENT, card: '00000000-0000-4000-8000-000000000001', item: { id: 'cbc', name: '血细胞分析', category: 'lab' as const } };
    await log.record({ ...base, decision: '00000000-0000-4000-8000-000000000002', outcome: 'overridden', reason: 'RT-2' });
    await log.record({ ...base, decision: '00000000-0000-4000-8000-000000000003', outcome: 'accepted', revises: '00000000-0000-4000-8000-000000000002' });
    const csv = toCsv(await log.list(), auditColumns);
    expect(csv).toContain('复查 RT-2');
    expect(csv).toContain('互认（修改）');
    expect(csv).toContain('440802197003150017');
  });

  test('retention: older events are purged on the first record and when the setting changes', async () => {
    const db = `audit-${++n}`;
    const old = open(db, '2026-01-01T00:00:00Z');
    await old.record({ kind: 'viewed', actor, patient: PATIENT, resultCount: 1 });
    await old.record({ kind: 'viewed', actor, patient: PATIENT, resultCount: 1, at: '2026-09-01T00:00:00.000Z' });
    const later = open(db, '2026-11-22T00:00:00Z');
    expect(await later.retentionDays()).toBe(DEFAULT_RETENTION_DAYS);
    await later.record({ kind: 'viewed', actor, patient: PATIENT, resultCount: 2 });
    expect((await later.list()).map((e) => e.at.slice(0, 10))).toEqual(['2026-09-01', '2026-11-22']);
    expect(await later.setRetentionDays(30)).toBe(30);
    expect((await later.list()).map((e) => e.at.slice(0, 10))).toEqual(['2026-11-22']);
    expect(await open(db).retentionDays()).toBe(30);
  });

  test('retention is clamped to 7–3650 whole days', () => {
    expect(clampRetention(1)).toBe(7);
    expect(clampRetention(99999)).toBe(3650);
    expect(clampRetention(30.4)).toBe(30);
    expect(clampRetention('x')).toBe(DEFAULT_RETENTION_DAYS);
  });

  test('an invalid event is dropped silently, and nothing reaches the console', async () => {
    const spies = (['log', 'warn', 'error', 'info', 'debug'] as const).map((m) => vi.spyOn(console, m));
    const log = fresh('2026-11-22T02:00:00Z');
    await log.record({ kind: 'viewed', actor, patient: { value: '' }, resultCount: 1 } as never);
    expect(await log.list()).toEqual([]);
    close(log);
    await expect(log.record({ kind: 'viewed', actor, patient: PATIENT, resultCount: 1 })).resolves.toBeUndefined();
    for (const s of spies) expect(s).not.toHaveBeenCalled();
  });

  test('recordAudit never throws, whatever the log does', () => {
    const throwing: AuditLog = {
      record: () => {
        throw new Error('boom');
      },
    };
    const rejecting: AuditLog = { record: () => Promise.reject(new Error('boom')) };
    expect(() => recordAudit(throwing, { kind: 'viewed', actor, patient: PATIENT, resultCount: 1 })).not.toThrow();
    expect(() => recordAudit(rejecting, { kind: 'viewed', actor, patient: PATIENT, resultCount: 1 })).not.toThrow();
    expect(() => recordAudit(undefined, { kind: 'viewed', actor, patient: PATIENT, resultCount: 1 })).not.toThrow();
  });
});
