/**
 * 规则包命令行, for hospital IT and tests:
 *   npm run rules -- validate <pack.json> [more packs…]
 *   npm run rules -- evaluate --pack <pack.json> [--pack …] --input <case.json>
 * Exit codes: 0 ok, 1 invalid pack or case, 2 usage or unreadable file.
 */
import { readFileSync } from 'node:fs';
import { parseCase } from './case.ts';
import { evaluate, EvaluationError } from './evaluate.ts';
import { parseRulePack } from './parse.ts';
import type { Problem } from './problems.ts';
import type { RulePack } from './schema/rule-pack.ts';

const USAGE = `usage:
  npm run rules -- validate <pack.json> [<pack.json> …]
  npm run rules -- evaluate --pack <pack.json> [--pack <pack.json> …] --input <case.json>`;

export function main(argv: readonly string[], out = console.log, err = console.error): number {
  const [command, ...rest] = argv;
  if (command === 'validate') return validate(rest, out, err);
  if (command === 'evaluate') return runEvaluate(rest, out, err);
  err(USAGE);
  return 2;
}

function validate(files: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  if (files.length === 0) {
    err(USAGE);
    return 2;
  }
  let status = 0;
  for (const file of files) {
    const json = readJson(file, err);
    if (json === undefined) {
      status = Math.max(status, 2);
      continue;
    }
    const parsed = parseRulePack(json);
    if (parsed.ok) {
      const p = parsed.pack;
      out(`${file}: ok — ${p.meta.id} ${p.meta.version}: ${p.catalog.length} items, ${p.institutions.length} institutions, ${p.negativeList.length} negative-list entries, ${p.retestReasons.length} re-test reasons`);
    } else {
      printProblems(file, parsed.problems, err);
      status = Math.max(status, 1);
    }
  }
  return status;
}

function runEvaluate(args: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const packFiles: string[] = [];
  let input: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--pack' && args[i + 1] !== undefined) packFiles.push(args[++i]!);
    else if (a === '--input' && args[i + 1] !== undefined) input = args[++i];
    else {
      err(`unexpected argument: ${a}\n${USAGE}`);
      return 2;
    }
  }
  if (packFiles.length === 0 || input === undefined) {
    err(USAGE);
    return 2;
  }
  const packs: RulePack[] = [];
  let invalid = false;
  for (const file of packFiles) {
    const json = readJson(file, err);
    if (json === undefined) return 2;
    const parsed = parseRulePack(json);
    if (parsed.ok) packs.push(parsed.pack);
    else {
      printProblems(file, parsed.problems, err);
      invalid = true;
    }
  }
  const caseJson = readJson(input, err);
  if (caseJson === undefined) return 2;
  const parsedCase = parseCase(caseJson);
  if (!parsedCase.ok) {
    printProblems(input, parsedCase.problems, err);
    return 1;
  }
  if (invalid) return 1;
  try {
    const evaluation = evaluate({ packs, ...parsedCase.case });
    out(JSON.stringify(evaluation, null, 2));
    return 0;
  } catch (e) {
    if (e instanceof EvaluationError) {
      printProblems(input, e.problems, err);
      return 1;
    }
    throw e;
  }
}

function readJson(file: string, err: (s: string) => void): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    err(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    err(`${file}: not valid JSON (${(e as Error).message})`);
    return undefined;
  }
}

function printProblems(file: string, problems: readonly Problem[], err: (s: string) => void): void {
  err(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  for (const p of problems) err(`  ${p.path}: ${p.message}`);
}

const invokedDirectly = process.argv[1] !== undefined && /cli\.ts$/.test(process.argv[1]);
if (invokedDirectly) process.exitCode = main(process.argv.slice(2));
