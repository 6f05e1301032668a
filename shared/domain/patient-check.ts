/**
 * 患者身份核对: is the patient the EMR page shows the patient whose identifier Huren would look up?
 *
 * A page can show patient A while the element the adapter reads carries B's 身份证号 (a hidden
 * first match, a stale field, a hostile page). Then the panel would show A's name over B's
 * results, and a decision would be stored for B. The identifier itself says something about its
 * owner — an 18-digit 居民身份证号码 (GB 11643-1999) encodes the birth date and the sex — and the
 * platform says more (name, gender, birth date). This module compares what each side says, and
 * only what both sides say: a field absent on either side is never a mismatch.
 *
 * Pure: no DOM, no clock of its own (`today` is passed), no patient data in any message.
 */
import { z } from 'zod';
import { ID_CARD_OID, ID_CARD_SYSTEM, LEGACY_ID_CARD_SYSTEM } from './codes';
import type { PatientContext, PatientIdentifier } from './encounter';

export type Sex = 'male' | 'female';

/** What the results source (区域平台) says about the patient it found; every field optional. */
export const PlatformPatient = z.object({
  /** Names as the platform writes them (FHIR HumanName text, or family + given; CDA patient/name). */
  names: z.array(z.string().max(64)).max(20).optional(),
  /** FHIR administrative gender (male/female/other/unknown), or 男/女, or GB/T 2261.1 codes 1/2. */
  gender: z.string().max(16).optional(),
  /** YYYY-MM-DD (or a longer ISO date-time: the date part is compared). */
  birthDate: z.string().max(40).optional(),
});
export type PlatformPatient = z.infer<typeof PlatformPatient>;

/**
 * The fields that can differ: `gender` (page, 身份证号 or platform disagree), `age` (the page's age
 * against the birth date), `birthDate` (the 身份证号's against the platform's), `name` (page against platform).
 */
export type CheckedField = 'name' | 'gender' | 'age' | 'birthDate';

export type PatientCheck =
  /** At least one field was compared and every compared field agrees. */
  | { verdict: 'consistent'; compared: CheckedField[] }
  /** Something differs: the fields named (never their values). */
  | { verdict: 'mismatch'; fields: CheckedField[] }
  /** Nothing could be compared (no 身份证号, nothing from the platform). */
  | { verdict: 'unknown' };

/** Systems naming a 身份证号: its OID (DE02.01.030.00) bare or as urn:oid, and the system Huren 0.1 used. */
const ID_CARD_SYSTEMS = [ID_CARD_OID, ID_CARD_SYSTEM, LEGACY_ID_CARD_SYSTEM];

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** The ISO 7064 MOD 11-2 check character of the first 17 digits (校验码). */
export function idCardCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** What an 18-digit 身份证号 says about its owner. */
export interface IdCardFacts {
  /** Digits 7–14, YYYY-MM-DD. */
  birthDate: string;
  /** Digit 17: odd 男, even 女. */
  sex: Sex;
}

/**
 * The birth date and sex an 18-digit 居民身份证号码 encodes, or undefined when the value is not
 * one: wrong length, a wrong check character, or a birth date that is not a real calendar day.
 * (The 15-digit numbers issued before 1999 are not read: they carry no check character.)
 */
export function decodeIdCard(value: string): IdCardFacts | undefined {
  const id = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return undefined;
  if (idCardCheckChar(id.slice(0, 17)) !== id[17]) return undefined;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1800 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return { birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, sex: Number(id[16]) % 2 === 1 ? 'male' : 'female' };
}

/** Whether the identifier may be a 身份证号: its system says so, or it names none. */
function mayBeIdCard(identifier: PatientIdentifier): boolean {
  return identifier.system === undefined || ID_CARD_SYSTEMS.includes(identifier.system.trim());
}

/** 男/女 however written (男性, M, male, GB/T 2261.1 code 1/2); undefined for anything else (未知, other). */
export function normalizeSex(text: string | undefined): Sex | undefined {
  const t = text?.normalize('NFKC').trim().toLowerCase();
  if (!t) return undefined;
  if (t === '男' || t === '男性' || t === 'm' || t === 'male' || t === '1') return 'male';
  if (t === '女' || t === '女性' || t === 'f' || t === 'female' || t === '2') return 'female';
  return undefined;
}

