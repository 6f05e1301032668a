import { readFileSync } from 'node:fs';
import { evaluate, parseCase, parseRulePack } from '../../../shared/rules/index.ts';

const doc = readFileSync('docs/rule-pack.md', 'utf8');

describe('docs/rule-pack.md', () => {
  it('the complete example is a valid pack', () => {
    const section = doc.slice(doc.indexOf('## Complete example'));
    const json = /```json\n([\s\S]*?)\n```/.exec(section)![1]!;
    const parsed = parseRulePack(JSON.parse(json));
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
    if (!parsed.ok) return;
    const { verdicts } = evaluate({
      packs: [parsed.pack],
      receivingInstitution: 'A001',
      now: '2026-11-22T10:00:00+08:00',
      results: [
        {
          id: 'r1',
          category: 'lab',
          item: { name: '谷丙转氨酶', codes: [] },
          collectedAt: '2026-11-20T08:00:00+08:00',
          issuer: { identifiers: [{ system: 'https://example.org/org', value: 'B002' }] },
          marks: [],
        },
      ],
    });
    // A 三级甲等 receiver and a 二级甲等 issuer outside its alliance.
    expect(verdicts[0]!.status).toBe('level-not-applicable');
  });

  it('the abridged case example is a valid case', () => {
    const section = doc.slice(doc.indexOf('## The case file'));
    const json = /```json\n([\s\S]*?)\n```/.exec(section)![1]!;
    expect(parseCase(JSON.parse(json)).ok).toBe(true);
  });
});
