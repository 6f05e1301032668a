/**
 * Reference data for the demo: institutions, lab analytes, panels and imaging exams.
 * Ids, LOINC codes and marks match the demo rule pack (shared/rules/packs/demo.json).
 */

export const ORG_SYSTEM = 'https://huren.example/fhir/sid/org';
export const HR_MARK_SYSTEM = 'https://huren.example/fhir/CodeSystem/hr-mark';
export const EXAM_SYSTEM = 'https://huren.example/fhir/CodeSystem/exam';
export const PANEL_SYSTEM = 'https://huren.example/fhir/CodeSystem/lab-panel';
export const LOCAL_LAB_SYSTEM = 'https://huren.example/fhir/CodeSystem/lab-item';
export const LEVEL_SYSTEM = 'https://huren.example/fhir/CodeSystem/hospital-level';
export const REPORT_NO_SYSTEM = 'https://huren.example/fhir/sid/report-no';
/** 身份证件号码 (GB 11643) under the OID WS/T 500 uses (2.16.156.10011.1.3), as the extension reads it from the EMR page. */
export { ID_CARD_SYSTEM } from '../../shared/domain/codes.ts';
export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';

export interface Institution {
  id: string;
  name: string;
  /** 医院等级 */
  level: string;
  levelCode: string;
  region: string;
  /** 互认标识 carried on its results; absent when not qualified (资质过期) or the receiving hospital. */
  mark?: string;
  /** Prefix of its report numbers (档案号). */
  prefix: string;
  /** 行政区划代码 used for synthetic 身份证号 of patients living nearby. */
  areaCode: string;
}

export const INSTITUTIONS: Institution[] = [
  { id: 'zj-rmyy', name: '湛江市人民医院', level: '三级甲等', levelCode: '3A', region: '湛江市', mark: '湛江市 HR', prefix: 'ZJRM', areaCode: '440802' },
  { id: 'zj-zxyy', name: '湛江中心人民医院', level: '三级甲等', levelCode: '3A', region: '湛江市', mark: '湛江市 HR', prefix: 'ZJZX', areaCode: '440882' },
  { id: 'zj-fybjy', name: '湛江市妇幼保健院', level: '三级', levelCode: '3', region: '湛江市', mark: '湛江市 HR', prefix: 'ZJFY', areaCode: '440802' },
  { id: 'zj-mzqrmyy', name: '麻章区人民医院', level: '二级甲等', levelCode: '2A', region: '湛江市', mark: '湛江市 HR', prefix: 'MZRM', areaCode: '440811' },
  { id: 'zj-xsqsq', name: '霞山区社区卫生服务中心', level: '一级', levelCode: '1', region: '湛江市', mark: '湛江市 HR', prefix: 'XSSQ', areaCode: '440803' },
  { id: 'zj-slxrmyy', name: '遂溪县人民医院', level: '二级', levelCode: '2', region: '湛江市', prefix: 'SXRM', areaCode: '440823' },
  { id: 'mm-rmyy', name: '茂名市人民医院', level: '三级甲等', levelCode: '3A', region: '茂名市', mark: '茂名市 HR', prefix: 'MMRM', areaCode: '440902' },
  { id: 'gz-zsyy', name: '中山大学附属第一医院', level: '三级甲等', levelCode: '3A', region: '广州市', mark: '粤HR', prefix: 'ZSYY', areaCode: '440104' },
];

export const RECEIVING_HOSPITAL = 'zj-rmyy';
/** 湛江 issuers whose results the receiving hospital recognizes (same level or same 医联体 zj-yilianti-1). */
export const SURELY_RECOGNIZED = ['zj-zxyy', 'zj-mzqrmyy', 'zj-xsqsq'];
export const UNQUALIFIED = 'zj-slxrmyy';
/** 霞山区社区卫生服务中心 is qualified for 临床化学 and 临床血液体液 only: no 临床免疫, no imaging. */
export const COMMUNITY = 'zj-xsqsq';
export const IMMUNOLOGY_PANELS = ['HBV', 'THY', 'TUMOR'];

/** Issuers whose result for this panel (or imaging) the receiving hospital surely recognizes. */
export function recognizedIssuers(panelKey: string | 'imaging'): string[] {
  const community = panelKey !== 'imaging' && !IMMUNOLOGY_PANELS.includes(panelKey);
  return SURELY_RECOGNIZED.filter((id) => id !== COMMUNITY || community);
}
export const CROSS_REGION = ['mm-rmyy', 'gz-zsyy'];

export interface Analyte {
  code: string;
  system?: string;
  name: string;
  /** UCUM code and how the lab prints it. */
  ucum: string;
  unit: string;
  low?: number;
  high?: number;
  /** Female range where it differs. */
  lowF?: number;
  highF?: number;
  /** Typical value range for synthetic values (a bit wider than the reference range). */
  min: number;
  max: number;
  decimals: number;
  text?: string;
}

