import { originPattern, type HospitalConfig } from './hospital-config.ts';

/**
 * What a hospital build changes in the extension, computed once by deploy/package.ts and applied
 * by wxt.config.ts (through the HUREN_HOSPITAL_BUILD file) while WXT builds. Pure functions.
 */
export interface HospitalBuildPlan {
  id: string;
  hospitalName: string;
  version: string;
  extensionId: string;
  /** Public key (SPKI, base64): the unpacked copy gets the same id as the CRX. */
  manifestKey: string;
  updateUrl: string;
  /** Where WXT writes this build (never the shared .output/chrome-mv3). */
  outDir: string;
  /** EMR origins as match patterns: the only pages the extension reads or frames its sidebar in. */
  emrPatterns: string[];
  /** Host access beyond the EMR: the results platform (its fetches need no CORS from it). */
  extraHostPatterns: string[];
  /** The packaged settings file (extension/settings/build-defaults.ts reads it). */
  packaged: { hospital: { id: string; name: string }; settings: Record<string, unknown> };
}

/** The oldest Chrome/Edge the extension runs on (Windows 7's last Chrome; docs/deploy.md). */
export const MINIMUM_CHROME_VERSION = '109';

export function versionOf(baseVersion: string, release: number): string {
  const parts = /^\d+\.\d+\.\d+$/.test(baseVersion) ? baseVersion.split('.').map(Number) : [];
  if (parts.length !== 3 || parts.some((n) => n > 65535)) throw new Error(`package.json version ${baseVersion} is not x.y.z`);
  return release > 0 ? `${parts.join('.')}.${release}` : parts.join('.');
}

export function distributionBase(config: HospitalConfig): string {
  const base = config.distributionUrl ?? `${config.hubUrl.replace(/\/+$/, '')}/extension/${config.id}/`;
  return base.endsWith('/') ? base : `${base}/`;
}

export function planBuild(config: HospitalConfig, options: { baseVersion: string; extensionId: string; manifestKey: string; outDir: string }): HospitalBuildPlan {
  const emrPatterns = [...new Set(config.emrOrigins.map(originPattern))];
  const platform = typeof config.settings.fhirBaseUrl === 'string' ? `${new URL(config.settings.fhirBaseUrl).origin}/*` : undefined;
  return {
    id: config.id,
    hospitalName: config.name,
    version: versionOf(options.baseVersion, config.release),
    extensionId: options.extensionId,
    manifestKey: options.manifestKey,
    updateUrl: `${distributionBase(config)}updates.xml`,
    outDir: options.outDir,
    emrPatterns,
    extraHostPatterns: platform && !emrPatterns.includes(platform) ? [platform] : [],
    packaged: {
      hospital: { id: config.id, name: config.name },
      settings: { ...config.settings, hubUrl: config.hubUrl, hubSigningKeys: config.hubSigningKeys },
    },
  };
}

type Manifest = Record<string, unknown> & {
  content_scripts?: { matches?: string[]; all_frames?: boolean }[];
  web_accessible_resources?: { resources: string[]; matches?: string[] }[];
};

/**
 * The hospital's manifest: host access to its EMR origins (and the results platform) only,
 * granted at install without a prompt when installed by policy; the content script declared for
 * exactly those origins in every frame; the sidebar frameable only there; no optional host access
 * (a new EMR origin is a new package, reviewed like any other change); updates from the hub.
 */
export function hospitalManifest<M extends Manifest>(manifest: M, plan: HospitalBuildPlan): M {
  const next: Manifest = { ...manifest };
  next.name = `Huren 互认助手 · ${plan.hospitalName}`;
  next.version = plan.version;
  next.version_name = `${plan.version} ${plan.id}`;
  next.key = plan.manifestKey;
  next.update_url = plan.updateUrl;
  next.minimum_chrome_version = MINIMUM_CHROME_VERSION;
  next.host_permissions = [...plan.emrPatterns, ...plan.extraHostPatterns];
  delete next.optional_host_permissions;
  delete next.browser_specific_settings;
  next.content_scripts = (manifest.content_scripts ?? []).map((script) => ({ ...script, matches: plan.emrPatterns, all_frames: true }));
  next.web_accessible_resources = (manifest.web_accessible_resources ?? []).map((entry) => ({ ...entry, matches: plan.emrPatterns }));
  return next as M;
}

function xmlAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The gupdate XML Chrome's and Edge's extension updater reads from update_url. */
export function updateManifest(extensionId: string, version: string, codebase: string): string {
  return `<?xml version='1.0' encoding='UTF-8'?>
<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>
  <app appid='${xmlAttr(extensionId)}'>
    <updatecheck codebase='${xmlAttr(codebase)}' version='${xmlAttr(version)}' prodversionmin='${MINIMUM_CHROME_VERSION}' />
  </app>
</gupdate>
`;
}

/** The per-department policy value placeholder: the real token is issued by `npm run hub -- token issue`. */
export const TOKEN_PLACEHOLDER = 'hrt_<每个科室的令牌 / the department token>';

/** Chrome on Linux: /etc/opt/chrome/policies/managed/huren.json (Chromium: /etc/chromium/policies/managed/). */
export function linuxPolicy(plan: HospitalBuildPlan, token: string = TOKEN_PLACEHOLDER): Record<string, unknown> {
  return {
    ExtensionInstallForcelist: [`${plan.extensionId};${plan.updateUrl}`],
    '3rdparty': { extensions: { [plan.extensionId]: { hubToken: token } } },
  };
}

/** The same through ExtensionSettings (one policy that also pins the update URL and can block others). */
export function extensionSettingsPolicy(plan: HospitalBuildPlan): Record<string, unknown> {
  return { ExtensionSettings: { [plan.extensionId]: { installation_mode: 'force_installed', update_url: plan.updateUrl, override_update_url: true } } };
}

function regString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Windows registry file for Chrome (`Google\\Chrome`) or Edge (`Microsoft\\Edge`), the same values as the group policy templates set. */
export function windowsPolicy(plan: HospitalBuildPlan, browser: 'chrome' | 'edge', token: string = TOKEN_PLACEHOLDER): string {
  const root = browser === 'chrome' ? 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome' : 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge';
  return [
    'Windows Registry Editor Version 5.00',
    '',
    `; Huren 互认助手 · ${plan.hospitalName} ${plan.version} — force-installed from the hospital's hub (docs/deploy.md).`,
    `; Off-store force installs need a domain-joined (AD / Entra ID) or cloud-managed browser.`,
    `[${root}\\ExtensionInstallForcelist]`,
    `"1"=${regString(`${plan.extensionId};${plan.updateUrl}`)}`,
    '',
    `[${root}\\3rdparty\\extensions\\${plan.extensionId}\\policy]`,
    `"hubToken"=${regString(token)}`,
    '',
  ].join('\r\n');
}
