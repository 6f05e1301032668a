import type { PatientIdentifier } from '../../domain/encounter';

/** Everything fetched or shown is keyed by the patient, so one patient's data never shows under another. */
export function patientKey(id: PatientIdentifier): string {
  return `${id.system ?? ''}|${id.value}`;
}

/** Shows enough of an identifier to confirm the patient, not the whole number. */
export function maskIdentifier(value: string): string {
  if (value.length <= 8) return value.replace(/.(?=.{2})/g, '*');
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
}
