import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXT, RETEST_REASON_SYSTEM, type Decision } from '../shared/domain/decision.ts';
import type { HubEventEntry } from '../shared/hub/ingest.ts';
import { Random } from './data/random.ts';
import { INSTITUTIONS } from './data/reference.ts';
import { makeIdCard } from './data/id-card.ts';

const ROOT = resolve(import.meta.dirname, '..');

/** How willing each demo hospital is to recognize (the region view has something to rank and flag). */
const RECOGNITION: Record<string, number> = {
  'zj-rmyy': 0.72,
  'zj-zxyy': 0.8,
  'zj-fybjy': 0.7,
  'zj-mzqrmyy': 0.66,
  'zj-xsqsq': 0.6,
  'zj-slxrmyy': 0.3,
  'mm-rmyy': 0.74,
  'gz-zsyy': 0.85,
};
const DEPARTMENTS = ['呼吸内科', '心血管内科', '消化内科', '内分泌科', '普通外科'];
const SURNAMES = ['陈', '林', '黄', '梁', '吴', '李', '周', '郑', '何', '冯'];
const GIVEN = ['建华', '晓燕', '志强', '丽娟', '文杰', '海涛', '秀梅', '国栋', '雅琴', '振宇'];

interface PackItem {
  id: string;
  name: string;
  category: 'lab' | 'imaging';
  price?: number;
  members?: string[];
}

/**
 * A few weeks of past activity for every demo hospital, made the way browsers report it (CDS
 * Hooks feedback and events, sent to the hub's ingest endpoints with each hospital's token), so
 * the hospital dashboard has history and the region view has hospitals to compare. Deterministic
 * (seeded); the days end the day before `today`.
 */
export function demoHistory(today: Date, days = 45): { hospital: string; decisions: Decision[]; events: HubEventEntry[] }[] {
  const pack = JSON.parse(readFileSync(join(ROOT, 'shared/rules/packs/demo.json'), 'utf8')) as {
    meta: { id: string; version: string };
    catalog: PackItem[];
    retestReasons: { code: string; label: { 'zh-CN': string }; commentRequired?: boolean }[];
  };
  const packRef = { id: pack.meta.id, version: pack.meta.version };
  const items = pack.catalog.filter((i) => !i.members || i.members.length > 0 || i.category === 'imaging').filter((i) => i.price !== undefined);
  const r = new Random(20261101);
  const uuid = () => {
    const hex = Array.from({ length: 32 }, () => r.int(0, 15).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((r.int(0, 3) + 8).toString(16))}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
  const at = (dayOffset: number, minutes: number) => new Date(today.getTime() - dayOffset * 86_400_000 - (today.getTime() % 86_400_000) + 1 * 3_600_000 + minutes * 60_000).toISOString();
  return INSTITUTIONS.map((hospital, h) => {
    const decisions: Decision[] = [];
    const events: HubEventEntry[] = [];
    const physicians = DEPARTMENTS.flatMap((department) => Array.from({ length: 2 }, () => ({ department, physician: r.pick(SURNAMES) + r.pick(GIVEN) })));
    const issuers = INSTITUTIONS.filter((i) => i.id !== hospital.id);
    const willing = RECOGNITION[hospital.id] ?? 0.65;
    for (let p = 0; p < 60 + h * 5; p++) {
      const actor = r.pick(physicians);
      const day = r.int(1, days);
      const birth = `19${r.int(40, 99)}-0${r.int(1, 9)}-1${r.int(0, 9)}`;
      const patient = { system: 'urn:oid:2.16.156.10011.1.3', value: makeIdCard(hospital.areaCode, birth, r.int(1, 999), r.chance(0.5) ? 'male' : 'female') };
      const base = r.int(0, 400);
      events.push({ uuid: uuid(), hospital: hospital.id, event: { kind: 'viewed', at: at(day, base), actor, patient, resultCount: r.int(2, 20) } });
      for (let k = 0; k < r.int(1, 3); k++) {
        const item = r.pick(items);
        const issuer = r.pick(issuers);
        const card = uuid();
        const result = { id: `DiagnosticReport/h${h}p${p}k${k}`, reportNumber: `${issuer.prefix}-${day}${p}${k}`, date: at(day + r.int(2, 10), 0).slice(0, 10), issuer: { id: issuer.id, name: issuer.name } };
        events.push({
          uuid: uuid(),
          hospital: hospital.id,
          event: { kind: 'prompted', at: at(day, base + 1), actor, patient, card, item: { id: item.id, name: item.name, category: item.category }, trigger: r.chance(0.3) ? 'order-select' : 'patient-view', result, pack: packRef },
        });
        if (r.chance(0.12)) continue; // 未处理
        const accepted = r.chance(willing);
        const reason = r.pick(pack.retestReasons.filter((x) => !x.commentRequired));
        const decision = {
          uuid: uuid(),
          card,
          outcome: accepted ? 'accepted' : 'overridden',
          ...(accepted
            ? { acceptedSuggestions: [{ id: 'recognize' }] }
            : { overrideReason: { reason: { system: RETEST_REASON_SYSTEM, code: reason.code, display: reason.label['zh-CN'] } } }),
          outcomeTimestamp: at(day, base + 2),
          extension: {
            [EXT]: {
              hospital: hospital.id,
              patient,
              item: { id: item.id, name: item.name, category: item.category },
              result: { id: result.id, reportNumber: result.reportNumber, date: result.date },
              issuer: result.issuer,
              practitioner: actor,
              pack: packRef,
              trigger: 'patient-view',
              ...(accepted && item.price !== undefined ? { savedPrice: item.price } : {}),
            },
          },
        } as Decision;
        decisions.push(decision);
        if (accepted && r.chance(0.6)) {
          events.push({ uuid: uuid(), hospital: hospital.id, event: { kind: 'cited', at: at(day, base + 3), actor, patient, card, decision: decision.uuid, item: { id: item.id, name: item.name, category: item.category }, how: 'inserted' } });
        }
      }
    }
    return { hospital: hospital.id, decisions, events };
  });
}
