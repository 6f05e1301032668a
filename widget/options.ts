import { z } from 'zod';
import { EncounterContext } from '../shared/domain/encounter';

/** What the host EMR configures: the platform to read from, and how the panel speaks. */
export const WidgetConfig = z.object({
  fhirBaseUrl: z.url(),
  token: z.string().optional(),
  lookbackDays: z.number().int().positive().max(3650).default(90),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
});
export type WidgetConfig = z.input<typeof WidgetConfig>;

export const MountOptions = z.object({
  context: EncounterContext.nullable().default(null),
  config: WidgetConfig,
});

/** Options of `mount()`; `onDecision` receives each decision the physician makes (issue 6). */
export interface WidgetOptions {
  context?: z.input<typeof EncounterContext> | null;
  config: WidgetConfig;
  onDecision?: (decision: unknown) => void;
}

/** Names the first thing wrong with what the host passed, e.g. "context.patient.identifier.value: …". */
export function describeProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid options';
}
