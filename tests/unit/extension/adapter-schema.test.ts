import { describe, expect, test } from 'vitest';
import { BUNDLED_ADAPTERS } from '../../../extension/settings/bundled-adapters';
import { parseAdapters, parseAdaptersText } from '../../../extension/settings/site-adapter-schema';

const valid = {
  id: 'zy-his-outpatient',
  name: '某某HIS 门诊医生站',
  urlPatterns: ['^https://his\\.zjrmyy\\.cn/outpatient/'],
  frame: ['iframe#main'],
  patient: { identifier: { selector: '#sfzh', attribute: 'value' }, name: { selector: '#brxm' } },
  orders: { item: '#yz tr', name: { selector: 'td:nth-child(2)' } },
  note: { selector: '#bl', frame: ['iframe#main', 'iframe#emr'] },
};

describe('site adapter validation', () => {
  test('the bundled adapters are valid', () => {
    expect(parseAdapters(BUNDLED_ADAPTERS)).toEqual({ ok: true, adapters: BUNDLED_ADAPTERS });
  });

  test('one adapter or a list of them', () => {
    expect(parseAdapters(valid).ok).toBe(true);
    expect(parseAdapters([valid]).ok).toBe(true);
  });

  test('every problem carries the JSON path hospital IT can go to', () => {
    const bad = [valid, { ...valid, id: 'Bad Id', urlPatterns: ['^https://ok/', '(unclosed'], patient: { identifier: { attribute: 'value' } } }];
    const result = parseAdapters(bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['[1].id', '[1].urlPatterns[1]', '[1].patient.identifier']));
    expect(result.problems.find((p) => p.path === '[1].patient.identifier')!.message).toMatch(/selector、label、labelPattern/);
    expect(result.problems.find((p) => p.path === '[1].urlPatterns[1]')!.message).toMatch(/正则/);
  });

  test('a single adapter reports paths from its own root', () => {
    const result = parseAdapters({ ...valid, orders: { item: '#yz tr' } });
    expect(result).toMatchObject({ ok: false, problems: [{ path: 'orders.name' }] });
  });

  test('misspelt keys are errors, not silently ignored', () => {
    const result = parseAdapters({ ...valid, patient: { ...valid.patient, identifer: { selector: '#x' } } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.path).toBe('patient');
  });

  test('duplicate ids are refused', () => {
    const result = parseAdapters([valid, valid]);
    expect(result).toMatchObject({ ok: false, problems: [{ path: '[1].id' }] });
  });

  test('JSON syntax errors are a problem at the root, not an exception', () => {
    const result = parseAdaptersText('[{"id": "x",}]');
    expect(result).toMatchObject({ ok: false, problems: [{ path: '(root)' }] });
  });
});
