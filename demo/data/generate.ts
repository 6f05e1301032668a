import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bundle, Patient, Reference } from '@medplum/fhirtypes';
import { BundleBuilder } from './builders.ts';
import { makeIdCard } from './id-card.ts';
import { Random } from './random.ts';
import {
  ANALYTES, CROSS_REGION, EXAMS, ID_CARD_SYSTEM, INSTITUTIONS, PANELS, recognizedIssuers, UNQUALIFIED, type Panel,
} from './reference.ts';

/** A patient as the demo EMR (HIS) lists them: what the page shows and the orders being placed. */
export interface EmrPatient {
  idCard: string;
  name: string;
  gender: '男' | '女';
  /** e.g. "45岁" */
  age: string;
  birthDate: string;
  visitNo: string;
  department?: string;
  /** Tests the EMR shows as already being ordered (开立中的医嘱). */
  orders: { name: string; code?: string }[];
}

export interface DemoData {
  /** FHIR R4 transaction Bundle with urn:uuid fullUrls. */
  bundle: Bundle;
  emrPatients: EmrPatient[];
}

const NAMES: [string, '男' | '女'][] = [
  ['张伟', '男'], ['王芳', '女'], ['李娜', '女'], ['刘洋', '男'], ['陈静', '女'], ['杨磊', '男'],
  ['黄丽华', '女'], ['赵强', '男'], ['吴秀英', '女'], ['周杰', '男'], ['徐敏', '女'], ['孙建国', '男'],
  ['马玉兰', '女'], ['朱海燕', '女'], ['胡志明', '男'], ['郭桂芳', '女'], ['林永强', '男'], ['何婷', '女'],
  ['高峰', '男'], ['罗美玲', '女'], ['梁家辉', '男'], ['郑晓燕', '女'], ['谢文彬', '男'], ['宋佳', '女'],
];
const DEPARTMENTS = ['呼吸内科', '心血管内科', '消化内科', '内分泌科', '肾内科', '普通外科', '神经内科', '全科医学科'];
/** Patients with long histories (hundreds of results): 1 (inpatient, daily labs), 2 (chronic, two years), 7. */
const HEAVY = new Set([1, 2, 7]);
const RECOGNIZABLE_PANELS = ['CBC', 'LFT', 'RFT', 'LIPID', 'GLU', 'HBV', 'THY', 'COAG', 'TUMOR'];
const CATALOG_EXAMS = ['CT-CHEST', 'MR-HEAD', 'US-ABD', 'DR-CHEST', 'ECG-12'];

const orderOf = (p: Panel) => ({ name: p.name, code: p.code.code });

/**
 * Deterministic demo data for one seed, dated relative to `today`: ≥ 20 patients, each with valid,
 * expired, not-in-catalog and unqualified-issuer results, from 8 institutions in three regions.
 */
export function generateDemoData(opts: { today: Date; seed?: number }): DemoData {
  const rng = new Random(opts.seed ?? 20261122);
  const b = new BundleBuilder(rng, opts.today);
  const emrPatients: EmrPatient[] = [];

  NAMES.forEach(([name, gender], i) => {
    const sex = gender === '男' ? 'M' : 'F';
    const ageYears = i === 0 ? 45 : i === 2 ? 68 : rng.int(18, 85);
    const birthDate = birthDateFor(opts.today, ageYears, rng.int(10, 350));
    const area = i === 0 ? '440803' : rng.pick(INSTITUTIONS.filter((x) => x.region === '湛江市')).areaCode;
    const idCard = makeIdCard(area, birthDate, rng.int(1, 999), sex === 'M' ? 'male' : 'female');
    const patient = b.add<Patient>({
      resourceType: 'Patient',
      identifier: [{ system: ID_CARD_SYSTEM, value: idCard, type: { text: '居民身份证' } }],
      name: [{ text: name, family: name.slice(0, 1), given: [name.slice(1)] }],
      gender: sex === 'M' ? 'male' : 'female',
      birthDate,
      address: [{ city: '湛江市', state: '广东省', country: 'CN' }],
    });
    const ref: Reference<Patient> = { reference: patient.reference, display: name };
    const orders = i === 0 ? patientZero(b, ref) : typicalPatient(b, rng, ref, i, sex);
    if (HEAVY.has(i)) longHistory(b, rng, ref, i, sex);
    emrPatients.push({
      idCard,
      name,
      gender,
      age: `${ageYears}岁`,
      birthDate,
      visitNo: `MZ${b.dateCompact(0)}${String(i + 1).padStart(4, '0')}`,
      department: i === 0 ? '呼吸内科' : rng.pick(DEPARTMENTS),
      orders,
    });
  });

  return { bundle: { resourceType: 'Bundle', type: 'transaction', entry: b.entries }, emrPatients };
}