const a = (x: Analyte): Analyte => x;

export const ANALYTES = {
  WBC: a({ code: '6690-2', name: '白细胞计数', ucum: '10*9/L', unit: '10^9/L', low: 3.5, high: 9.5, min: 2.8, max: 12.5, decimals: 2 }),
  RBC: a({ code: '789-8', name: '红细胞计数', ucum: '10*12/L', unit: '10^12/L', low: 4.3, high: 5.8, lowF: 3.8, highF: 5.1, min: 3.6, max: 6.0, decimals: 2 }),
  HGB: a({ code: '718-7', name: '血红蛋白', ucum: 'g/L', unit: 'g/L', low: 130, high: 175, lowF: 115, highF: 150, min: 105, max: 170, decimals: 0 }),
  PLT: a({ code: '777-3', name: '血小板计数', ucum: '10*9/L', unit: '10^9/L', low: 125, high: 350, min: 95, max: 390, decimals: 0 }),
  ALT: a({ code: '1742-6', name: '丙氨酸氨基转移酶', ucum: 'U/L', unit: 'U/L', low: 9, high: 50, lowF: 7, highF: 40, min: 8, max: 85, decimals: 0 }),
  AST: a({ code: '1920-8', name: '天门冬氨酸氨基转移酶', ucum: 'U/L', unit: 'U/L', low: 15, high: 40, lowF: 13, highF: 35, min: 12, max: 70, decimals: 0 }),
  TBIL: a({ code: '1975-2', name: '总胆红素', ucum: 'umol/L', unit: 'μmol/L', low: 0, high: 21, min: 4, max: 30, decimals: 1 }),
  ALB: a({ code: '1751-7', name: '白蛋白', ucum: 'g/L', unit: 'g/L', low: 40, high: 55, min: 33, max: 52, decimals: 1 }),
  CREA: a({ code: '2160-0', name: '肌酐', ucum: 'umol/L', unit: 'μmol/L', low: 57, high: 111, lowF: 41, highF: 81, min: 45, max: 140, decimals: 0 }),
  UREA: a({ code: '3094-0', name: '尿素', ucum: 'mmol/L', unit: 'mmol/L', low: 3.1, high: 8.0, min: 2.6, max: 10.5, decimals: 2 }),
  UA: a({ code: '3084-1', name: '尿酸', ucum: 'umol/L', unit: 'μmol/L', low: 208, high: 428, lowF: 155, highF: 357, min: 170, max: 520, decimals: 0 }),
  TC: a({ code: '2093-3', name: '总胆固醇', ucum: 'mmol/L', unit: 'mmol/L', low: 2.8, high: 5.2, min: 3.2, max: 6.8, decimals: 2 }),
  TG: a({ code: '2571-8', name: '甘油三酯', ucum: 'mmol/L', unit: 'mmol/L', low: 0.56, high: 1.7, min: 0.5, max: 3.2, decimals: 2 }),
  HDL: a({ code: '2085-9', name: '高密度脂蛋白胆固醇', ucum: 'mmol/L', unit: 'mmol/L', low: 1.04, min: 0.8, max: 1.9, decimals: 2, text: '≥1.04' }),
  LDL: a({ code: '13457-7', name: '低密度脂蛋白胆固醇', ucum: 'mmol/L', unit: 'mmol/L', high: 3.4, min: 1.6, max: 4.6, decimals: 2, text: '<3.4' }),
  GLU: a({ code: '1558-6', name: '空腹血糖', ucum: 'mmol/L', unit: 'mmol/L', low: 3.9, high: 6.1, min: 4.0, max: 9.5, decimals: 2 }),
  HBA1C: a({ code: '4548-4', name: '糖化血红蛋白', ucum: '%', unit: '%', low: 4.0, high: 6.0, min: 4.6, max: 8.8, decimals: 1 }),
  K: a({ code: '2823-3', name: '钾', ucum: 'mmol/L', unit: 'mmol/L', low: 3.5, high: 5.3, min: 3.2, max: 5.6, decimals: 2 }),
  NA: a({ code: '2951-2', name: '钠', ucum: 'mmol/L', unit: 'mmol/L', low: 137, high: 147, min: 132, max: 148, decimals: 1 }),
  CL: a({ code: '2075-0', name: '氯', ucum: 'mmol/L', unit: 'mmol/L', low: 99, high: 110, min: 95, max: 112, decimals: 1 }),
  HBSAG: a({ code: '5196-1', name: '乙肝表面抗原', ucum: '[IU]/mL', unit: 'IU/mL', high: 0.05, min: 0, max: 0.04, decimals: 2, text: '<0.05 阴性' }),
  ANTI_HBS: a({ code: '5193-8', name: '乙肝表面抗体', ucum: 'm[IU]/mL', unit: 'mIU/mL', high: 10, min: 0, max: 420, decimals: 1, text: '<10 阴性' }),
  HBEAG: a({ code: '13954-3', name: '乙肝e抗原', ucum: '{s_co_ratio}', unit: 'S/CO', high: 1, min: 0.1, max: 0.6, decimals: 2, text: '<1.0 阴性' }),
  ANTI_HBE: a({ code: '13953-5', name: '乙肝e抗体', ucum: '{s_co_ratio}', unit: 'S/CO', low: 1, min: 1.2, max: 2.5, decimals: 2, text: '>1.0 阴性' }),
  ANTI_HBC: a({ code: '13952-7', name: '乙肝核心抗体', ucum: '{s_co_ratio}', unit: 'S/CO', high: 1, min: 0.1, max: 0.8, decimals: 2, text: '<1.0 阴性' }),
  TSH: a({ code: '3016-3', name: '促甲状腺激素', ucum: 'm[IU]/L', unit: 'mIU/L', low: 0.27, high: 4.2, min: 0.2, max: 5.5, decimals: 2 }),
  FT3: a({ code: '3051-0', name: '游离三碘甲状腺原氨酸', ucum: 'pmol/L', unit: 'pmol/L', low: 3.1, high: 6.8, min: 3.0, max: 7.2, decimals: 2 }),
  FT4: a({ code: '3024-7', name: '游离甲状腺素', ucum: 'pmol/L', unit: 'pmol/L', low: 12, high: 22, min: 11, max: 23, decimals: 1 }),
  PT: a({ code: '5902-2', name: '凝血酶原时间', ucum: 's', unit: 's', low: 9.4, high: 12.5, min: 9.5, max: 14, decimals: 1 }),
  APTT: a({ code: '3173-2', name: '活化部分凝血活酶时间', ucum: 's', unit: 's', low: 25.1, high: 36.5, min: 24, max: 40, decimals: 1 }),
  INR: a({ code: '6301-6', name: '国际标准化比值', ucum: '{INR}', unit: 'INR', low: 0.8, high: 1.2, min: 0.85, max: 1.3, decimals: 2 }),
  FIB: a({ code: '3255-7', name: '纤维蛋白原', ucum: 'g/L', unit: 'g/L', low: 2.0, high: 4.0, min: 1.8, max: 4.6, decimals: 2 }),
  AFP: a({ code: '1834-1', name: '甲胎蛋白', ucum: 'ng/mL', unit: 'ng/mL', high: 7, min: 0.8, max: 9, decimals: 2 }),
  CEA: a({ code: '2039-6', name: '癌胚抗原', ucum: 'ng/mL', unit: 'ng/mL', high: 5, min: 0.5, max: 6.5, decimals: 2 }),
  // Not in the demo catalog (不在互认项目清单):
  PCT: a({ code: '33959-8', name: '降钙素原', ucum: 'ng/mL', unit: 'ng/mL', high: 0.05, min: 0.02, max: 0.9, decimals: 2 }),
  SAA: a({ code: 'SAA', system: LOCAL_LAB_SYSTEM, name: '血清淀粉样蛋白A', ucum: 'mg/L', unit: 'mg/L', high: 10, min: 2, max: 45, decimals: 1 }),
} satisfies Record<string, Analyte>;

