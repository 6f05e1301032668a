/** 居民身份证号码 (GB 11643-1999): 6-digit area code, birth date, 3-digit sequence, ISO 7064 MOD 11-2 check. */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check character for the first 17 digits. */
export function idCardCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('need 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

export function isValidIdCard(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const birth = id.slice(6, 14);
  const date = new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10).replaceAll('-', '') !== birth) return false;
  return idCardCheckChar(id.slice(0, 17)) === id[17];
}

/** The 17th digit is odd for men and even for women. */
export function makeIdCard(areaCode: string, birthDate: string, sequence: number, gender: 'male' | 'female'): string {
  let seq = sequence % 1000;
  if ((seq % 2 === 1) !== (gender === 'male')) seq = (seq + 1) % 1000;
  const first17 = `${areaCode}${birthDate.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + idCardCheckChar(first17);
}
