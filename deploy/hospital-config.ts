import { z } from 'zod';
import { Settings } from '../extension/settings/settings.ts';
import { PublicKeyText } from '../shared/fleet/signed.ts';

/**
 * hospital.json: what `npm run package -- --config hospital.json` builds for one hospital
 * (docs/deploy.md). Strict: a misspelt key is an error, and no token may be put in a package
 * (a package is served to anyone who asks; tokens come through policy, per department).
 */

/** `https://his.hospital.cn`, `http://10.1.2.3:8080`, or `https://*.hospital.cn` for every subdomain. */
export const EmrOrigin = z
  .string()
  .trim()
  .refine((text) => {
    const m = /^(https?):\/\/(\*\.)?([^/:*]+)(:\d{1,5})?\/?$/.exec(text);
    if (!m) return false;
    try {
      return new URL(`${m[1]}://${m[3]}${m[4] ?? ''}`).hostname.length > 0;
    } catch {
      return false;
    }
  }, 'expected an origin such as https://his.hospital.cn or https://*.hospital.cn:8443 (no path)');

/** The settings a package may carry: everything but secrets, per-physician values and the locked two. */
const NOT_IN_PACKAGE = new Set(['token', 'hubToken', 'physician', 'department', 'hubUrl', 'hubSigningKeys']);

/** Only the keys given, each checked with the extension's own schema (defaults are not filled in). */
const PackagedSettings = z.record(z.string(), z.unknown()).transform((raw, ctx) => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (NOT_IN_PACKAGE.has(key)) {
      ctx.addIssue({ code: 'custom', path: [key], message: key.startsWith('hub') ? `${key} is a top-level field of hospital.json` : `${key} is not packaged: set it by policy` });
      continue;
    }
    const schema = (Settings.shape as Record<string, z.ZodType>)[key];
    if (!schema) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'unknown setting' });
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) out[key] = parsed.data;
    else for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: [key, ...issue.path], message: issue.message });
  }
  return out;
});

export const HospitalConfig = z.strictObject({
  /** Build id: folder names, the hub's /extension/<id>/ path. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lowercase letters, digits and -'),
  /** The hospital's name, shown in the extension's name and options page. */
  name: z.string().trim().min(1).max(40),
  /** Bumped for every new package of the same code version (a new adapter, a new setting): 0.1.0 → 0.1.0.<release>. */
  release: z.number().int().min(0).max(65535).default(0),
  /** Every origin of the EMR the extension reads, frames from other origins included. */
  emrOrigins: z.array(EmrOrigin).min(1).max(50),
  /** The hub that serves configuration and the package, and receives decisions. */
  hubUrl: z.url({ protocol: /^https?$/ }),
  /** Ed25519 public keys (npm run hub -- keys show) the hub's configuration must be signed with. */
  hubSigningKeys: z.array(PublicKeyText).min(1).max(4),
  /** Where browsers fetch the package; default `{hubUrl}/extension/{id}/`. */
  distributionUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** PEM private key (RSA or P-256) the CRX is signed with, relative to this file; created when missing. */
  signingKey: z.string().min(1).default('keys/huren-crx.pem'),
  /** Default settings in the package (the hub, the options page and policy can change them). */
  settings: PackagedSettings.default({}),
});
export type HospitalConfig = z.infer<typeof HospitalConfig>;

/** The match pattern an origin is granted as: every path, this port only. */
export function originPattern(origin: string): string {
  return `${origin.trim().replace(/\/$/, '')}/*`;
}

export function parseHospitalConfig(json: unknown): { ok: true; config: HospitalConfig } | { ok: false; problems: string[] } {
  const parsed = HospitalConfig.safeParse(json);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
}
