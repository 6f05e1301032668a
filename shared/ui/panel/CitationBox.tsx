import { useState } from 'react';
import { useT } from '../i18n/I18nProvider';

/**
 * The citation for the record after a recognition. It leaves the panel only on the physician's
 * click: copy to the clipboard, or insert into the note field the host names.
 */
export function CitationBox({
  text,
  insertIntoNote,
  onCited,
}: {
  text: string;
  insertIntoNote?: (text: string) => Promise<boolean>;
  /** Told once the citation reached the clipboard or the note (引用, for monitoring). */
  onCited?: (how: 'copied' | 'inserted') => void;
}) {
  const t = useT();
  const [status, setStatus] = useState<'copied' | 'inserted' | 'insertFailed'>();
  const copy = async () => {
    await navigator.clipboard.writeText(text);
    setStatus('copied');
    onCited?.('copied');
  };
  const insert = async () => {
    const ok = await insertIntoNote!(text).catch(() => false);
    setStatus(ok ? 'inserted' : 'insertFailed');
    if (ok) onCited?.('inserted');
  };
  return (
    <div className="hr-citation">
      <p className="hr-citation-heading">{t('citationHeading')}</p>
      <pre className="hr-citation-text">{text}</pre>
      <div className="hr-actions">
        <button type="button" onClick={() => void copy().catch(() => setStatus('insertFailed'))}>
          {t('copy')}
        </button>
        {insertIntoNote && (
          <button type="button" onClick={() => void insert()}>
            {t('insertIntoNote')}
          </button>
        )}
        {status && (
          <span role="status" className={status === 'insertFailed' ? 'hr-error' : 'hr-ok'}>
            {t(status)}
          </span>
        )}
      </div>
    </div>
  );
}
