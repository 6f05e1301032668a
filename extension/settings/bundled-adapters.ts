import type { SiteAdapter } from './site-adapter';

/** 身份证号 identifier system used by the demo platform. */
export const ID_CARD_SYSTEM = 'urn:oid:2.16.156.10011.1.4';

/**
 * Adapters shipped for the demo EMR (门诊医生工作站). Hospitals add their own through the
 * options page or managed config (issue 6); these are data, not code paths.
 */
export const BUNDLED_ADAPTERS: SiteAdapter[] = [
  {
    id: 'demo-outpatient',
    urlPatterns: ['^https?://(127\\.0\\.0\\.1|localhost)(:\\d+)?/emr/'],
    patient: {
      identifier: { selector: '#patient-banner [data-field="id-card"]', attribute: 'data-value' },
      identifierSystem: ID_CARD_SYSTEM,
      name: { selector: '#patient-banner [data-field="name"]' },
      gender: { selector: '#patient-banner [data-field="gender"]' },
      age: { selector: '#patient-banner [data-field="age"]' },
    },
    user: {
      physician: { selector: '#doctor-info', pattern: '医师[:：]\\s*(\\S+)' },
      department: { selector: '#doctor-info', pattern: '科室[:：]\\s*(\\S+)' },
    },
    orders: {
      item: '#order-list tbody tr',
      name: { selector: '[data-field="order-name"]' },
      code: { selector: '[data-field="order-name"]', attribute: 'data-code' },
    },
    note: { selector: '#note' },
  },
];
