import fc from 'fast-check';
import { ageOn, checkPatient, decodeIdCard, idCardCheckChar, normalizeName, parseAgeYears, refuseWrongPatient, WrongPatientError, type PlatformPatient } from '../../../shared/domain/patient-check.ts';
import type { PatientContext } from '../../../shared/domain/encounter.ts';

/** A valid 18-digit 身份证号 for a birth date and sex (area 110101, sequence `seq`). */
function idCard(birthDate: string, sex: 'male' | 'female', seq = 12): string {
  const digit17 = sex === 'male' ? 1 : 2;
  const first17 = `110101${birthDate.replaceAll('-', '')}${String(seq).padStart(2, '0')}${digit17}`;
  return first17 + idCardCheckChar(first17);
}

const TODAY = new Date(Date.UTC(2026, 10, 30, 8));
const A = { name: '张伟', birthDate: '1980-05-17', sex: 'male' as const };
const B = { name: '李娜', birthDate: '1992-11-03', sex: 'female' as const };

function page(patient: Partial<PatientContext> & { id: string }): PatientContext {
  const { id, ...rest } = patient;
  return { identifier: { system: '2.16.156.10011.1.3', value: id }, ...rest };
}

describe('身份证号 decoding', () => {
  it('reads the birth date (digits 7–14) and the sex (digit 17) of a valid number', () => {
    expect(decodeIdCard(idCard('1980-05-17', 'male'))).toEqual({ birthDate: '1980-05-17', sex: 'male' });
    expect(decodeIdCard(idCard('1992-11-03', 'female'))).toEqual({ birthDate: '1992-11-03', sex: 'female' });
    // The GB 11643-1999 example number, with an X check character, lower case accepted.
    expect(decodeIdCard('11010519491231002x')).toEqual({ birthDate: '1949-12-31', sex: 'female' });
  });

  it('refuses a wrong check character, a day that does not exist, and anything not 18 characters', () => {
    const good = idCard('1980-05-17', 'male');
    const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    expect(decodeIdCard(wrong)).toBeUndefined();
    const feb30 = '11010119800230121';
    expect(decodeIdCard(feb30 + idCardCheckChar(feb30))).toBeUndefined();
    expect(decodeIdCard('110101800517121')).toBeUndefined();
    expect(decodeIdCard('MZ123456')).toBeUndefined();
  });
});

describe('ages and names as EMRs write them', () => {
  it('parses whole years', () => {
    expect(parseAgeYears('45岁')).toBe(45);
    expect(parseAgeYears('45 周岁')).toBe(45);
    expect(parseAgeYears('４５岁')).toBe(45);
    expect(parseAgeYears('45Y')).toBe(45);
    expect(parseAgeYears('1岁3月')).toBe(1);
    expect(parseAgeYears('8个月')).toBe(0);
    expect(parseAgeYears('12天')).toBe(0);
    expect(parseAgeYears('不详')).toBeUndefined();
  });

  it('counts 周岁 across the birthday', () => {
    expect(ageOn('1980-05-17', new Date(Date.UTC(2026, 4, 16)))).toBe(45);
    expect(ageOn('1980-05-17', new Date(Date.UTC(2026, 4, 17)))).toBe(46);
  });

  it('compares names across width, spaces and middle dots', () => {
    expect(normalizeName(' 阿依古丽•买买提 ')).toBe(normalizeName('阿依古丽·买买提'));
    expect(normalizeName('阿依古丽・买买提')).toBe(normalizeName('阿依古丽．买买提'));
    expect(normalizeName('张 伟')).toBe(normalizeName('张伟'));
    expect(normalizeName('ＬＩ Ｎａ')).toBe(normalizeName('li na'));
  });
});

