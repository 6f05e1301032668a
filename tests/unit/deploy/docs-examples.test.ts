import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseAdapters } from '../../../extension/settings/site-adapter-schema';
import { parseHospitalConfig } from '../../../deploy/hospital-config';

/** The documents' complete JSON examples are valid as written. */
function jsonBlocks(file: string): unknown[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/```json\n([\s\S]*?)```/g)].flatMap((m) => {
    try {
      return [JSON.parse(m[1]!)];
    } catch {
      return []; // fragments (a "patient" part) are not whole documents
    }
  });
}

describe('documented examples', () => {
  test('every whole adapter in docs/site-adapter.md validates', () => {
    const adapters = jsonBlocks('docs/site-adapter.md').filter((b) => (b as { urlPatterns?: unknown }).urlPatterns);
    expect(adapters.length).toBeGreaterThanOrEqual(2);
    for (const a of adapters) expect(parseAdapters(a)).toMatchObject({ ok: true });
  });

  test('the hospital.json of docs/deploy.md and deploy/hospital.example.json validate; a token is refused', () => {
    const [doc] = jsonBlocks('docs/deploy.md') as Record<string, unknown>[];
    const key = Buffer.alloc(32, 1).toString('base64');
    expect(parseHospitalConfig({ ...doc, hubSigningKeys: [key] })).toMatchObject({ ok: true });
    expect(parseHospitalConfig(JSON.parse(readFileSync('deploy/hospital.example.json', 'utf8')))).toMatchObject({ ok: true });
    const withToken = parseHospitalConfig({ ...doc, hubSigningKeys: [key], settings: { hubToken: 'hrt_x' } });
    expect(withToken).toMatchObject({ ok: false });
    expect(JSON.stringify(withToken)).toContain('hubToken');
    expect(parseHospitalConfig({ ...doc, hubSigningKeys: [key], emrOrigins: ['https://his.example/path'] })).toMatchObject({ ok: false });
  });
});
