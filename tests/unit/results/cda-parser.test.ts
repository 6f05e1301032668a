// @vitest-environment node
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { imagingDocument, labDocument, type CdaStyle } from '../../../demo/cda/write-cda.ts';
import { mulberry32 } from '../../../demo/data/random.ts';
import { ExternalResult } from '../../../shared/domain/external-result';
import { CDA_ERROR_TEXT, CdaError, type CdaErrorKind } from '../../../shared/results/cda/cda-document';
import { hl7Time } from '../../../shared/results/cda/hl7-time';
import { cdaResults } from '../../../shared/results/cda/normalize-cda';
import { parseCdaDocument, rangeFromText } from '../../../shared/results/cda/parse-cda';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/cda');
const read = (name: string) => readFileSync(resolve(FIXTURES, name));

describe('golden documents (tests/fixtures/cda, written with the deviations real generators make)', () => {
  it.each(['lab-t7-nobody', 'lab-cluster-masked', 'imaging-t6', 'imaging-c2-flat'])('%s', (name) => {
    const doc = parseCdaDocument(read(`${name}.xml`));
    const expected = JSON.parse(read(`${name}.expected.json`).toString('utf8'));
    expect(JSON.parse(JSON.stringify({ document: doc, ...cdaResults(doc) }))).toEqual(expected);
  });

  it('what the goldens pin, in words', () => {
    const t7 = cdaResults(parseCdaDocument(read('lab-t7-nobody.xml'))).results;
    // No structuredBody, flat analytes split at each 019; underscored, suffixed codes; the vendor <x:value> is not read.
    expect(t7.map((r) => [r.item.name, r.value, r.unit])).toEqual([['钾', 5.61, 'mmol/L'], ['乙肝表面抗原', '阴性', undefined]]);
    // 8-digit 检验时间 stays a date; 14-digit specimen times read as China time.
    expect(t7[0]!.collectedAt).toBe('2026-11-18T07:30:00+08:00');
    expect(t7[1]!.collectedAt).toBe('2026-11-18');
    // 017 = 2 is abnormal with no direction.
    expect(t7[0]).toMatchObject({ interpretation: 'A', abnormal: true });
    const masked = parseCdaDocument(read('lab-cluster-masked.xml'));
    expect(masked.patient).toEqual({ idCardMasked: true });
    expect(masked.custodian).toEqual({ name: '麻章区人民医院' });
    const ct = cdaResults(parseCdaDocument(read('imaging-t6.xml'))).results[0]!;
    expect(ct.findings).toContain('<b>随访</b>');
    expect(ct.conclusion).toBe('左肺上叶微小结节（小于5mm），建议12个月后复查。');
    expect(ct.collectedAt).toBeUndefined();
    const us = cdaResults(parseCdaDocument(read('imaging-c2-flat.xml'))).results[0]!;
    expect(us.imagesUrl).toBe('https://pacs.example/viewer?study=1.2.3.5');
  });
});

