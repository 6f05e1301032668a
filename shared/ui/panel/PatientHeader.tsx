import type { PatientContext } from '../../domain/encounter';
import { useT } from '../i18n/I18nProvider';
import { maskIdentifier } from './patient-key';

/** The patient as the EMR page shows it, so the physician can confirm it is the right one. */
export function PatientHeader({ patient }: { patient: PatientContext }) {
  const t = useT();
  return (
    <header className="hr-patient" aria-label={t('patient')}>
      <span className="hr-patient-name">{patient.name ?? '—'}</span>
      {patient.gender && <span>{patient.gender}</span>}
      {patient.age && <span>{patient.age}</span>}
      <span className="hr-patient-id">
        {t('identifier')} {maskIdentifier(patient.identifier.value)}
      </span>
    </header>
  );
}
