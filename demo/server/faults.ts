import type { FeedbackFaults } from './feedback.ts';

/**
 * Fault injection for tests of the demo platform: make the next requests fail, stall or
 * demand a token. Set through `POST /_faults` on the demo server or directly in-process.
 */
export interface Faults {
  /** Answer the next N FHIR requests with this status (500, 429, 401 …). */
  failNext?: { count: number; status: number };
  /** Delay every FHIR answer by this many ms (a timeout test sets it above the client's limit). */
  delayMs?: number;
  /** Require `Authorization: Bearer <token>` on FHIR requests. */
  requireToken?: string;
  /** Faults of the decisions (CDS Hooks feedback) endpoint; see feedback.ts. */
  feedback?: FeedbackFaults;
}
