import { z } from 'zod';
import type { Decision } from '../shared/domain/decision';
import { EncounterContext } from '../shared/domain/encounter';

/** What the host EMR configures: the platform to read from, the rules, and how the panel speaks. */
export const WidgetConfig = z.object({
  fhirBaseUrl: z.url(),
  token: z.string().optional(),
  /** 接收机构: the host hospital's institution id in the rule packs. */
  receivingInstitution: z.string().min(1),
  /**
   * Rule packs, each a pack JSON document the host passes or the URL of one (absolute, or
   * relative to the page), fetched by the widget; each is validated before use. The widget
   * bundles no packs.
   */
  packs: z.array(z.union([z.string().min(1), z.record(z.string(), z.unknown())])).min(1),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  /** Base URL of the hospital's CDS service receiving decisions (POST {feedbackEndpoint}/feedback); unset: the hub's, if given; else none are sent. */
  feedbackEndpoint: z.url({ protocol: /^https?$/ }).optional(),
  /** 患者授权: `required` makes the panel ask for the patient's consent before any request to the platform; kept `rememberHours` (default 12; 0 = this view only). */
  consent: z.strictObject({ required: z.boolean().default(false), rememberHours: z.number().int().min(0).max(720).default(12) }).optional(),
  /** 医院中心 (Huren Hub): decisions and events go to its CDS service with this ingest token. */
  hub: z.strictObject({ url: z.url({ protocol: /^https?$/ }), token: z.string().trim().regex(/^hrt_[\w-]{12}_[\w-]{43}$/, 'expected a hub token hrt_…') }).optional(),
});
export type WidgetConfig = z.input<typeof WidgetConfig>;

export const MountOptions = z.object({
  context: EncounterContext.nullable().default(null),
  config: WidgetConfig,
});

/** Options of `mount()` and `<huren-panel>.options`. */
export interface WidgetOptions {
  /** The open patient, the orders being placed and the physician; `null` when no patient is open. */
  context?: z.input<typeof EncounterContext> | null;
  config: WidgetConfig;
  /** Receives each decision once it is stored (a CDS Hooks 2.0 feedback entry). */
  onDecision?: (decision: Decision) => void;
  /**
   * Puts a citation into the host's note, on the physician's click; resolve `false` when it could
   * not. The panel offers 插入病历 only when this is given.
   */
  onInsertNote?: (text: string) => boolean | Promise<boolean>;
}

/** Names the first thing wrong with what the host passed, e.g. "context.patient.identifier.value: …". */
export function describeProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid options';
}
