/**
 * 项目对照表命令行 (docs/code-maps.md):
 *   npm run codemap -- draft --pack <pack.json> --issuer <institution id> --dict <dictionary.csv|.xlsx> [--out map.json] [--today YYYY-MM-DD]
 *   npm run codemap -- check --pack <pack.json> --map <map.json>
 *   npm run codemap -- apply --pack <pack.json> --map <map.json> --out <pack.json>
 * Exit codes: 0 ok, 1 invalid pack, map or dictionary, 2 usage or unreadable file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseRulePack } from '../parse.ts';
import { formatPath } from '../problems.ts';
import { CodeMap } from '../schema/code-map.ts';
import type { RulePack } from '../schema/rule-pack.ts';
import { DictionaryError, readDictionary } from './dictionary.ts';
import { draftCodeMap } from './draft.ts';

const USAGE = `usage:
  npm run codemap -- draft --pack <pack.json> --issuer <institution id> --dict <dictionary.csv|.xlsx> [--out <map.json>] [--today YYYY-MM-DD]
  npm run codemap -- check --pack <pack.json> --map <map.json>
  npm run codemap -- apply --pack <pack.json> --map <map.json> --out <pack.json>`;

type Print = (s: string) => void;

export function main(argv: readonly string[], out: Print = console.log, err: Print = console.error): number {
  const [command, ...rest] = argv;
  const args = options(rest);
  if (!args) {
    err(USAGE);
    return 2;
  }
  if (command === 'draft') return draft(args, out, err);
  if (command === 'check') return check(args, out, err);
  if (command === 'apply') return apply(args, out, err);
  err(USAGE);
  return 2;
}

function options(rest: readonly string[]): Map<string, string> | null {
  const map = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i];
    const value = rest[i + 1];
    if (!key?.startsWith('--') || value === undefined) return null;
    map.set(key.slice(2), value);
  }
  return map;
}

function loadPack(file: string | undefined, err: Print): RulePack | number {
  if (!file) return (err(USAGE), 2);
  const json = readJson(file, err);
  if (json === undefined) return 2;
  const parsed = parseRulePack(json);
  if (!parsed.ok) {
    for (const p of parsed.problems) err(`${file}: ${p.path}: ${p.message}`);
    return 1;
  }
  return parsed.pack;
}

function draft(args: Map<string, string>, out: Print, err: Print): number {
  const pack = loadPack(args.get('pack'), err);
  if (typeof pack === 'number') return pack;
  const issuer = args.get('issuer');
  const dict = args.get('dict');
  if (!issuer || !dict) return (err(USAGE), 2);
  if (!pack.institutions.some((i) => i.id === issuer)) {
    err(`--issuer "${issuer}" is not an institution of pack ${pack.meta.id}`);
    return 1;
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(dict);
  } catch {
    err(`cannot read ${dict}`);
    return 2;
  }
  let rows;
  try {
    rows = readDictionary(bytes, basename(dict));
  } catch (e) {
    if (!(e instanceof DictionaryError)) throw e;
    err(`${dict}: ${e.message}`);
    return 1;
  }
  const today = args.get('today') ?? new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const { map, summary } = draftCodeMap(pack, issuer, rows, today);
  const text = `${JSON.stringify(map, null, 2)}\n`;
  const file = args.get('out');
  if (file) writeFileSync(file, text);
  else out(text);
  // The summary goes to stderr when the map itself goes to stdout.
  const say = file ? out : err;
  say(`${summary.lines} lines: ${summary.mapped} mapped, ${summary.review} marked for review (review: true)${summary.crossSpecimen ? `, ${summary.crossSpecimen} refused across specimens` : ''}`);
  return 0;
}

function check(args: Map<string, string>, out: Print, err: Print): number {
  const pack = loadPack(args.get('pack'), err);
  if (typeof pack === 'number') return pack;
  const mapFile = args.get('map');
  if (!mapFile) return (err(USAGE), 2);
  const merged = merge(pack, mapFile, err);
  if (typeof merged === 'number') return merged;
  const map = merged.codeMaps.find((m) => m.issuer === merged.map.issuer)!;
  const waiting = map.entries.filter((e) => e.review).length;
  out(`${mapFile}: ok — ${map.entries.length} lines for ${map.issuer}, ${waiting} still marked for review (ignored until confirmed)`);
  return 0;
}

function apply(args: Map<string, string>, out: Print, err: Print): number {
  const packFile = args.get('pack');
  const pack = loadPack(packFile, err);
  if (typeof pack === 'number') return pack;
  const mapFile = args.get('map');
  const target = args.get('out');
  if (!mapFile || !target) return (err(USAGE), 2);
  const merged = merge(pack, mapFile, err);
  if (typeof merged === 'number') return merged;
  const raw = readJson(packFile!, err) as Record<string, unknown>;
  const others = ((raw.codeMaps as { issuer: string }[] | undefined) ?? []).filter((m) => m.issuer !== merged.map.issuer);
  writeFileSync(target, `${JSON.stringify({ ...raw, codeMaps: [...others, merged.mapJson] }, null, 2)}\n`);
  out(`${target}: ${pack.meta.id} with the code map of ${merged.map.issuer} (${merged.map.entries.length} lines)`);
  return 0;
}

/** The pack with the map in place of the issuer's old one, validated as a whole (cross-references, specimens). */
function merge(pack: RulePack, mapFile: string, err: Print): (RulePack & { map: CodeMap; mapJson: unknown }) | number {
  const json = readJson(mapFile, err);
  if (json === undefined) return 2;
  const parsed = CodeMap.safeParse(json);
  if (!parsed.success) {
    for (const i of parsed.error.issues) err(`${mapFile}: ${formatPath(i.path)}: ${i.message}`);
    return 1;
  }
  const map = parsed.data;
  const candidate = { ...pack, codeMaps: [...pack.codeMaps.filter((m) => m.issuer !== map.issuer), map] };
  const checked = parseRulePack(candidate);
  if (!checked.ok) {
    const at = candidate.codeMaps.length - 1;
    for (const p of checked.problems) err(`${mapFile}: ${p.path.replace(`codeMaps[${at}]`, '(map)')}: ${p.message}`);
    return 1;
  }
  return { ...checked.pack, map, mapJson: json };
}

function readJson(file: string, err: Print): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    err(`cannot read ${file}: ${e instanceof SyntaxError ? 'not valid JSON' : 'no such file'}`);
    return undefined;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) process.exitCode = main(process.argv.slice(2));
