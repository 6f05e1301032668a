import { useState } from 'react';
import { useLocale, useT } from '../i18n/I18nProvider';
import { ResultRows } from './ResultRows';
import type { OtherModel } from './view-model';

const PAGE = 30;

/** Results that cannot be recognized, each with the reason, collapsed by default. */
export function OtherResults({ others }: { others: readonly OtherModel[] }) {
  const t = useT();
  const locale = useLocale();
  const [shown, setShown] = useState(PAGE);
  if (!others.length) return null;
  return (
    <details className="hr-others">
      <summary>{t('othersHeading', { count: others.length })}</summary>
      <ul>
        {others.slice(0, shown).map((o) => (
          <li key={o.key}>
            <span className="hr-other-name">{o.name}</span>
            {o.results[0]?.source === 'paper' && <span className="hr-badge hr-badge-paper">{t('paperSource')}</span>}
            <span className="hr-muted">
              {' '}
              · {o.verdict.issuer?.name ?? o.results[0]?.issuer.name ?? '—'} · {o.verdict.clockDate ?? '—'}
            </span>
            <br />
            <span className="hr-other-reason" title={o.verdict.explanation[locale]}>
              {o.verdict.reasonShort[locale]}
            </span>
            {/* Values, units and ranges here too: a result that cannot be recognized is still worth reading. */}
            <ResultRows results={o.results} />
          </li>
        ))}
      </ul>
      {others.length > shown && (
        <button type="button" onClick={() => setShown((n) => n + PAGE)}>
          {t('showMore', { count: others.length - shown })}
        </button>
      )}
    </details>
  );
}
