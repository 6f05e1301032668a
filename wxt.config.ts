import { readFileSync } from 'node:fs';
import { defineConfig } from 'wxt';
import { hospitalManifest, MINIMUM_CHROME_VERSION, type HospitalBuildPlan } from './deploy/hospital-build';

/**
 * A hospital build (npm run package -- --config hospital.json, deploy/package.ts) hands its plan
 * over in this file: its EMR origins, hub, settings and signing key's id. Unset: the plain build.
 */
const hospital = process.env.HUREN_HOSPITAL_BUILD ? (JSON.parse(readFileSync(process.env.HUREN_HOSPITAL_BUILD, 'utf8')) as HospitalBuildPlan) : undefined;

/**
 * Hosts the demo runs on, declared so the demo and the end-to-end tests need no permission
 * prompt (automation cannot click one). Real EMR origins are granted at run time from the
 * options page (optional_host_permissions + scripting.registerContentScripts, see
 * extension/background/hosts.ts); the extension never asks for <all_urls> host access.
 */
const DEMO_HOSTS = ['http://127.0.0.1/*', 'http://localhost/*', 'http://*.localhost/*'];

export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  outDir: hospital?.outDir ?? '.output',
  modules: ['@wxt-dev/module-react'],
  // The oldest browser supported is Chrome/Edge 109 (docs/deploy.md): syntax is lowered for it;
  // newer APIs are guarded or polyfilled in the code (extension/compat/).
  vite: () => ({ build: { target: 'chrome109' } }),
  zip: { artifactTemplate: 'extension.zip' },
  hooks: hospital
    ? {
        'build:manifestGenerated': (_wxt, manifest) => {
          const target = manifest as unknown as Record<string, unknown>;
          const next = hospitalManifest(target, hospital);
          for (const key of Object.keys(target)) if (!(key in next)) delete target[key];
          Object.assign(target, next);
        },
        'build:publicAssets': (_wxt, assets) => {
          assets.push({ relativeDest: 'hospital.json', contents: JSON.stringify(hospital.packaged, null, 2) });
        },
      }
    : {},
  manifest: {
    name: 'Huren 互认助手',
    description: '检查检验结果互认提醒：在电子病历中提示可互认的外院检查检验结果',
    default_locale: undefined,
    minimum_chrome_version: MINIMUM_CHROME_VERSION,
    permissions: ['storage', 'scripting', 'alarms'],
    host_permissions: DEMO_HOSTS,
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    web_accessible_resources: [
      // Only the sidebar page. Chrome has no run-time web_accessible_resources, and EMR origins
      // are granted at run time, so the page may be framed from any origin; this grants no host
      // access (as in Bitwarden's in-page menu). The dynamic URL changes per session, so pages
      // cannot probe for the extension, and the sidebar shows only what the background stored for
      // the tab our content script runs in.
      { resources: ['sidebar.html'], matches: ['<all_urls>'], use_dynamic_url: true },
    ],
    // No frame-ancestors: it would have to list every run-time EMR origin; the WAR entry above
    // is what decides which pages may frame the sidebar.
    content_security_policy: {
      extension_pages: "script-src 'self'; object-src 'self'",
    },
    // Chrome/Edge policy (3rdparty extensions policy) → storage.managed; see docs in the schema.
    storage: { managed_schema: 'managed_schema.json' },
    browser_specific_settings: {
      gecko: {
        id: 'huren@huren.example',
        data_collection_permissions: { required: ['healthInfo', 'personallyIdentifyingInfo'] },
      },
    },
  },
});
