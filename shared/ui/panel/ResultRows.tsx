import type { ExternalResult } from '../../domain/external-result';
import { flagText, referenceRangeText, shownResults } from '../../decisions/citation';
import { useT } from '../i18n/I18nProvider';

/** The values on a card, each with its own lab's unit, reference range and flag. */
export function ResultRows({ results }: { results: readonly ExternalResult[] }) {
  const t = useT();
  return (
    <ul className="hr-values">
      {shownResults(results).map((r) =>
        r.category === 'imaging' ? (
          <li key={r.id}>
            {/* Report text from another system: rendered as text (React escapes it), never as markup. */}
            {r.findings && (
              <p className="hr-findings">
                <span className="hr-label">{t('findings')}：</span>
                {r.findings}
              </p>
            )}
            <span className="hr-conclusion">
              {r.findings && r.conclusion && <span className="hr-label">{t('conclusion')}：</span>}
              {r.conclusion ?? r.item.name}
            </span>
            {r.imagesUrl && /^https?:\/\//.test(r.imagesUrl) && (
              <a href={r.imagesUrl} target="_blank" rel="noopener noreferrer" className="hr-images">
                {t('viewImages')}
              </a>
            )}
          </li>
        ) : (
          <li key={r.id}>
            <span className="hr-analyte">{r.item.name}</span>{' '}
            <span className={flagText(r) ? 'hr-value hr-abnormal' : 'hr-value'}>
              {r.value ?? '—'}
              {r.unit ? ` ${r.unit}` : ''}
              {flagText(r) ? ` ${flagText(r)}` : ''}
            </span>
            {referenceRangeText(r) && <span className="hr-range"> {t('referenceRange', { range: referenceRangeText(r)! })}</span>}
            {r.specimen && <span className="hr-range"> · {t('specimen', { specimen: r.specimen })}</span>}
          </li>
        ),
      )}
    </ul>
  );
}