/**
 * 张伟, 45, 呼吸内科: the demo story. Recognizable: 血常规 (3 d, 湛江中心人民医院), 肝功能 (5 d,
 * 麻章区人民医院 — same 医联体), 胸部CT (6 d, with 云胶片), 糖化血红蛋白 (40 d, 60-day limit).
 * Expired: 电解质 (10 d > 7), 血脂 (25 d > 14), 胸部X线 (45 d > 30). Unqualified issuer: 肾功能 from
 * 遂溪县人民医院 (资质过期, no mark). Not in catalog: 降钙素原 (2 d). Orders: 血常规 (duplicate), 肾功能, 降钙素原.
 */
function patientZero(b: BundleBuilder, p: Reference<Patient>): EmrPatient['orders'] {
  const o = { sex: 'M' as const };
  b.labReport(p, PANELS.CBC!, 'zj-zxyy', 3, o);
  b.labReport(p, PANELS.LFT!, 'zj-mzqrmyy', 5, { ...o, allowAbnormal: false });
  b.imagingReport(p, EXAMS['CT-CHEST']!, 'zj-zxyy', 6, { conclusion: '左肺上叶微小结节（约4mm），建议12个月后复查。' });
  b.standaloneObservation(p, 'HBA1C', 'zj-zxyy', 40, o);
  b.labReport(p, PANELS.ELEC!, 'zj-zxyy', 10, o);
  b.labReport(p, PANELS.LIPID!, 'zj-zxyy', 25, o);
  b.imagingReport(p, EXAMS['DR-CHEST']!, 'zj-zxyy', 45);
  b.labReport(p, PANELS.RFT!, UNQUALIFIED, 4, o);
  b.labReport(p, PANELS.PCT!, 'zj-zxyy', 2, o);
  return [orderOf(PANELS.CBC!), orderOf(PANELS.RFT!), { name: '降钙素原', code: ANALYTES.PCT.code }];
}

function typicalPatient(b: BundleBuilder, rng: Random, p: Reference<Patient>, i: number, sex: 'M' | 'F'): EmrPatient['orders'] {
  const o = { sex };
  // Valid: one or two recognizable panels from issuers the receiving hospital surely recognizes.
  const sure = (key: string) => rng.pick(recognizedIssuers(key));
  const valid = rng.pick(RECOGNIZABLE_PANELS);
  const status = i === 3 ? 'preliminary' : undefined;
  b.labReport(p, PANELS[valid]!, sure(valid), rng.int(1, 12), { ...o, ...(status ? { status } : {}) });
  if (i === 3) b.labReport(p, PANELS.CBC!, 'zj-zxyy', 2, o);
  if (rng.chance(0.5)) b.labReport(p, PANELS.ELEC!, sure('ELEC'), rng.int(1, 5), o);
  const exam = rng.pick(CATALOG_EXAMS);
  if (rng.chance(0.6)) b.imagingReport(p, EXAMS[exam]!, 'zj-zxyy', rng.int(2, 25), i === 6 ? { status: 'registered' } : {});
  // Expired: past the 14-day lab or 30-day imaging limit, still inside the fetch window.
  const old = rng.pick(RECOGNIZABLE_PANELS);
  if (rng.chance(0.5)) b.labReport(p, PANELS[old]!, sure(old), rng.int(20, 55), o);
  else b.imagingReport(p, EXAMS[rng.pick(CATALOG_EXAMS)]!, sure('imaging'), rng.int(35, 55));
  // Not in the catalog.
  const nic = rng.pick(['PCT', 'SAA', 'BMD']);
  if (nic === 'BMD') b.imagingReport(p, EXAMS.BMD!, 'zj-zxyy', rng.int(2, 20));
  else b.labReport(p, PANELS[nic]!, sure(nic), rng.int(1, 10), o);
  // Unqualified issuer (资质过期): no HR mark.
  b.labReport(p, PANELS[rng.pick(RECOGNIZABLE_PANELS)]!, UNQUALIFIED, rng.int(1, 10), o);
  // Cross-region results (茂名市 HR, 粤HR): recognized or not by the pack's regional settings.
  if (rng.chance(0.4)) b.labReport(p, PANELS[rng.pick(RECOGNIZABLE_PANELS)]!, rng.pick(CROSS_REGION), rng.int(1, 12), o);
  if (rng.chance(0.3)) b.imagingReport(p, EXAMS[rng.pick(CATALOG_EXAMS)]!, rng.pick(CROSS_REGION), rng.int(2, 28));
  if (rng.chance(0.3)) b.standaloneObservation(p, 'HBA1C', sure('HBA1C'), rng.int(5, 90), o);
  // A few own results (the receiving hospital) and withdrawn reports (entered-in-error: dropped).
  if (i === 5 || i === 11) b.labReport(p, PANELS.CBC!, 'zj-rmyy', rng.int(1, 10), o);
  if (i === 4) b.labReport(p, PANELS.LFT!, 'zj-zxyy', 3, { ...o, status: 'entered-in-error' });
  // Older history outside any window.
  for (let k = rng.int(0, 3); k > 0; k--) {
    const key = rng.pick(RECOGNIZABLE_PANELS);
    b.labReport(p, PANELS[key]!, sure(key), rng.int(90, 700), o);
  }

  if (i % 3 === 0) return [];
  const orders = [orderOf(PANELS[valid]!)];
  const extra = rng.pick(RECOGNIZABLE_PANELS);
  if (extra !== valid && rng.chance(0.5)) orders.push(orderOf(PANELS[extra]!));
  if (rng.chance(0.3)) orders.push({ name: EXAMS[exam]!.name, code: exam });
  return orders;
}

