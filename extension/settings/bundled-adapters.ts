import type { SiteAdapter } from '../content/site-adapter';

import { ID_CARD_SYSTEM } from '../../shared/domain/codes';

/** 身份证号 identifier system: the national OID 2.16.156.10011.1.3 (WS/T 500), not …1.4 (staff numbers). */
export { ID_CARD_SYSTEM };

const DEMO_HOST = '^https?://(127\\.0\\.0\\.1|localhost)(:\\d+)?';
/** The demo EMR's frames from other origins (demo/pages/xemr): the patient index and order entry. */
const XEMR_BANNER = '^http://xemr-banner\\.localhost(:\\d+)?/';
const XEMR_ORDERS = '^http://xemr-orders\\.localhost(:\\d+)?/';

/**
 * Adapters shipped for the two demo EMR pages (门诊医生工作站, single page and framed). Hospitals
 * add their own through the options page or managed policy: these are data, not code paths.
 */
export const BUNDLED_ADAPTERS: SiteAdapter[] = [
  {
    id: 'demo-outpatient',
    name: '演示 · 门诊医生工作站',
    urlPatterns: [`${DEMO_HOST}/emr/`],
    patient: {
      // The page shows the number masked and keeps the full one in an attribute.
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
  {
    // The same workstation as many older HIS build it: a frame for the workspace and, inside it,
    // a frame for orders and the note; the patient is one line of text read with patterns.
    id: 'demo-outpatient-frames',
    name: '演示 · 门诊医生工作站（框架版）',
    urlPatterns: [`${DEMO_HOST}/assets/emr-frames\\.html`],
    frame: ['iframe#workspace'],
    patient: {
      identifier: { selector: '#pat-info', pattern: '证件号[:：]\\s*(\\d{17}[\\dXx])' },
      identifierSystem: ID_CARD_SYSTEM,
      name: { selector: '#pat-info', pattern: '姓名[:：]\\s*(\\S+)' },
      gender: { selector: '#pat-info', pattern: '性别[:：]\\s*(\\S+)' },
      age: { selector: '#pat-info', pattern: '年龄[:：]\\s*(\\S+)' },
    },
    user: {
      physician: { selector: '#doctor-info', pattern: '医师[:：]\\s*(\\S+)', frame: [] },
      department: { selector: '#doctor-info', pattern: '科室[:：]\\s*(\\S+)', frame: [] },
    },
    orders: {
      frame: ['iframe#workspace', 'iframe#orders-frame'],
      item: '#orders li',
      name: { selector: '.item' },
      code: { selector: '.item', attribute: 'data-code' },
    },
    note: { selector: '#note', frame: ['iframe#workspace', 'iframe#orders-frame'] },
  },
  {
    // An ExtJS-era single-page EMR whose banner and orders come from two other origins: every
    // field is found by its label, read by the content script inside the frame that shows it.
    id: 'demo-xemr',
    name: '演示 · 门诊医生工作站（跨域框架版）',
    urlPatterns: [`${DEMO_HOST}/xemr/`],
    patient: {
      identifier: { label: '身份证号', frameUrl: XEMR_BANNER },
      identifierSystem: ID_CARD_SYSTEM,
      name: { label: '患者姓名', frameUrl: XEMR_BANNER },
      gender: { label: '性别', frameUrl: XEMR_BANNER },
      age: { label: '年龄', frameUrl: XEMR_BANNER },
    },
    user: {
      physician: { label: '医师', take: 'rest', within: '.x-toolbar-doctor' },
      department: { label: '科室', take: 'rest', within: '.x-toolbar-doctor' },
    },
    orders: {
      frameUrl: XEMR_ORDERS,
      item: '.x-grid-item',
      name: { label: '项目名称', take: 'column' },
      code: { label: '项目编码', take: 'column' },
    },
    note: { selector: 'textarea.x-form-textarea', frameUrl: XEMR_ORDERS },
  },
];
