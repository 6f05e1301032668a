import type { RetestReason } from '../rules';

export interface NoticeInput {
  patientName?: string;
  itemName: string;
  issuerName: string;
  date: string | null;
  reason: RetestReason;
  comment?: string;
  physician?: string;
  department?: string;
  hospital?: string;
  /** Date of the notice (YYYY-MM-DD), passed in: no clock here. */
  today: string;
}

export interface Notice {
  title: string;
  paragraphs: string[];
  signatures: string[];
}

/**
 * 复查告知: what the physician gives the patient when re-testing a recognizable item — the
 * purpose and necessity of the re-test, in plain zh-CN (seed 001 asks that it be explained).
 */
export function retestNotice(input: NoticeInput): Notice {
  const who = input.patientName ? `${input.patientName}（患者）` : '患者';
  const when = input.date ? `${input.date}` : '近期';
  const paragraphs = [
    `${who}：您${when}在${input.issuerName}所做的“${input.itemName}”结果，按本地区检查检验结果互认规定可以互认。`,
    `经接诊医师判断，本次仍需复查，原因：${input.reason.label['zh-CN']}${input.comment ? `（${input.comment}）` : ''}。`,
    '复查的目的及必要性：为准确掌握您当前的病情，保证诊疗安全，需要获得最新的检查检验结果。复查结果将与既往结果对比，用于本次诊疗决策。',
    '如您对复查有疑问，可向接诊医师咨询。',
  ];
  return {
    title: `${input.hospital ?? ''}复查告知书`,
    paragraphs,
    signatures: [
      `科室：${input.department ?? '　　　　'}　接诊医师：${input.physician ?? '　　　　'}`,
      '患者（或家属）签名：　　　　　　　',
      `日期：${input.today}`,
    ],
  };
}