/**
 * A name as compared: NFKC (全角 → 半角), spaces removed, every kind of 间隔号 (· • ‧ ・ ･ ∙ .)
 * one middle dot, Latin letters lower case. "阿依古丽•买买提" and "阿依古丽·买买提" are one name.
 */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[·•‧・･∙⋅.．]/g, '·')
    .toLowerCase();
}

/**
 * Whole years from an age as EMRs write it: 45, 45岁, 45周岁, 45Y, 1岁3月; 0 for 8月, 8个月, 12天,
 * 3周. Undefined when the text is no age (the page's age is then not compared).
 */
export function parseAgeYears(text: string | undefined): number | undefined {
  const t = text?.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  if (!t) return undefined;
  const years = /^(\d{1,3})(?:岁|周岁|y|yr|yrs|years?)?(?:\d{1,2}(?:个?月|m))?$/.exec(t);
  if (years) return Number(years[1]);
  if (/^\d{1,3}(?:个?月|天|日|周|d|m|w)$/.test(t)) return 0;
  return undefined;
}

/** Whole years between a YYYY-MM-DD birth date and `today` (UTC calendar days), as 周岁 are counted. */
export function ageOn(birthDate: string, today: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const ty = today.getUTCFullYear();
  const tm = today.getUTCMonth() + 1;
  const td = today.getUTCDate();
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
}

/** A platform birth date's YYYY-MM-DD, when it has a full date. */
function dateOnly(text: string | undefined): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(text?.trim() ?? '');
  return m?.[1];
}

const DAY_MS = 86_400_000;

/**
 * Compares the page's patient with what the 身份证号 encodes and what the platform says.
 *
 * - gender: page vs 身份证号, page vs platform, platform vs 身份证号
 * - birth date: platform vs 身份证号; page age vs the 身份证号's or the platform's
 *   birth date (`age`): the age in whole years on `today`, or on the day before or after (an EMR
 *   that counted in another time zone, or at midnight), nothing looser
 * - name: page vs the platform's names (any one may match), normalized; only when both have one
 */
export function checkPatient(page: PatientContext, platform: PlatformPatient | undefined, today: Date): PatientCheck {
  const mismatched = new Set<CheckedField>();
  const compared = new Set<CheckedField>();
  const note = (field: CheckedField, agrees: boolean) => {
    compared.add(field);
    if (!agrees) mismatched.add(field);
  };

  const card = mayBeIdCard(page.identifier) ? decodeIdCard(page.identifier.value) : undefined;
  const pageSex = normalizeSex(page.gender);
  const pageAge = parseAgeYears(page.age);
  const platformSex = normalizeSex(platform?.gender);
  const platformBirth = dateOnly(platform?.birthDate);

  if (pageSex && card) note('gender', pageSex === card.sex);
  if (pageSex && platformSex) note('gender', pageSex === platformSex);
  if (card && platformSex) note('gender', card.sex === platformSex);
  if (card && platformBirth) note('birthDate', card.birthDate === platformBirth);

  const birth = card?.birthDate ?? platformBirth;
  if (pageAge !== undefined && birth) {
    const around = [today.getTime() - DAY_MS, today.getTime(), today.getTime() + DAY_MS].map((t) => ageOn(birth, new Date(t)));
    note('age', around.includes(pageAge));
  }

  const pageName = page.name ? normalizeName(page.name) : '';
  const platformNames = (platform?.names ?? []).map(normalizeName).filter(Boolean);
  if (pageName && platformNames.length > 0) note('name', platformNames.includes(pageName));

  if (mismatched.size > 0) return { verdict: 'mismatch', fields: ORDER.filter((f) => mismatched.has(f)) };
  if (compared.size > 0) return { verdict: 'consistent', compared: ORDER.filter((f) => compared.has(f)) };
  return { verdict: 'unknown' };
}

const ORDER: CheckedField[] = ['name', 'gender', 'age', 'birthDate'];

/**
 * Thrown where a decision would be stored for a patient whose identity check failed: no
 * recognition (互认) or re-test decision is recorded under an identifier the page contradicts.
 */
export class WrongPatientError extends Error {
  constructor(readonly fields: CheckedField[]) {
    super(`patient mismatch: ${fields.join(', ')}`);
    this.name = 'WrongPatientError';
  }
}

/** Throws WrongPatientError on a mismatch: the guard in front of storing a decision. */
export function refuseWrongPatient(check: PatientCheck): void {
  if (check.verdict === 'mismatch') throw new WrongPatientError(check.fields);
}
