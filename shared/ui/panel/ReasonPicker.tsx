import { useId, useState } from 'react';
import { choiceProblem } from '../../decisions/make-decision';
import type { RetestReason } from '../../rules';
import { useLocale, useT } from '../i18n/I18nProvider';

/**
 * 复查原因: one click on one of the pack's reasons, plus a comment only where the pack requires
 * it (其他). Saving is impossible without a valid reason.
 */
export function ReasonPicker({
  reasons,
  busy,
  onSave,
  onCancel,
}: {
  reasons: readonly RetestReason[];
  busy: boolean;
  onSave: (reason: RetestReason, comment: string) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const [code, setCode] = useState<string>();
  const [comment, setComment] = useState('');
  const [tried, setTried] = useState(false);
  const reason = reasons.find((r) => r.code === code);
  const problem = reason ? choiceProblem({ kind: 'retest', reason, comment }) : 'reason-required';

  const submit = () => {
    setTried(true);
    if (!problem && reason) onSave(reason, comment);
  };

  return (
    <form
      className="hr-reasons"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <fieldset>
        <legend>{t('chooseReason')}</legend>
        {reasons.map((r) => (
          <label key={r.code} className="hr-reason">
            <input type="radio" name={`${id}-reason`} value={r.code} checked={code === r.code} onChange={() => setCode(r.code)} />
            <span>{r.label[locale]}</span>
          </label>
        ))}
      </fieldset>
      <label className="hr-comment">
        {reason?.commentRequired ? t('commentRequired') : t('comment')}
        <textarea value={comment} rows={2} maxLength={500} onChange={(e) => setComment(e.target.value)} aria-invalid={tried && problem === 'comment-required'} />
      </label>
      {tried && problem && (
        <p className="hr-error" role="alert">
          {problem === 'reason-required' ? t('reasonRequired') : t('commentMissing')}
        </p>
      )}
      <div className="hr-actions">
        <button type="submit" className="hr-primary" disabled={busy}>
          {busy ? t('saving') : t('save')}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
