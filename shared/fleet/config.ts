import { z } from 'zod';
import { SignedDocument } from './signed';

/**
 * A hospital's fleet configuration (统一配置): what the hub tells every browser of the hospital.
 * Served signed (kind 'fleet-config'); each pack inside is signed on its own (kind 'rule-pack'),
 * so one bad pack is refused alone and the last good copy of it kept.
 */
export const FLEET_CONFIG_FORMAT = 'huren-fleet-config/1';

/** The settings a hub may set; the browser validates each again with its own settings schema. */
export const FleetSettings = z.strictObject({
  /** FHIR R4 base of the regional results platform. */
  fhirBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
  identifierSystem: z.string().min(1).max(256).optional(),
  lookbackDays: z.number().int().positive().max(3650).optional(),
  /** 本院: the hospital's institution id in the packs. */
  receivingInstitution: z.string().trim().min(1).max(64).optional(),
  locale: z.enum(['zh-CN', 'en']).optional(),
});
export type FleetSettings = z.infer<typeof FleetSettings>;

export const PackRef = z.strictObject({ id: z.string().min(1).max(64), version: z.string().min(1).max(64) });
export type PackRef = z.infer<typeof PackRef>;

/** What the hub stores per configuration version (`hub config set` takes this JSON). */
export const ConfigBody = z.strictObject({
  settings: FleetSettings.default({}),
  /** Site adapters (docs: the options page's format); checked by the hub and again by each browser. */
  adapters: z.array(z.unknown()).max(50).default([]),
  /** Active rule packs, by id and published version, in order. */
  packs: z.array(PackRef).max(10).default([]),
});
export type ConfigBody = z.infer<typeof ConfigBody>;

export const FleetConfig = z.strictObject({
  format: z.literal(FLEET_CONFIG_FORMAT),
  hospital: z.strictObject({ id: z.string().min(1), name: z.string() }),
  version: z.number().int().positive(),
  issuedAt: z.iso.datetime({ offset: true }),
  settings: FleetSettings,
  adapters: z.array(z.unknown()).max(50),
  packs: z.array(SignedDocument).max(10),
});
export type FleetConfig = z.infer<typeof FleetConfig>;

/** Path of the configuration on the hub: GET with the ingest token, If-None-Match honoured. */
export const FLEET_CONFIG_PATH = '/fleet/v1/config';
