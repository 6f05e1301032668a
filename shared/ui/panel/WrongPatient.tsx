import { useEffect, useRef } from 'react';
import { recordAudit } from '../../audit/event';
import type { EncounterContext } from '../../domain/encounter';
import type { CheckedField } from '../../domain/patient-check';
import { useLocale, useT } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import type { PanelServices } from './services';

const FIELD_KEY: Record<CheckedField, MessageKey> = { name: 'fieldName', gender: 'fieldGender', age: 'fieldAge', birthDate: 'fieldBirthDate' };

/**
 * 患者身份不一致: all the panel shows when the page's patient does not match what the 身份证号 or
 * the platform says — the fields that differ, never their values (the header already shows the
 * masked identifier), no results, no cards, nothing to decide. Audited once per view.
 */
export function WrongPatient({ fields, context, services }: { fields: CheckedField[]; context: EncounterContext; services: PanelServices }) {
  const t = useT();
  const locale = useLocale();
  const recorded = useRef(false);
  useEffect(() => {
    if (recorded.current) return;
    recorded.current = true;
    recordAudit(services.audit, { kind: 'patient-mismatch', actor: { ...context.user }, patient: context.patient.identifier, fields });
  }, [services.audit, context, fields]);
  const names = fields.map((f) => t(FIELD_KEY[f])).join(locale === 'zh-CN' ? '、' : ', ');
  return (
    <div className="hr-status hr-error hr-wrong-patient" role="alert">
      <p>{t('wrongPatient')}</p>
      <p>{t('wrongPatientFields', { fields: names })}</p>
    </div>
  );
}