export type AnalyteKey = keyof typeof ANALYTES;

export interface Panel {
  key: string;
  name: string;
  code: { system: string; code: string; display?: string };
  analytes: AnalyteKey[];
  inCatalog: boolean;
  /** Time limit (days) of the strictest analyte in the demo pack. */
  limitDays: number;
}

const loincPanel = (code: string, display: string) => ({ system: LOINC, code, display });
const localPanel = (code: string) => ({ system: PANEL_SYSTEM, code });

export const PANELS: Record<string, Panel> = {
  CBC: { key: 'CBC', name: '血常规', code: loincPanel('58410-2', 'CBC panel - Blood by Automated count'), analytes: ['WBC', 'RBC', 'HGB', 'PLT'], inCatalog: true, limitDays: 14 },
  LFT: { key: 'LFT', name: '肝功能', code: loincPanel('24325-3', 'Hepatic function 2000 panel'), analytes: ['ALT', 'AST', 'TBIL', 'ALB'], inCatalog: true, limitDays: 14 },
  RFT: { key: 'RFT', name: '肾功能', code: loincPanel('24362-6', 'Renal function 2000 panel'), analytes: ['CREA', 'UREA', 'UA'], inCatalog: true, limitDays: 14 },
  LIPID: { key: 'LIPID', name: '血脂', code: loincPanel('57698-3', 'Lipid panel with direct LDL'), analytes: ['TC', 'TG', 'HDL', 'LDL'], inCatalog: true, limitDays: 14 },
  GLU: { key: 'GLU', name: '空腹血糖', code: localPanel('GLU'), analytes: ['GLU'], inCatalog: true, limitDays: 14 },
  ELEC: { key: 'ELEC', name: '电解质', code: loincPanel('24326-1', 'Electrolytes 1998 panel'), analytes: ['K', 'NA', 'CL'], inCatalog: true, limitDays: 7 },
  HBV: { key: 'HBV', name: '乙肝两对半', code: localPanel('HBV5'), analytes: ['HBSAG', 'ANTI_HBS', 'HBEAG', 'ANTI_HBE', 'ANTI_HBC'], inCatalog: true, limitDays: 14 },
  THY: { key: 'THY', name: '甲状腺功能', code: localPanel('THY3'), analytes: ['TSH', 'FT3', 'FT4'], inCatalog: true, limitDays: 14 },
  COAG: { key: 'COAG', name: '凝血功能', code: loincPanel('34528-0', 'PT and aPTT panel'), analytes: ['PT', 'APTT', 'INR', 'FIB'], inCatalog: true, limitDays: 14 },
  TUMOR: { key: 'TUMOR', name: '肿瘤标志物', code: localPanel('TM2'), analytes: ['AFP', 'CEA'], inCatalog: true, limitDays: 14 },
  PCT: { key: 'PCT', name: '降钙素原', code: localPanel('PCT'), analytes: ['PCT'], inCatalog: false, limitDays: 0 },
  SAA: { key: 'SAA', name: '血清淀粉样蛋白A', code: localPanel('SAA'), analytes: ['SAA'], inCatalog: false, limitDays: 0 },
};

