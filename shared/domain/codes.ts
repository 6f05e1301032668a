/**
 * Identifier and code systems Huren itself names. Chinese platforms write OIDs (WS/T 500:
 * 2.16.156.10011.x); in FHIR they appear as `urn:oid:…`.
 */

/** 身份证件号码 (DE02.01.030.00): the id root WS/T 500 documents use for the patient. */
export const ID_CARD_OID = '2.16.156.10011.1.3';
export const ID_CARD_SYSTEM = `urn:oid:${ID_CARD_OID}`;

/**
 * What Huren up to 0.1 used for the 身份证号. 2.16.156.10011.1.4 is 医务人员编号 (a staff number)
 * in WS/T 500, never a patient: stored identifiers with it are migrated to ID_CARD_SYSTEM.
 */
export const LEGACY_ID_CARD_SYSTEM = 'urn:oid:2.16.156.10011.1.4';

/** 医疗机构 (custodian) id root in WS/T 500 documents. */
export const INSTITUTION_OID = '2.16.156.10011.1.5';
export const INSTITUTION_SYSTEM = `urn:oid:${INSTITUTION_OID}`;

/**
 * An issuer's own item code (检验/检查项目代码, DE04.30.019.00). It means something only together
 * with the issuer: the pack's code map for that issuer says which catalog item it is.
 */
export const ISSUER_LOCAL_ITEM_SYSTEM = 'urn:huren:issuer-local-item';

/** 国家医保 医疗服务价格项目 codes (e.g. 002501010150000), accepted on catalog items and orders. */
export const NHSA_SERVICE_ITEM_SYSTEM = 'urn:huren:nhsa-service-item';

/** A stored patient identifier with the legacy 身份证号 system reads as the national one. */
export function migratePatientSystem<T extends { system?: string | undefined }>(identifier: T): T {
  return identifier.system === LEGACY_ID_CARD_SYSTEM ? { ...identifier, system: ID_CARD_SYSTEM } : identifier;
}
