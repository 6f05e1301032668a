import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import { recordAudit, type ConsentMethod } from '../../audit/event';
import { consentPolicy, type ConsentRecord } from '../../consent/consent';
import type { EncounterContext } from '../../domain/encounter';
import { useT } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/messages';
import { patientKey } from './patient-key';
import type { PanelServices } from './services';

const METHODS: { value: ConsentMethod; label: MessageKey }[] = [
  { value: 'verbal', label: 'consentVerbal' },
  { value: 'qr', label: 'consentQr' },
  { value: 'written', label: 'consentWritten' },
];

/**
 * 患者授权 before anything of the patient's external results: where the hospital or a pack requires
 * it, `children` (which fetch from the platform) are not even mounted until the physician records
 * that the patient agreed. Without consent the panel says why and shows nothing else.
 */
export function ConsentGate({ context, services, children }: { context: EncounterContext; services: PanelServices; children: ReactNode }) {
  const t = useT();
  const id = useId();
  const queryClient = useQueryClient();
  const policy = consentPolicy(services.consent?.setting, services.packs);
  const now = () => (services.now ?? (() => new Date()))();
  const key = ['consent', patientKey(context.patient.identifier)] as const;
  const stored = useQuery({
    queryKey: key,
    queryFn: async () => (services.consent ? await services.consent.store.current(context.patient.identifier, now()) : null),
    enabled: policy.required,
    staleTime: 0,
    gcTime: 0,
  });
  const [given, setGiven] = useState<ConsentRecord | null>(null);
  const [declined, setDeclined] = useState(false);
  const [method, setMethod] = useState<ConsentMethod>();
  const [problem, setProblem] = useState<MessageKey>();
  const [busy, setBusy] = useState(false);

  if (!policy.required) return <>{children}</>;
  const consent = given ?? stored.data ?? null;
  if (consent?.granted) {
    const methodLabel = t(METHODS.find((m) => m.value === consent.method)!.label);
    const time = new Date(consent.at).toLocaleString('zh-CN', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
    return (
      <>
        <p className="hr-consent-given hr-muted" role="status">
          {t('consentGiven', { method: methodLabel, who: consent.confirmedBy.physician ?? '', time })}
        </p>
        {children}
      </>
    );
  }
  if (stored.isPending) return <p className="hr-status" role="status">…</p>;

  const answer = async (granted: boolean) => {
    if (!method) {
      setProblem('consentMethodRequired');
      return;
    }
    setBusy(true);
    setProblem(undefined);
    const at = now();
    const record: ConsentRecord = {
      patient: context.patient.identifier,
      method,
      granted,
      at: at.toISOString(),
      confirmedBy: { ...context.user },
      validUntil: at.getTime() + policy.rememberHours * 3_600_000,
    };
    try {
      // Kept for the encounter only when granted; a refusal is asked again next time.
      if (granted && services.consent) await services.consent.store.record(record);
      recordAudit(services.audit, { kind: 'consent', actor: { ...context.user }, patient: context.patient.identifier, method, granted, at: record.at });
      if (granted) {
        setGiven(record);
        queryClient.setQueryData(key, record);
      } else setDeclined(true);
    } catch {
      setProblem('consentFailed');
    } finally {
      setBusy(false);
    }
  };

  if (declined) {
    return (
      <div className="hr-consent" role="status">
        <p className="hr-warning">{t('consentDeclined')}</p>
        <button type="button" onClick={() => setDeclined(false)}>
          {t('consentAskAgain')}
        </button>
      </div>
    );
  }
  return (
    <section className="hr-consent" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`} className="hr-section">
        {t('consentHeading')}
      </h2>
      <p className="hr-hint">{t('consentExplain')}</p>
      <fieldset>
        <legend>{t('consentMethod')}</legend>
        {METHODS.map((m) => (
          <label key={m.value} className="hr-reason">
            <input type="radio" name={`${id}-method`} value={m.value} checked={method === m.value} onChange={() => setMethod(m.value)} />
            <span>{t(m.label)}</span>
          </label>
        ))}
      </fieldset>
      {problem && (
        <p className="hr-error" role="alert">
          {t(problem)}
        </p>
      )}
      <div className="hr-actions">
        <button type="button" className="hr-primary" disabled={busy} onClick={() => void answer(true)}>
          {t('consentConfirm')}
        </button>
        <button type="button" disabled={busy} onClick={() => void answer(false)}>
          {t('consentDecline')}
        </button>
      </div>
    </section>
  );
}
