import { z } from 'zod';

const HttpUrl = z.url({ protocol: /^https?$/ });
const Oid = z.string().regex(/^[0-9]+(\.[0-9]+)+$/, 'expected an OID such as 2.16.156.10011.1.3');
const DottedPath = z.string().trim().min(1).max(200).regex(/^[\w$-]+(\.[\w$-]+)*$/, 'expected a dotted path such as data.documents');

/** IHE XDS.b (ITI-18 + ITI-43, SOAP 1.2 with MTOM). */
export const XdsTransportConfig = z.strictObject({
  kind: z.literal('xds'),
  registryUrl: HttpUrl,
  repositoryUrl: HttpUrl,
  repositories: z.record(z.string().min(1).max(128), HttpUrl).optional(),
  assigningAuthority: Oid.optional(),
  filterTypeCodes: z.boolean().optional(),
  batchSize: z.number().int().min(1).max(200).optional(),
});

/** A provincial REST/JSON wrapper with the documents inline as base64. */
export const RestTransportConfig = z.strictObject({
  kind: z.literal('rest'),
  queryUrl: HttpUrl,
  request: z
    .strictObject({
      patientId: z.string().min(1).max(64).optional(),
      idType: z.string().min(1).max(64).optional(),
      since: z.string().min(1).max(64).optional(),
      until: z.string().min(1).max(64).optional(),
      kinds: z.string().min(1).max(64).optional(),
    })
    .optional(),
  timeFormat: z.enum(['iso', 'yyyymmdd', 'yyyymmddhhmmss', 'epoch-ms']).optional(),
  documentsPath: DottedPath,
  contentPath: DottedPath,
  idPath: DottedPath.optional(),
  typePath: DottedPath.optional(),
  notFoundPath: DottedPath.optional(),
});

/**
 * The CDA results source as a hospital configures it (options page, policy or the hub): which
 * transport, and the patient id root documents use. Tokens stay in the `token` setting.
 */
export const CdaSourceSettings = z.strictObject({
  transport: z.discriminatedUnion('kind', [XdsTransportConfig, RestTransportConfig]),
  /** id root of the 身份证号 in documents (recordTarget/patientRole/patient/id), default 2.16.156.10011.1.3. */
  idCardRoot: Oid.optional(),
  timeoutMs: z.number().int().min(1000).max(25_000).optional(),
  retries: z.number().int().min(0).max(5).optional(),
});
export type CdaSourceSettings = z.infer<typeof CdaSourceSettings>;
