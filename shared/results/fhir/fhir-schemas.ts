import { z } from 'zod';

/**
 * The parts of FHIR R4 resources Huren reads, as zod schemas. Each resource from a platform is
 * parsed on its own: one that does not fit is counted as unreadable and skipped, never fatal.
 * Unknown fields are dropped; only fields the mapper uses are checked.
 */

/** FHIR dateTime: a year, year-month, date, or date-time with seconds and an offset. */
const FHIR_DATE_TIME = /^\d{4}(-\d\d(-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))?)?)?$/;
export const DateTime = z.string().regex(FHIR_DATE_TIME, 'not a FHIR dateTime');

export const Coding = z.object({
  system: z.string().optional(),
  code: z.string().optional(),
  display: z.string().optional(),
});
export type Coding = z.infer<typeof Coding>;

export const CodeableConcept = z.object({
  coding: z.array(Coding).optional(),
  text: z.string().optional(),
});
export type CodeableConcept = z.infer<typeof CodeableConcept>;

/** An item code must name something: a text or at least one coding with a code. */
const ItemCode = CodeableConcept.refine(
  (c) => Boolean(c.text?.trim()) || (c.coding ?? []).some((x) => Boolean(x.code?.trim() || x.display?.trim())),
  'code names nothing',
);

export const Identifier = z.object({
  system: z.string().optional(),
  value: z.string().optional(),
});
export type Identifier = z.infer<typeof Identifier>;

export const Reference = z.object({
  reference: z.string().optional(),
  type: z.string().optional(),
  identifier: Identifier.optional(),
  display: z.string().optional(),
});
export type Reference = z.infer<typeof Reference>;

const Quantity = z.object({
  value: z.number().finite().optional(),
  comparator: z.string().optional(),
  unit: z.string().optional(),
  system: z.string().optional(),
  code: z.string().optional(),
});

const Meta = z.object({ tag: z.array(Coding).optional() });
const Period = z.object({ start: DateTime.optional(), end: DateTime.optional() });
const Id = z.string().min(1).max(64);

/** What an Observation and a DiagnosticReport share: item, status, dates, performer. */
const resultFields = {
  id: Id,
  meta: Meta.optional(),
  identifier: z.array(Identifier).optional(),
  status: z.string(),
  category: z.array(CodeableConcept).optional(),
  code: ItemCode,
  subject: Reference.optional(),
  effectiveDateTime: DateTime.optional(),
  effectivePeriod: Period.optional(),
  issued: DateTime.optional(),
  performer: z.array(Reference).optional(),
};

export const Observation = z.object({
  resourceType: z.literal('Observation'),
  ...resultFields,
  valueQuantity: Quantity.optional(),
  valueString: z.string().optional(),
  valueCodeableConcept: CodeableConcept.optional(),
  valueInteger: z.number().int().optional(),
  valueBoolean: z.boolean().optional(),
  interpretation: z.array(CodeableConcept).optional(),
  referenceRange: z.array(z.object({ low: Quantity.optional(), high: Quantity.optional(), text: z.string().optional() })).optional(),
  hasMember: z.array(Reference).optional(),
});
export type Observation = z.infer<typeof Observation>;

export const DiagnosticReport = z.object({
  resourceType: z.literal('DiagnosticReport'),
  ...resultFields,
  /** Contained Observations (`result: [{reference: "#chol"}]`), as HL7's own lipid example sends them. */
  contained: z.array(z.unknown()).max(500).optional(),
  result: z.array(Reference).optional(),
  imagingStudy: z.array(Reference).optional(),
  conclusion: z.string().optional(),
});
export type DiagnosticReport = z.infer<typeof DiagnosticReport>;

export const ImagingStudy = z.object({
  resourceType: z.literal('ImagingStudy'),
  id: Id,
  meta: Meta.optional(),
  identifier: z.array(Identifier).optional(),
  status: z.string(),
  modality: z.array(Coding).optional(),
  subject: Reference.optional(),
  started: DateTime.optional(),
  endpoint: z.array(Reference).optional(),
  procedureCode: z.array(CodeableConcept).optional(),
  description: z.string().optional(),
  location: Reference.optional(),
  series: z.array(z.object({ modality: Coding.optional(), bodySite: Coding.optional(), description: z.string().optional() })).optional(),
});
export type ImagingStudy = z.infer<typeof ImagingStudy>;

export const Endpoint = z.object({
  resourceType: z.literal('Endpoint'),
  id: Id,
  status: z.string().optional(),
  address: z.string().min(1),
});
export type Endpoint = z.infer<typeof Endpoint>;

export const Organization = z.object({
  resourceType: z.literal('Organization'),
  id: Id,
  identifier: z.array(Identifier).optional(),
  name: z.string().optional(),
});
export type Organization = z.infer<typeof Organization>;

/** A performer that is a role: its organization is the issuer. */
export const PractitionerRole = z.object({
  resourceType: z.literal('PractitionerRole'),
  id: Id,
  practitioner: Reference.optional(),
  organization: Reference.optional(),
});
export type PractitionerRole = z.infer<typeof PractitionerRole>;

/** A HumanName: `text`, or `family` + `given` (Chinese names: 张 + 伟 → 张伟). */
const HumanName = z.object({ text: z.string().optional(), family: z.string().optional(), given: z.array(z.string()).optional() });

/**
 * The patient found: its id, and what the platform says about who it is (name, gender, birth
 * date) for the identity check against the page (患者身份核对). A malformed demographic field is
 * dropped, never a reason to lose the patient.
 */
export const Patient = z.object({
  resourceType: z.literal('Patient'),
  id: Id,
  name: z.array(HumanName).max(20).optional().catch(undefined),
  gender: z.string().max(16).optional().catch(undefined),
  birthDate: DateTime.optional().catch(undefined),
});
export type Patient = z.infer<typeof Patient>;

/** The resource types the mapper reads; anything else in a Bundle is ignored, not unreadable. */
export const SCHEMAS = { Observation, DiagnosticReport, ImagingStudy, Endpoint, Organization, PractitionerRole } as const;
export type ReadType = keyof typeof SCHEMAS;

/** A search result page: only its shape is checked here, entries are parsed one by one. */
export const SearchBundle = z.object({
  resourceType: z.literal('Bundle'),
  total: z.number().optional(),
  link: z.array(z.object({ relation: z.string(), url: z.string() })).optional(),
  entry: z.array(z.object({ resource: z.unknown().optional(), search: z.object({ mode: z.string().optional() }).optional() })).optional(),
});
export type SearchBundle = z.infer<typeof SearchBundle>;
