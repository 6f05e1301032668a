import { z } from 'zod';
import { browser } from 'wxt/browser';

/** Site settings the hospital's IT sets in the options page (or through managed policy, issue 6). */
export const Settings = z.object({
  /** FHIR R4 base of the regional results platform (互认平台). */
  fhirBaseUrl: z.url().default('http://127.0.0.1:8787/fhir/R4'),
  /** Bearer token for the platform, if it requires one. */
  token: z.string().optional(),
  /** Days to look back; until rule packs are loaded, a setting rather than a guess in code. */
  lookbackDays: z.number().int().positive().max(3650).default(90),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
});
export type Settings = z.infer<typeof Settings>;

const KEY = 'settings';

/** Reads settings, falling back to defaults for anything missing or malformed (never overwriting what is stored). */
export async function loadSettings(): Promise<Settings> {
  const stored = (await browser.storage.local.get(KEY))[KEY];
  const parsed = Settings.safeParse(stored ?? {});
  return parsed.success ? parsed.data : Settings.parse({});
}

export async function saveSettings(settings: Settings): Promise<void> {
  await browser.storage.local.set({ [KEY]: Settings.parse(settings) });
}