/** HbA1c is sent as a standalone Observation (no DiagnosticReport), as some platforms do. */
export const STANDALONE_HBA1C_LIMIT_DAYS = 60;

export interface Exam {
  code: string;
  name: string;
  loinc?: string;
  modality: string;
  /** v2-0074 diagnostic service section. */
  section: string;
  inCatalog: boolean;
  limitDays: number;
  findings: string[];
  conclusions: string[];
}

export const EXAMS: Record<string, Exam> = {
  'CT-CHEST': {
    code: 'CT-CHEST', name: '胸部CT', loinc: '24627-2', modality: 'CT', section: 'RAD', inCatalog: true, limitDays: 30,
    findings: ['双肺纹理清晰，未见明确实质性病变，纵隔未见肿大淋巴结。', '右肺下叶见少许条索影，余肺野清晰，气管支气管通畅。'],
    conclusions: ['胸部CT平扫未见明显异常。', '右肺下叶少许纤维灶，建议随访。', '左肺上叶微小结节（约4mm），建议12个月后复查。'],
  },
  'MR-HEAD': {
    code: 'MR-HEAD', name: '头颅MRI', loinc: '24590-2', modality: 'MR', section: 'RAD', inCatalog: true, limitDays: 30,
    findings: ['脑实质未见异常信号，脑室系统不大，中线结构居中。'],
    conclusions: ['头颅MRI平扫未见明显异常。', '双侧额叶少许缺血灶。'],
  },
  'US-ABD': {
    code: 'US-ABD', name: '腹部超声', loinc: '24558-9', modality: 'US', section: 'RAD', inCatalog: true, limitDays: 30,
    findings: ['肝脏大小形态正常，实质回声均匀；胆囊壁光滑；胰、脾未见异常。'],
    conclusions: ['肝、胆、胰、脾未见明显异常。', '脂肪肝（轻度）。', '胆囊息肉样病变（约3mm）。'],
  },
  'DR-CHEST': {
    code: 'DR-CHEST', name: '胸部X线', loinc: '36643-5', modality: 'DX', section: 'RAD', inCatalog: true, limitDays: 30,
    findings: ['两肺纹理清晰，心影大小正常，双膈面光整。'],
    conclusions: ['心肺膈未见明显异常。', '两肺纹理增粗。'],
  },
  'ECG-12': {
    code: 'ECG-12', name: '心电图', loinc: '11524-6', modality: 'ECG', section: 'EC', inCatalog: true, limitDays: 30,
    findings: ['心率 72 次/分，PR 间期 0.16 s，QRS 0.08 s。'],
    conclusions: ['窦性心律，正常心电图。', '窦性心律，T波低平。'],
  },
  // Not in the demo catalog:
  BMD: {
    code: 'BMD', name: '骨密度', loinc: '38269-7', modality: 'DX', section: 'RAD', inCatalog: false, limitDays: 0,
    findings: ['腰椎L1-L4 T值 -1.2。'],
    conclusions: ['骨量减少。'],
  },
};
