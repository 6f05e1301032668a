import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { EXT, type Decision, type DecisionContext } from '../../../shared/domain/decision';
import { cardId, uuidFromString } from '../../../shared/decisions/card-id';
import { citationText } from '../../../shared/decisions/citation';
import { choiceProblem, makeDecision } from '../../../shared/decisions/make-decision';
import { retestNotice } from '../../../shared/decisions/patient-notice';
import { inDecisionOrder, latestByCard } from '../../../shared/decisions/store';
import { loadBundledPacks } from '../../../shared/rules';
import { chestCt, hgb, wbc } from '../ui/fixtures';

const reasons = loadBundledPacks().demo.retestReasons;
const other = reasons.find((r) => r.commentRequired)!;
const urgent = reasons.find((r) => r.code === 'RT-4')!;
const about: DecisionContext = {
  patient: { system: 'urn:oid:2.16.156.10011.1.4', value: '440802197003150017' },
  item: { id: 'cbc', name: '血细胞分析', category: 'lab' },
  result: { id: 'Observation/wbc-1', reportNumber: 'JY1', date: '2026-11-19' },
  issuer: { id: 'zj-zxyy', name: '湛江中心人民医院' },
  practitioner: { physician: '李明', department: '心血管内科' },
  pack: { id: 'demo', version: '2026.1-demo' },
  trigger: 'patient-view',
  savedPrice: 20,
};
const card = cardId('demo', 'cbc', 'Observation/wbc-1');

describe('card ids', () => {
  test('are stable v8 UUIDs that differ per pack, item and result', () => {
    expect(card).toBe(cardId('demo', 'cbc', 'Observation/wbc-1'));
    expect(card).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(cardId('demo', 'cbc', 'Observation/wbc-2')).not.toBe(card);
    expect(cardId('zhanjiang', 'cbc', 'Observation/wbc-1')).not.toBe(card);
  });

  test('distinct inputs give distinct ids (no collisions over many strings)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { minLength: 2, maxLength: 200 }), (inputs) => {
        expect(new Set(inputs.map(uuidFromString)).size).toBe(inputs.length);
      }),
    );
  });
});

describe('decisions', () => {
  const now = new Date('2026-11-22T02:03:04.005Z');

  test('a recognition is an accepted CDS Hooks feedback entry with the recognize suggestion', () => {
    const d = makeDecision({ kind: 'recognize' }, card, about, { uuid: crypto.randomUUID(), now });
    expect(d).toMatchObject({ card, outcome: 'accepted', acceptedSuggestions: [{ id: 'recognize' }], outcomeTimestamp: '2026-11-22T02:03:04.005Z' });
    expect(d.extension[EXT].savedPrice).toBe(20);
  });

  test('a re-test is overridden with the reason coded in Huren’s system, and saves nothing', () => {
    const d = makeDecision({ kind: 'retest', reason: urgent }, card, about, { uuid: crypto.randomUUID(), now });
    expect(d.outcome).toBe('overridden');
    expect(d.overrideReason?.reason).toEqual({ system: 'https://huren.example/fhir/CodeSystem/retest-reason', code: 'RT-4', display: '患者处于急诊、急救等紧急状态下的' });
    expect(d.extension[EXT].savedPrice).toBeUndefined();
  });

  test('其他 without a comment is never a decision', () => {
    expect(choiceProblem({ kind: 'retest', reason: other, comment: '  ' })).toBe('comment-required');
    expect(() => makeDecision({ kind: 'retest', reason: other }, card, about, { uuid: crypto.randomUUID(), now })).toThrow(/comment-required/);
    expect(choiceProblem({ kind: 'retest', reason: other, comment: '薄层复查' })).toBeNull();
  });

  test('revisions come after what they revise, whatever the clocks say', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 8 }), fc.integer(), (offsets, seed) => {
        // A chain of revisions of one card with arbitrary (even backwards) timestamps.
        const chain: Decision[] = [];
        offsets.forEach((offset, i) => {
          const ctx = { ...about, ...(i > 0 ? { revises: chain[i - 1]!.uuid } : {}) };
          chain.push(makeDecision({ kind: 'recognize' }, card, ctx, { uuid: crypto.randomUUID(), now: new Date(now.getTime() + offset) }));
        });
        const shuffled = [...chain].sort((a, b) => ((a.uuid.charCodeAt(0) * seed) % 7) - ((b.uuid.charCodeAt(0) * seed) % 7));
        expect(inDecisionOrder(shuffled).map((d) => d.uuid)).toEqual(chain.map((d) => d.uuid));
        expect(latestByCard(shuffled).get(card)!.uuid).toBe(chain.at(-1)!.uuid);
      }),
    );
  });
});

describe('citation and notice', () => {
  test('the citation carries 机构名称、检查日期、档案号 and each result with its range and flag', () => {
    const text = citationText({ itemName: '血细胞分析', date: '2026-11-19', issuerName: '湛江中心人民医院', results: [wbc, hgb, { ...hgb, id: 'x', interpretation: 'H' }], mark: '湛江市 HR' });
    expect(text).toContain('机构名称：湛江中心人民医院');
    expect(text).toContain('检查日期：2026-11-19');
    expect(text).toContain('档案号：JY20261119-0031');
    expect(text).toContain('白细胞计数 6.2 10*9/L（参考 3.5–9.5）；血红蛋白 168 g/L（参考 130–175）；血红蛋白 168 g/L（参考 130–175） ↑');
    expect(text).toContain('互认标识：湛江市 HR');
  });

  test('imaging cites the conclusion', () => {
    expect(citationText({ itemName: '胸部CT', date: '2026-11-10', issuerName: '湛江中心人民医院', results: [chestCt], mark: null })).toContain('胸部CT平扫：双肺未见明显异常。');
  });

  test('the patient notice explains purpose and necessity with the reason and comment', () => {
    const notice = retestNotice({ patientName: '张伟', itemName: '胸部CT', issuerName: '湛江中心人民医院', date: '2026-11-10', reason: other, comment: '需薄层复查', today: '2026-11-22' });
    const text = notice.paragraphs.join('');
    expect(notice.title).toBe('复查告知书');
    expect(text).toContain('张伟（患者）');
    expect(text).toContain('原因：其他情形确需复查的（需薄层复查）');
    expect(text).toContain('复查的目的及必要性');
    expect(notice.signatures.at(-1)).toBe('日期：2026-11-22');
  });
});
