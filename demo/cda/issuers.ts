import { ANALYTES, EXAMS, INSTITUTIONS, type AnalyteKey } from '../data/reference.ts';
import type { CdaStyle } from './write-cda.ts';

/**
 * How each demo institution writes its WS/T 500 documents: its custodian id (医疗机构组织机构代码,
 * root 2.16.156.10011.1.5), its own item codes (no LOINC: WS/T 500 carries the issuer's code), and
 * the deviations its generator makes. The demo pack's codeMaps map these codes (a test checks both agree).
 */
export interface CdaIssuer {
  custodianId: string;
  /** Local code of each analyte and exam. */
  codes: Record<string, string>;
  style: Partial<CdaStyle>;
  /** This generator leaves out 检查日期: the report date is the clock. */
  omitsExamDate?: boolean;
}

const STYLES: Record<string, Partial<CdaStyle>> = {
  'zj-rmyy': {},
  'zj-zxyy': {},
  'zj-fybjy': { value: 'PQ' },
  'zj-mzqrmyy': { shape: 'flat', structuredBody: false, codes: 'underscore', time: 8, name: 'result-display' },
  'zj-xsqsq': { name: 'none', time: 'zone', value: 'PQ' },
  'zj-slxrmyy': { shape: 'flat' },
  'mm-rmyy': { codes: 'underscore', value: 'ST' },
  'gz-zsyy': { structuredBody: false, time: 8 },
};

/** Deterministic local codes: each institution numbers its dictionary its own way. */
function localCodes(index: number): Record<string, string> {
  const codes: Record<string, string> = {};
  const base = [1000, 5500, 2100, 300, 8800, 4200, 6100, 7300][index] ?? 9000;
  (Object.keys(ANALYTES) as AnalyteKey[]).forEach((key, i) => {
    codes[key] = index % 2 === 0 ? String(base + i * 3) : `${String.fromCharCode(65 + index)}${String(base + i).padStart(5, '0')}`;
  });
  Object.keys(EXAMS).forEach((key, i) => {
    codes[key] = `${index % 2 === 0 ? 'JC' : 'RIS'}${String(base + 90 + i)}`;
  });
  return codes;
}

export const CDA_ISSUERS: Record<string, CdaIssuer> = Object.fromEntries(
  INSTITUTIONS.map((inst, i) => [
    inst.id,
    {
      custodianId: `4408${String(10000001 + i * 137).padStart(9, '0')}`,
      codes: localCodes(i),
      style: STYLES[inst.id] ?? {},
      ...(inst.id === 'zj-slxrmyy' || inst.id === 'gz-zsyy' ? { omitsExamDate: true } : {}),
    },
  ]),
);

/** Analytes that are not in the demo catalog: their lines say so (reviewed, no item). */
const NOT_IN_CATALOG = new Set(['PCT', 'SAA', 'BMD']);
const ITEM_OF: Record<string, string> = {
  WBC: 'wbc', RBC: 'rbc', HGB: 'hgb', PLT: 'plt', ALT: 'alt', AST: 'ast', TBIL: 'tbil', ALB: 'alb', CREA: 'crea', UREA: 'urea', UA: 'ua',
  TC: 'tc', TG: 'tg', HDL: 'hdl', LDL: 'ldl', GLU: 'glu', HBA1C: 'hba1c', K: 'k', NA: 'na', CL: 'cl', HBSAG: 'hbsag', ANTI_HBS: 'anti-hbs',
  HBEAG: 'hbeag', ANTI_HBE: 'anti-hbe', ANTI_HBC: 'anti-hbc', TSH: 'tsh', FT3: 'ft3', FT4: 'ft4', PT: 'pt', APTT: 'aptt', INR: 'inr', FIB: 'fib',
  AFP: 'afp', CEA: 'cea', 'CT-CHEST': 'ct-chest', 'MR-HEAD': 'mr-head', 'US-ABD': 'us-abd', 'DR-CHEST': 'dr-chest', 'ECG-12': 'ecg-12',
};

/** The demo pack's codeMaps (as written into shared/rules/packs/demo.json), from the table above. */
export function demoCodeMaps(): { issuer: string; updated: string; entries: { code: string; name: string; item?: string; specimen?: string }[] }[] {
  return INSTITUTIONS.map((inst) => {
    const issuer = CDA_ISSUERS[inst.id]!;
    const entries = Object.entries(issuer.codes).map(([key, code]) => {
      const name = key in ANALYTES ? ANALYTES[key as AnalyteKey].name : EXAMS[key]!.name;
      const specimen = key in ANALYTES ? specimenOf(key) : undefined;
      return { code, name, ...(specimen ? { specimen } : {}), ...(NOT_IN_CATALOG.has(key) ? {} : { item: ITEM_OF[key]! }) };
    });
    return { issuer: inst.id, updated: '2026-11-01', entries };
  });
}

export function specimenOf(key: string): string {
  return ['WBC', 'RBC', 'HGB', 'PLT', 'HBA1C'].includes(key) ? '全血' : ['PT', 'APTT', 'INR', 'FIB'].includes(key) ? '血浆' : '血清';
}