describe('checkPatient', () => {
  it('page A (name, gender, age) over B’s 身份证号 and B’s platform record is a mismatch naming the fields', () => {
    const spoofed = page({ id: idCard(B.birthDate, B.sex), name: A.name, gender: '男', age: '46岁' });
    const platformB: PlatformPatient = { names: [B.name], gender: 'female', birthDate: B.birthDate };
    expect(checkPatient(spoofed, platformB, TODAY)).toEqual({ verdict: 'mismatch', fields: ['name', 'gender', 'age'] });
    // Without the platform's answer the 身份证号 alone already contradicts the page.
    expect(checkPatient(spoofed, undefined, TODAY)).toEqual({ verdict: 'mismatch', fields: ['gender', 'age'] });
  });

  it('the platform’s birth date or gender contradicting the 身份证号 is a mismatch', () => {
    const p = page({ id: idCard(A.birthDate, A.sex) });
    expect(checkPatient(p, { birthDate: '1980-05-18' }, TODAY)).toEqual({ verdict: 'mismatch', fields: ['birthDate'] });
    expect(checkPatient(p, { gender: 'female' }, TODAY)).toEqual({ verdict: 'mismatch', fields: ['gender'] });
  });

  it('the same patient everywhere is consistent; names written differently still match', () => {
    const p = page({ id: idCard(A.birthDate, A.sex), name: ' 张 伟', gender: '男性', age: '46岁' });
    expect(checkPatient(p, { names: ['张伟'], gender: 'male', birthDate: '1980-05-17T00:00:00+08:00' }, TODAY)).toEqual({
      verdict: 'consistent',
      compared: ['name', 'gender', 'age', 'birthDate'],
    });
  });

  it('compares only what both sides say', () => {
    // No gender, no age, no platform: nothing to compare.
    expect(checkPatient(page({ id: idCard(A.birthDate, A.sex), name: A.name }), undefined, TODAY)).toEqual({ verdict: 'unknown' });
    // A 门诊号 tells nothing; a platform without names does not judge the page's name.
    const outpatient: PatientContext = { identifier: { system: 'urn:oid:2.16.156.10011.1.11', value: '11010119800517121X' }, name: A.name, gender: '女' };
    expect(checkPatient(outpatient, { gender: 'female' }, TODAY)).toEqual({ verdict: 'consistent', compared: ['gender'] });
    expect(checkPatient(page({ id: 'MZ0001', name: A.name, gender: '男', age: '不详' }), { birthDate: A.birthDate }, TODAY)).toEqual({ verdict: 'unknown' });
    // 未知 on the page is not a gender.
    expect(checkPatient(page({ id: idCard(A.birthDate, A.sex), gender: '未知' }), undefined, TODAY)).toEqual({ verdict: 'unknown' });
  });

  it('an age off by one year is a mismatch except within a day of the birthday', () => {
    const p = (age: string) => page({ id: idCard(A.birthDate, A.sex), age });
    const dayBefore = new Date(Date.UTC(2026, 4, 16, 20));
    expect(checkPatient(p('45岁'), undefined, dayBefore).verdict).toBe('consistent');
    expect(checkPatient(p('46岁'), undefined, dayBefore).verdict).toBe('consistent');
    expect(checkPatient(p('46岁'), undefined, new Date(Date.UTC(2026, 3, 1))).verdict).toBe('mismatch');
    expect(checkPatient(p('44岁'), undefined, dayBefore).verdict).toBe('mismatch');
  });
});

describe('the decision guard', () => {
  it('refuses a mismatch with the fields, lets consistent and unknown through', () => {
    expect(() => refuseWrongPatient({ verdict: 'mismatch', fields: ['gender'] })).toThrow(WrongPatientError);
    expect(() => refuseWrongPatient({ verdict: 'consistent', compared: ['gender'] })).not.toThrow();
    expect(() => refuseWrongPatient({ verdict: 'unknown' })).not.toThrow();
  });
});

describe('checkPatient properties', () => {
  const arbBirth = fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2026, 10, 29)), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const arbSex = fc.constantFrom('male' as const, 'female' as const);
  const arbToday = fc.date({ min: new Date(Date.UTC(2026, 10, 30)), max: new Date(Date.UTC(2060, 0, 1)), noInvalidDate: true });
  const words = { male: ['男', '男性', 'M', 'male', '1'], female: ['女', '女性', 'F', 'female', '2'] };

  it('any valid 身份证号 decodes to the birth date and sex it was made from', () => {
    fc.assert(
      fc.property(arbBirth, arbSex, fc.integer({ min: 0, max: 99 }), (birth, sex, seq) => {
        expect(decodeIdCard(idCard(birth, sex, seq))).toEqual({ birthDate: birth, sex });
      }),
    );
  });

  it('a page whose gender and age agree with a valid 身份证号 and its platform record never mismatches', () => {
    fc.assert(
      fc.property(arbBirth, arbSex, arbToday, fc.nat(4), fc.constantFrom('岁', '周岁', '', 'Y'), (birth, sex, today, w, unit) => {
        fc.pre(birth <= today.toISOString().slice(0, 10));
        const p = page({ id: idCard(birth, sex), name: '欧阳·娜娜', gender: words[sex][w], age: `${ageOn(birth, today)}${unit}` });
        const verdict = checkPatient(p, { names: ['欧阳•娜娜'], gender: sex, birthDate: birth }, today);
        expect(verdict.verdict).toBe('consistent');
      }),
    );
  });

  it('a page of the other sex than its valid 身份证号 always mismatches on gender', () => {
    fc.assert(
      fc.property(arbBirth, arbSex, fc.nat(4), (birth, sex, w) => {
        const other = sex === 'male' ? 'female' : 'male';
        const verdict = checkPatient(page({ id: idCard(birth, sex), gender: words[other][w] }), undefined, TODAY);
        expect(verdict).toEqual({ verdict: 'mismatch', fields: ['gender'] });
      }),
    );
  });
});
