import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../shared/rules/cli.ts';
import { demoJsonCopy } from './fixtures.ts';

function capture(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const dir = mkdtempSync(join(tmpdir(), 'huren-rules-'));
const badPack = join(dir, 'bad.json');
const bad = demoJsonCopy();
bad.catalog[3].timeLimitDays = -3;
bad.catalog[4].category = 'pathology';
writeFileSync(badPack, JSON.stringify(bad));
const badRefs = join(dir, 'bad-refs.json');
const refs = demoJsonCopy();
refs.institutions[0].qualifications[0].items = ['nope'];
refs.catalog.push({ ...refs.catalog[0] });
writeFileSync(badRefs, JSON.stringify(refs));

describe('rules CLI', () => {
  it('validate: ok for the shipped packs', () => {
    const r = capture(['validate', 'shared/rules/packs/zhanjiang.json', 'shared/rules/packs/demo.json']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('zhanjiang 2024.1');
  });

  it('validate: prints every problem with its JSON path and fails', () => {
    const r = capture(['validate', badPack]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('2 problems');
    expect(r.err).toContain('catalog[3].timeLimitDays');
    expect(r.err).toContain('catalog[4].category');
    // Cross-references are checked once the shape is valid.
    const x = capture(['validate', badRefs]);
    expect(x.code).toBe(1);
    expect(x.err).toContain('institutions[0].qualifications[0].items[0]: unknown catalog item id "nope"');
    expect(x.err).toContain(`catalog[${refs.catalog.length - 1}].id: duplicate id "cbc"`);
  });

  it('validate: unreadable files and bad JSON', () => {
    expect(capture(['validate', join(dir, 'missing.json')]).code).toBe(2);
    const notJson = join(dir, 'x.json');
    writeFileSync(notJson, '{ nope');
    expect(capture(['validate', notJson]).err).toContain('not valid JSON');
    expect(capture([]).code).toBe(2);
  });

  it('evaluate: verdicts and prompts as JSON', () => {
    const r = capture(['evaluate', '--pack', 'shared/rules/packs/demo.json', '--input', 'shared/rules/examples/case.json']);
    expect(r.code).toBe(0);
    const evaluation = JSON.parse(r.out);
    const statuses = evaluation.verdicts.map((v: { status: string }) => v.status);
    expect(new Set(statuses)).toEqual(
      new Set(['recognizable', 'expired', 'not-in-catalog', 'issuer-not-qualified', 'negative-listed', 'unknown-issuer', 'incomplete']),
    );
    expect(evaluation.prompts.orders).toHaveLength(3);
  });

  it('evaluate: an invalid pack or case fails with paths', () => {
    expect(capture(['evaluate', '--pack', badPack, '--input', 'shared/rules/examples/case.json']).code).toBe(1);
    const badCase = join(dir, 'case.json');
    writeFileSync(badCase, JSON.stringify({ receivingInstitution: 'zj-rmyy', now: '2026-11-22', results: [{ id: 'x' }] }));
    const r = capture(['evaluate', '--pack', 'shared/rules/packs/demo.json', '--input', badCase]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('results[0].category');
    const unknownReceiver = join(dir, 'case2.json');
    writeFileSync(unknownReceiver, JSON.stringify({ receivingInstitution: 'nowhere', now: '2026-11-22', results: [] }));
    expect(capture(['evaluate', '--pack', 'shared/rules/packs/demo.json', '--input', unknownReceiver]).err).toContain(
      'receivingInstitution: receiving institution "nowhere" is not listed in any active pack',
    );
  });

  it('npm run rules exits non-zero on an invalid pack', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'shared/rules/cli.ts', 'validate', badPack], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('catalog[3].timeLimitDays');
  }, 30_000);
});