describe('refused at the boundary, each with its reason', () => {
  const kind = (xml: string): CdaErrorKind => {
    try {
      parseCdaDocument(xml);
    } catch (err) {
      if (err instanceof CdaError) return err.kind;
      throw err;
    }
    throw new Error('accepted');
  };
  const t7 = read('lab-t7-nobody.xml').toString('utf8');

  it('DTDs and external entities (no XXE), malformed XML, empty input', () => {
    expect(kind('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><ClinicalDocument xmlns="urn:hl7-org:v3">&x;</ClinicalDocument>')).toBe('doctype');
    expect(kind('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><ClinicalDocument xmlns="urn:hl7-org:v3">&lol2;</ClinicalDocument>')).toBe('doctype');
    expect(kind(t7.slice(0, t7.length / 2))).toBe('malformed');
    expect(kind('   ')).toBe('empty');
  });

  it('not CDA: wrong namespace or root; not a 检验/检查报告; template and code disagreeing', () => {
    expect(kind(t7.replace('xmlns="urn:hl7-org:v3"', 'xmlns="urn:example"'))).toBe('not-cda');
    expect(kind(t7.replace('2.16.156.10011.2.1.1.27', '2.16.156.10011.2.1.1.1').replace('C0007', 'C0001'))).toBe('unknown-document-type');
    expect(kind(t7.replace('code="C0007"', 'code="C0006"'))).toBe('unknown-document-type');
  });

  it('no issuer, no readable analyte', () => {
    expect(kind(t7.replace(/<custodian[\s\S]*?<\/custodian>/, '').replace(/<component>\s*<section><code displayName="检验报告"\/>[\s\S]*?<\/section>\s*<\/component>/, ''))).toBe('no-issuer');
    expect(kind(t7.replace(/<entry>[\s\S]*<\/entry>/, ''))).toBe('no-results');
  });

  it('size and depth caps', () => {
    expect(() => parseCdaDocument(t7, { maxBytes: 1000 })).toThrow(CdaError);
    const deep = `<ClinicalDocument xmlns="urn:hl7-org:v3">${'<x>'.repeat(100)}${'</x>'.repeat(100)}</ClinicalDocument>`;
    expect(kind(deep)).toBe('too-deep');
  });

  it('invalid bytes in the declared encoding', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('<?xml version="1.0" encoding="UTF-8"?><ClinicalDocument xmlns="urn:hl7-org:v3">'), 0xff, 0xfe, ...new TextEncoder().encode('</ClinicalDocument>')]);
    expect(() => parseCdaDocument(bytes)).toThrow(expect.objectContaining({ kind: 'encoding' }));
  });
});

describe('HL7 times and text ranges', () => {
  it('keeps the precision sent; no zone is China time; placeholders and impossible dates are nothing', () => {
    expect(hl7Time('20261118')).toBe('2026-11-18');
    expect(hl7Time('202611180930')).toBe('2026-11-18T09:30:00+08:00');
    expect(hl7Time('20261118093012')).toBe('2026-11-18T09:30:12+08:00');
    expect(hl7Time('20261118093012.5+0000')).toBe('2026-11-18T09:30:12.5+00:00');
    for (const bad of ['-', '***', '0000000000', '20260230', '2026111', '20261318', '']) expect(hl7Time(bad)).toBeUndefined();
  });
  it('reads a-b, a~b, a--b, <x, ≤x, >x from range text', () => {
    expect(rangeFromText('3.5-5.3')).toEqual({ low: 3.5, high: 5.3 });
    expect(rangeFromText('28～72')).toEqual({ low: 28, high: 72 });
    expect(rangeFromText('0.56--1.7')).toEqual({ low: 0.56, high: 1.7 });
    expect(rangeFromText('<0.05')).toEqual({ high: 0.05 });
    expect(rangeFromText('≤ 10')).toEqual({ high: 10 });
    expect(rangeFromText('>1.0')).toEqual({ low: 1 });
    expect(rangeFromText('阴性')).toEqual({});
  });
});

/**
 * 10,000 mutated documents: every one either parses into results that pass the ExternalResult
 * schema, or is refused with a CdaError of a known kind and a message. Nothing else may escape.
 */
