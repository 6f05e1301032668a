/**
 * `npm run package -- --config hospital.json [--out dist/hospital/<id>] [--publish <hub data folder>]`
 *
 * Builds one hospital's extension (its EMR origins, hub, pinned signing keys, default settings),
 * signs it as a CRX3 with the hospital's key, writes the update manifest the hub serves and the
 * policy files for Chrome and Edge. docs/deploy.md walks through it.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { extensionIdOf, manifestKeyOf, packCrx3, publicKeyDer, verifyCrx3 } from './crx3.ts';
import { distributionBase, extensionSettingsPolicy, linuxPolicy, planBuild, updateManifest, windowsPolicy, type HospitalBuildPlan } from './hospital-build.ts';
import { parseHospitalConfig } from './hospital-config.ts';

const ROOT = resolve(import.meta.dirname, '..');

export interface PackageResult {
  plan: HospitalBuildPlan;
  outDir: string;
  crxFile: string;
  crxSha256: string;
  crxBytes: number;
  published?: string;
}

/** The CRX signing key: kept beside hospital.json (0600). Losing it means a new extension id. */
function signingKey(file: string): { pem: string; created: boolean } {
  if (existsSync(file)) return { pem: readFileSync(file, 'utf8'), created: false };
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { pem, created: true };
}

export function packageHospital(options: { config: string; out?: string; publish?: string; log?: (line: string) => void }): PackageResult {
  const log = options.log ?? ((line: string) => console.log(line));
  const configFile = resolve(options.config);
  const parsed = parseHospitalConfig(JSON.parse(readFileSync(configFile, 'utf8')));
  if (!parsed.ok) throw new Error(`${options.config} is not valid:\n  ${parsed.problems.join('\n  ')}`);
  const config = parsed.config;
  const keyFile = resolve(dirname(configFile), config.signingKey);
  const key = signingKey(keyFile);
  if (key.created) log(`created the package signing key ${relative(process.cwd(), keyFile)} — back it up: a new key is a new extension id, and every policy would have to change.`);
  const spki = publicKeyDer(key.pem);
  const outDir = resolve(options.out ?? join(ROOT, 'dist/hospital', config.id));
  const buildDir = join(ROOT, '.output/hospital', config.id);
  const baseVersion = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const plan = planBuild(config, { baseVersion, extensionId: extensionIdOf(spki), manifestKey: manifestKeyOf(spki), outDir: buildDir });

  // WXT builds and zips with the plan applied by wxt.config.ts.
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  const planFile = join(buildDir, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  const built = spawnSync('npx', ['wxt', 'zip', '-b', 'chrome'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', HUREN_HOSPITAL_BUILD: planFile },
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`wxt zip failed (exit ${built.status}):\n${built.stdout}\n${built.stderr}`);
  const zip = readFileSync(join(buildDir, 'extension.zip'));

  const { crx, extensionId } = packCrx3(zip, key.pem);
  if (extensionId !== plan.extensionId || verifyCrx3(crx).extensionId !== extensionId) throw new Error('the CRX does not verify with its own key');
  const manifest = JSON.parse(readFileSync(join(buildDir, 'chrome-mv3/manifest.json'), 'utf8')) as Record<string, unknown>;
  if (manifest.version !== plan.version || manifest.update_url !== plan.updateUrl) throw new Error('the built manifest does not carry the hospital build');

  mkdirSync(join(outDir, 'policy'), { recursive: true });
  const crxName = `huren-${config.id}-${plan.version}.crx`;
  const crxFile = join(outDir, crxName);
  writeFileSync(crxFile, crx);
  writeFileSync(join(outDir, 'updates.xml'), updateManifest(extensionId, plan.version, `${distributionBase(config)}${crxName}`));
  writeFileSync(join(outDir, 'policy/chrome-linux.json'), `${JSON.stringify(linuxPolicy(plan), null, 2)}\n`);
  writeFileSync(join(outDir, 'policy/extension-settings.json'), `${JSON.stringify(extensionSettingsPolicy(plan), null, 2)}\n`);
  writeFileSync(join(outDir, 'policy/chrome-windows.reg'), `\ufeff${windowsPolicy(plan, 'chrome')}`, 'utf16le');
  writeFileSync(join(outDir, 'policy/edge-windows.reg'), `\ufeff${windowsPolicy(plan, 'edge')}`, 'utf16le');
  const crxSha256 = createHash('sha256').update(crx).digest('hex');
  const info = {
    hospital: { id: config.id, name: config.name },
    extensionId,
    version: plan.version,
    updateUrl: plan.updateUrl,
    crx: crxName,
    crxSha256,
    crxBytes: crx.length,
    hostPermissions: manifest.host_permissions,
    minimumChromeVersion: manifest.minimum_chrome_version,
  };
  writeFileSync(join(outDir, 'build.json'), `${JSON.stringify(info, null, 2)}\n`);

  let published: string | undefined;
  if (options.publish) {
    published = join(resolve(options.publish), 'distribution', config.id);
    mkdirSync(published, { recursive: true });
    copyFileSync(crxFile, join(published, crxName));
    // The manifest last: a browser never reads an updates.xml whose CRX is not there yet.
    copyFileSync(join(outDir, 'updates.xml'), join(published, 'updates.xml.tmp'));
    rmSync(join(published, 'updates.xml'), { force: true });
    copyFileSync(join(published, 'updates.xml.tmp'), join(published, 'updates.xml'));
    rmSync(join(published, 'updates.xml.tmp'));
  }

  log(`Huren 互认助手 · ${config.name} ${plan.version}
  extension id   ${extensionId}
  EMR origins    ${plan.emrPatterns.join('  ')}
  package        ${relative(process.cwd(), crxFile)} (${crx.length} bytes, sha256 ${crxSha256.slice(0, 16)}…)
  update URL     ${plan.updateUrl}
  policies       ${relative(process.cwd(), join(outDir, 'policy'))}/ (chrome-linux.json, chrome-windows.reg, edge-windows.reg, extension-settings.json)
${published ? `  published to   ${published} (served by the hub at ${distributionBase(config)})` : `  publish with   npm run package -- --config ${options.config} --publish <hub data folder>`}`);
  return { plan, outDir, crxFile, crxSha256, crxBytes: crx.length, published };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { config: { type: 'string' }, out: { type: 'string' }, publish: { type: 'string' } } });
  if (!values.config) {
    process.stderr.write('usage: npm run package -- --config hospital.json [--out <folder>] [--publish <hub data folder>]\n');
    process.exit(2);
  }
  try {
    packageHospital({ config: values.config, out: values.out, publish: values.publish });
  } catch (err) {
    process.stderr.write(`package: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