/** Hundreds of results: daily inpatient labs (patient 1), a two-year chronic history (2), frequent 血常规 (7). */
function longHistory(b: BundleBuilder, rng: Random, p: Reference<Patient>, i: number, sex: 'M' | 'F'): void {
  const o = { sex };
  if (i === 1) {
    for (let d = 1; d <= 40; d++) {
      b.labReport(p, PANELS.CBC!, 'zj-zxyy', d, o);
      b.labReport(p, PANELS.ELEC!, 'zj-zxyy', d, o);
      b.labReport(p, PANELS.RFT!, 'zj-zxyy', d, o);
    }
  } else if (i === 2) {
    for (let d = 7; d <= 730; d += 14) {
      for (const key of ['LFT', 'RFT', 'LIPID', 'GLU']) b.labReport(p, PANELS[key]!, rng.pick(recognizedIssuers(key)), d, o);
      b.standaloneObservation(p, 'HBA1C', 'zj-zxyy', d, o);
    }
  } else {
    for (let d = 1; d <= 60; d += 2) b.labReport(p, PANELS.CBC!, rng.pick(recognizedIssuers('CBC')), d, o);
  }
}

/** Birth date `ageYears` years and `extraDays` days before today (China date). */
function birthDateFor(today: Date, ageYears: number, extraDays: number): string {
  const cn = new Date(today.getTime() + 8 * 3_600_000);
  const d = new Date(Date.UTC(cn.getUTCFullYear() - ageYears, cn.getUTCMonth(), cn.getUTCDate() - extraDays));
  return d.toISOString().slice(0, 10);
}

function main(argv: string[]): void {
  const arg = (name: string) => {
    const k = argv.indexOf(name);
    return k >= 0 ? argv[k + 1] : undefined;
  };
  const out = arg('--out');
  if (!out) {
    process.stderr.write('usage: npx tsx demo/data/generate.ts --out file.json [--emr patients.json] [--today YYYY-MM-DD] [--seed N]\n');
    process.exit(2);
  }
  const todayArg = arg('--today');
  const today = todayArg ? new Date(`${todayArg}T12:00:00+08:00`) : new Date();
  if (Number.isNaN(today.getTime())) throw new Error('--today must be YYYY-MM-DD');
  const seedArg = arg('--seed');
  const data = generateDemoData({ today, ...(seedArg ? { seed: Number(seedArg) } : {}) });
  writeFileSync(resolve(out), JSON.stringify(data.bundle, null, 1));
  const emr = arg('--emr');
  if (emr) writeFileSync(resolve(emr), JSON.stringify(data.emrPatients, null, 1));
  process.stdout.write(`wrote ${data.bundle.entry?.length ?? 0} entries for ${data.emrPatients.length} patients to ${out}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main(process.argv.slice(2));