describe('fuzz: 10,000 mutated documents', () => {
  const random = mulberry32(20261130);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const styles: Partial<CdaStyle>[] = [{}, { shape: 'flat', structuredBody: false, codes: 'underscore', time: 8, name: 'result-display' }, { name: 'none', time: 'zone', value: 'PQ' }, { value: 'ST' }];
  const party = { idCard: '440803198012260194', name: '张伟', sex: '1' as const, birth: '1980-12-26' };
  const t = new Date('2026-11-18T01:00:00Z');
  const seeds = styles.flatMap((style) => [
    labDocument({ documentId: 'D', reportNumber: 'R', patient: party, issuer: { id: '1', name: '甲医院' }, collected: t, received: t, reported: t, created: t, panelName: '血脂', style,
      analytes: [{ code: '1', name: '总胆固醇', value: 5.6, unit: 'mmol/L', resultCode: '2', range: { text: '2.8-5.2', low: 2.8, high: 5.2 }, interpretation: 'H', specimen: '血清' }, { code: '2', name: '乙肝表面抗原', value: '阴性', resultCode: '1', specimen: '血清' }] }),
    imagingDocument({ documentId: 'D2', reportNumber: 'R2', patient: party, issuer: { id: '1', name: '甲医院' }, examined: t, reported: t, created: t, examCode: 'CT1', examName: '胸部CT', findings: '所见', conclusion: '结论', resultCode: '1', imagesUrl: 'https://x.example/v', style }),
  ]);
  const junk = ['', '-', '***', '0000000000', '<', '&amp;', '&#x0;', '\u0000', '😀', '1e309', 'NaN', '2026-13-45', '99999999999999', 'DE04_30_015_00', 'urn:hl7-org:v3', '"', "'", ']]>', '<![CDATA[x]]>', 'x'.repeat(5000)];
  const tags = ['observation', 'organizer', 'value', 'code', 'effectiveTime', 'section', 'entry', 'component', 'custodian', 'recordTarget', 'ClinicalDocument', 'templateId'];

  function mutate(xml: string): string {
    let s = xml;
    const n = 1 + Math.floor(random() * 4);
    for (let i = 0; i < n; i++) {
      const at = Math.floor(random() * s.length);
      switch (Math.floor(random() * 9)) {
        case 0: s = s.slice(0, at); break; // truncated transfer
        case 1: s = s.slice(0, at) + pick(junk) + s.slice(at); break; // bytes inserted
        case 2: s = s.replace(/value="[^"]*"/g, (m) => (random() < 0.2 ? `value="${pick(junk).replace(/"/g, '')}"` : m)); break;
        case 3: s = s.replace(/code="[^"]*"/g, (m) => (random() < 0.2 ? `code="${pick(['1', '2', '3', 'DE04.30.019.00', 'DE04_30_017_00_X', 'C0006', 'C0007', ''])}"` : m)); break;
        case 4: { const tag = pick(tags); s = s.replace(new RegExp(`<${tag}[\\s>][\\s\\S]*?</${tag}>`), ''); break; } // element removed
        case 5: { const tag = pick(tags); const m = new RegExp(`<${tag}[\\s>][\\s\\S]*?</${tag}>`).exec(s); if (m) s = s.slice(0, m.index) + m[0] + m[0] + s.slice(m.index); break; } // duplicated
        case 6: s = s.replace('xmlns="urn:hl7-org:v3"', random() < 0.5 ? '' : 'xmlns="urn:other"'); break;
        case 7: s = s.replace(/>([^<]{1,40})</, (_m, text: string) => `>${random() < 0.5 ? '' : text + pick(junk).replace(/[<&]/g, '')}<`); break;
        default: s = s.slice(0, at) + s.slice(Math.min(s.length, at + 1 + Math.floor(random() * 200))); // a run of bytes lost
      }
    }
    return s;
  }

  it('0 crashes; every rejection names its kind and reason', () => {
    const kinds = new Map<string, number>();
    let accepted = 0;
    for (let i = 0; i < 10_000; i++) {
      const xml = mutate(pick(seeds));
      try {
        const doc = parseCdaDocument(xml);
        const { results } = cdaResults(doc);
        for (const r of results) expect(ExternalResult.safeParse(r).success).toBe(true);
        accepted++;
      } catch (err) {
        if (!(err instanceof CdaError)) throw new Error(`mutation ${i} escaped as ${(err as Error).name}: ${(err as Error).message}`);
        expect(CDA_ERROR_TEXT[err.kind]).toBeTruthy();
        expect(err.message.length).toBeGreaterThan(0);
        kinds.set(err.kind, (kinds.get(err.kind) ?? 0) + 1);
      }
    }
    // Both outcomes occur, and rejections come with several different reasons.
    expect(accepted).toBeGreaterThan(500);
    expect(kinds.size).toBeGreaterThanOrEqual(4);
  }, 120_000);
});
