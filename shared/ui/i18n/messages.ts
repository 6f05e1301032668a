/** UI strings: zh-CN first, English available. Keys are stable; values are what the physician reads. */
export const messages = {
  'zh-CN': {
    appName: '互认助手',
    noPatient: '未打开患者',
    noPatientHint: '在电子病历中接诊患者后，这里显示其外院检查检验结果。',
    loading: '正在查询外院结果…',
    loadingPages: '正在查询外院结果…（已读取 {pages} 页，{resources} 条）',
    patientNotFound: '互认平台未查到该患者',
    noResults: '近期无外院检查检验结果',
    resultsCount: '外院结果 {count} 项',
    newest: '最近一项',
    unreadable: '{count} 项结果无法读取',
    errorUnreachable: '互认平台无法连接',
    errorUnauthorized: '互认平台拒绝访问（请检查令牌）',
    errorTimeout: '互认平台响应超时',
    errorOther: '查询外院结果失败',
    retry: '重试',
    identifier: '证件号',
    patient: '患者',
  },
  en: {
    appName: 'Huren',
    noPatient: 'No patient open',
    noPatientHint: "Open a patient in the EMR to see the patient's results from other hospitals here.",
    loading: 'Looking up results from other hospitals…',
    loadingPages: 'Looking up results… ({pages} pages, {resources} resources read)',
    patientNotFound: 'The platform does not know this patient',
    noResults: 'No recent results from other hospitals',
    resultsCount: '{count} external results',
    newest: 'Newest',
    unreadable: '{count} results could not be read',
    errorUnreachable: 'Cannot reach the results platform',
    errorUnauthorized: 'The results platform refused access (check the token)',
    errorTimeout: 'The results platform timed out',
    errorOther: 'Could not look up external results',
    retry: 'Retry',
    identifier: 'ID',
    patient: 'Patient',
  },
} as const;

export type Locale = keyof typeof messages;
export type MessageKey = keyof (typeof messages)['zh-CN'];

export function translate(locale: Locale, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text: string = messages[locale][key] ?? messages['zh-CN'][key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}
