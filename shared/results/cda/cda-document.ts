/**
 * What Huren reads from a WS/T 500 电子病历共享文档 (HL7 CDA R2): the 检验报告 (C0007) and the
 * 检查报告 (C0006). Plain data, produced by parseCdaDocument from untrusted XML; every string is
 * text as written (never markup) and placeholders (-, ***, 0000000000) are already removed.
 */

export type CdaKind = 'lab' | 'imaging';

export interface CdaHeader {
  kind: CdaKind;
  /** 文档流水号, id root 2.16.156.10011.1.1. */
  documentId?: string;
  /** 文档机器生成时间 (ISO 8601): machine time, not a clinical clock. */
  createdAt?: string;
  title?: string;
  patient: {
    /** 身份证号 as written (id root 2.16.156.10011.1.3 by default); undefined when masked or absent. */
    idCard?: string;
    /** True when the document masks the 身份证号 (***). */
    idCardMasked: boolean;
    outpatientNo?: string;
    inpatientNo?: string;
    /** recordTarget/patientRole/patient: 姓名, 性别 (GB/T 2261.1 code: 1 男, 2 女), 出生日期 (YYYY-MM-DD), for the identity check. */
    name?: string;
    gender?: string;
    birthDate?: string;
  };
  /** 检验报告单号 (root .1.33) or 检查报告单号 (.1.32). */
  reportNumber?: string;
  /** 电子申请单编号 (.1.24). */
  orderNumber?: string;
  /** author/time: 检验/检查报告日期 (ISO 8601, date-only when the document gives a date). */
  reportedAt?: string;
  /** custodian: the issuing institution (id root .1.5 and name). */
  custodian: { id?: string; name?: string };
  /** relatedDocument RPLC: the document id this one replaces. */
  replaces?: string;
}

/** One analyte of a 检验报告: a CLUSTER organizer, or a run of flat observations. */
export interface CdaAnalyte {
  /** DE04.30.019.00 检验项目代码: the issuer's own item code. */
  code?: string;
  /** DE04.30.020.00, else the name some generators put in the 017 displayName. */
  name?: string;
  /** A number when the value is one; text (阴性, +, <0.01) as written otherwise. */
  value?: number | string;
  unit?: string;
  /** DE04.30.017.00: 1 正常, 2 异常, 3 不确定. */
  resultCode?: '1' | '2' | '3';
  /** CDA R2 interpretationCode (H, L, N, A, HH, LL, POS, NEG) where a generator writes one. */
  interpretation?: string;
  referenceRange?: { low?: number; high?: number; text?: string };
  /** DE04.50.134.00 标本类别. */
  specimen?: string;
  /** 标本采样日期时间 (effectiveTime low of the specimen). */
  collectedAt?: string;
  /** 接收标本日期时间 (effectiveTime high of the specimen). */
  receivedAt?: string;
  /** 检验时间 (effectiveTime of 019). */
  testedAt?: string;
}

/** The exam of a 检查报告. */
export interface CdaExam {
  /** DE04.30.019.00 检查项目代码 (local). */
  code?: string;
  name?: string;
  /** DE02.10.027.00 检查方法名称 (平扫, 增强 …). */
  method?: string;
  /** DE04.30.018.00 检查类别. */
  examCategory?: string;
  /** 检查日期 (effectiveTime of 019). */
  examinedAt?: string;
  resultCode?: '1' | '2' | '3';
  /** DE04.50.131.00 客观所见. */
  findings?: string;
  /** DE04.50.132.00 主观提示 (印象/诊断意见). */
  conclusion?: string;
  /** A study link (CDA R2 externalObservation DGIMG text/reference), http(s) only. */
  imagesUrl?: string;
}

export interface CdaLabDocument extends CdaHeader {
  kind: 'lab';
  /** DE02.10.027.00 检验方法名称: some generators put the order or panel name here. */
  panelName?: string;
  analytes: CdaAnalyte[];
  /** Analytes that named nothing or carried no result: skipped, counted. */
  skipped: number;
}

export interface CdaImagingDocument extends CdaHeader {
  kind: 'imaging';
  exams: CdaExam[];
  skipped: number;
}

export type CdaDocument = CdaLabDocument | CdaImagingDocument;

export type CdaErrorKind =
  | 'too-large'
  | 'too-deep'
  | 'too-many-elements'
  | 'doctype'
  | 'encoding'
  | 'malformed'
  | 'empty'
  | 'not-cda'
  | 'unknown-document-type'
  | 'no-issuer'
  | 'no-results'
  | 'patient-mismatch';

/** Chinese wording of each rejection, for the panel ("文档 … 无法读取：…"). */
export const CDA_ERROR_TEXT: Record<CdaErrorKind, string> = {
  'too-large': '文档过大',
  'too-deep': '文档嵌套过深',
  'too-many-elements': '文档元素过多',
  doctype: '含文档类型声明（DTD），已拒绝',
  encoding: '字符编码无法识别',
  malformed: '不是格式正确的 XML',
  empty: '文档为空',
  'not-cda': '不是 CDA 文档',
  'unknown-document-type': '不是检验报告或检查报告',
  'no-issuer': '缺少出具机构',
  'no-results': '没有可读取的结果',
  'patient-mismatch': '文档患者与当前患者不一致，已拒绝',
};

/** A document that could not be read: why, in words that carry no patient data. */
export class CdaError extends Error {
  constructor(
    readonly kind: CdaErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'CdaError';
  }
}
