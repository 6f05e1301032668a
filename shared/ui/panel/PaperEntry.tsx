import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState } from 'react';
import type { EncounterContext } from '../../domain/encounter';
import { checkPaperDraft, type PaperDraft, type PaperField, type PaperProblem } from '../../paper/paper-report';
import { institutionIndex, itemIndex, type Initials, type ItemChoice } from '../../paper/search';
import { useT } from '../i18n/I18nProvider';
import { Picker } from './Picker';
import type { PanelServices } from './services';
import { paperKey } from './use-patient-data';

const emptyRow = () => ({ name: '', value: '', unit: '', range: '' });
const emptyDraft = (): PaperDraft => ({ institution: { name: '' }, item: null, collectedOn: '', reportedOn: '', reportNumber: '', mark: null, values: [emptyRow()], conclusion: '' });

/** Today in the packs' zone (YYYY-MM-DD): a paper report cannot be dated after it. */
export function todayIn(timeZone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * 录入纸质结果: the physician enters an outside paper report. Institution and item are picked by
 * name, alias or 拼音首字母 (an institution may also be typed: it is then an unknown issuer); dates,
 * 档案号, the HR mark printed on it, values where wanted. Checked as a whole before anything is
 * stored; saved in one transaction; then judged with the platform's results.
 */
export function PaperEntry({ context, services }: { context: EncounterContext; services: PanelServices }) {
  const t = useT();
  const id = useId();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<PaperDraft>(emptyDraft);
  const [itemText, setItemText] = useState('');
  const [item, setItem] = useState<ItemChoice | null>(null);
  const [problems, setProblems] = useState<PaperProblem[]>([]);
  const [status, setStatus] = useState<'saved' | 'failed'>();
  const [busy, setBusy] = useState(false);
  const [initials, setInitials] = useState<Initials>();
  const zone = services.packs[0]?.clock.timeZone ?? 'Asia/Shanghai';
  const now = () => (services.now ?? (() => new Date()))();
  const today = todayIn(zone, now());

  useEffect(() => {
    if (!open || initials || !services.loadInitials) return;
    let live = true;
    services.loadInitials().then((fn) => live && setInitials(() => fn), () => undefined);
    return () => {
      live = false;
    };
  }, [open, initials, services]);
  const institutions = useMemo(() => institutionIndex(services.packs, initials), [services.packs, initials]);
  const items = useMemo(() => itemIndex(services.packs, initials), [services.packs, initials]);
  const marks = useMemo(() => [...new Set(services.packs.flatMap((p) => p.marks.map((m) => m.label)))], [services.packs]);
  if (!services.paper) return null;

  const set = (change: Partial<PaperDraft>) => setDraft((d) => ({ ...d, ...change }));
  const invalid = (field: PaperField) => problems.some((p) => p.field === field) || undefined;
  const members = item ? (services.packs.find((p) => p.meta.id === item.packId)?.catalog.filter((c) => item.members.includes(c.id)) ?? []) : [];
  const setRow = (i: number, change: Partial<PaperDraft['values'][number]>) => set({ values: draft.values.map((r, j) => (j === i ? { ...r, ...change } : r)) });

  const save = async () => {
    // A single item's one value row is named after the item.
    const values = item && item.members.length === 0 ? draft.values.slice(0, 1).map((r) => ({ ...r, name: r.value || r.unit || r.range ? item.name : '' })) : draft.values;
    const checked = checkPaperDraft(
      { ...draft, values },
      { packs: services.packs, today, patient: context.patient.identifier, enteredBy: { ...context.user }, id: crypto.randomUUID(), now: now() },
    );
    if (!checked.ok) {
      setProblems(checked.problems);
      return;
    }
    setProblems([]);
    setBusy(true);
    try {
      await services.paper!.save(checked.report);
      await queryClient.invalidateQueries({ queryKey: paperKey(context) });
      setStatus('saved');
      setOpen(false);
      setDraft(emptyDraft());
      setItem(null);
      setItemText('');
    } catch {
      setStatus('failed');
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <div className="hr-paper-open">
        <button type="button" onClick={() => (setOpen(true), setStatus(undefined))}>
          {t('paperEntry')}
        </button>
        {status === 'saved' && (
          <span role="status" className="hr-ok">
            {' '}
            {t('paperSaved')}
          </span>
        )}
      </div>
    );
  }
  return (
    <form
      className="hr-paper"
      aria-labelledby={`${id}-h`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 id={`${id}-h`} className="hr-section">
        {t('paperHeading')}
      </h2>
      <Picker
        label={t('paperInstitution')}
        hint={draft.institution.name.trim() && !draft.institution.id ? t('paperInstitutionTyped') : t('paperInstitutionHint')}
        text={draft.institution.name}
        onText={(name) => set({ institution: { name } })}
        search={(q) => institutions.search(q)}
        onPick={(c) => set({ institution: { id: c.id, name: c.name } })}
        invalid={invalid('institution')}
        noMatch={t('paperNoMatch')}
      />
      <Picker
        label={t('paperItem')}
        hint={t('paperItemHint')}
        text={itemText}
        onText={(text) => {
          setItemText(text);
          setItem(null);
          set({ item: null });
        }}
        search={(q) => items.search(q)}
        onPick={(c) => {
          setItem(c);
          setItemText(c.name);
          set({ item: { packId: c.packId, id: c.id }, values: [emptyRow()] });
        }}
        invalid={invalid('item')}
        noMatch={t('paperNoMatch')}
      />
      <div className="hr-paper-row">
        <label>
          {t('paperCollected')}
          <input type="date" max={today} value={draft.collectedOn} aria-invalid={invalid('collectedOn')} onChange={(e) => set({ collectedOn: e.target.value })} />
        </label>
        <label>
          {t('paperReported')}
          <input type="date" max={today} value={draft.reportedOn} aria-invalid={invalid('reportedOn')} onChange={(e) => set({ reportedOn: e.target.value })} />
        </label>
      </div>
      <label>
        {t('paperReportNumber')}
        <input type="text" maxLength={128} value={draft.reportNumber} onChange={(e) => set({ reportNumber: e.target.value })} />
      </label>
      <label>
        {t('paperMark')}
        <select value={draft.mark ?? ''} onChange={(e) => set({ mark: e.target.value || null })}>
          <option value="">{t('paperMarkNone')}</option>
          {marks.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      {item?.category === 'imaging' ? (
        <label>
          {t('paperConclusion')}
          <textarea rows={2} maxLength={2000} value={draft.conclusion} onChange={(e) => set({ conclusion: e.target.value })} />
        </label>
      ) : (
        item && (
          <fieldset className="hr-paper-values">
            <legend>{t('paperValues')}</legend>
            {draft.values.map((row, i) => (
              <div key={i} className="hr-paper-value">
                {members.length > 0 && (
                  <select aria-label={`${t('paperValueName')} ${i + 1}`} value={row.name} onChange={(e) => setRow(i, { name: e.target.value })}>
                    <option value="">—</option>
                    {members.map((m) => (
                      <option key={m.id} value={m.name}>
                        {m.name}
                      </option>
                    ))}
                  </select>
                )}
                <input type="text" aria-label={`${t('paperValue')} ${i + 1}`} placeholder={t('paperValue')} maxLength={32} value={row.value} onChange={(e) => setRow(i, { value: e.target.value })} />
                <input type="text" aria-label={`${t('paperUnit')} ${i + 1}`} placeholder={t('paperUnit')} maxLength={32} value={row.unit} onChange={(e) => setRow(i, { unit: e.target.value })} />
                <input type="text" aria-label={`${t('paperRange')} ${i + 1}`} placeholder={t('paperRange')} maxLength={64} value={row.range} onChange={(e) => setRow(i, { range: e.target.value })} />
                {members.length > 0 && draft.values.length > 1 && (
                  <button type="button" onClick={() => set({ values: draft.values.filter((_, j) => j !== i) })}>
                    {t('paperRemoveValue')}
                  </button>
                )}
              </div>
            ))}
            {members.length > 0 && draft.values.length < members.length && (
              <button type="button" onClick={() => set({ values: [...draft.values, emptyRow()] })}>
                {t('paperAddValue')}
              </button>
            )}
          </fieldset>
        )
      )}
      {problems.length > 0 && (
        <ul className="hr-error" role="alert">
          {problems.map((p, i) => (
            <li key={i}>{t(p.key, p.vars)}</li>
          ))}
        </ul>
      )}
      {status === 'failed' && (
        <p className="hr-error" role="alert">
          {t('paperSaveFailed')}
        </p>
      )}
      <div className="hr-actions">
        <button type="submit" className="hr-primary" disabled={busy}>
          {busy ? t('saving') : t('paperSave')}
        </button>
        <button type="button" disabled={busy} onClick={() => (setOpen(false), setProblems([]))}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
