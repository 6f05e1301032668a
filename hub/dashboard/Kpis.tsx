import type { Definitions, RatedRow } from './api';
import { number, percent, useLocale, useT } from './strings';

/** The key figures: the rates (with their formula on hover and in the definitions below) and the counts. */
export function Kpis({ total, definitions }: { total: RatedRow; definitions?: Definitions }) {
  const t = useT();
  const locale = useLocale();
  const rate = (id: 'recognitionRate' | 'promptRate' | 'citationRate' | 'recognitionPerView' | 'undecidedShare') => {
    const def = definitions?.rates.find((r) => r.id === id);
    return (
      <div className="tile" key={id}>
        <div className="tile-label" title={def?.formula[locale]}>
          {def?.name[locale] ?? id}
        </div>
        <div className="tile-value" data-rate={id}>
          {/* 互认 ÷ 调阅 is a ratio of two counts (a view may lead to several recognitions), not a share. */}
          {id === 'recognitionPerView' ? (total.rates[id] === null ? '—' : total.rates[id]!.toFixed(2)) : percent(total.rates[id])}
        </div>
      </div>
    );
  };
  const count = (label: string, value: number) => (
    <div className="tile" key={label}>
      <div className="tile-label">{label}</div>
      <div className="tile-value">{number(value, locale)}</div>
    </div>
  );
  const m = total.measures;
  return (
    <section aria-labelledby="kpi-h" className="kpis">
      <h2 id="kpi-h" className="visually-hidden">
        {t('kpis')}
      </h2>
      {rate('recognitionRate')}
      {rate('promptRate')}
      {count(t('shown'), m.reportsShown)}
      {count(t('recognized'), m.reportsRecognized)}
      {count(t('retested'), m.reportsRetested)}
      {count(t('undecided'), m.reportsUndecided)}
      {rate('citationRate')}
      {count(t('views'), m.views)}
      {rate('recognitionPerView')}
      {count(t('saved'), m.saved)}
    </section>
  );
}

/** The definitions and the deviation rule, in words, on every view. */
export function DefinitionsBlock({ definitions }: { definitions?: Definitions }) {
  const t = useT();
  const locale = useLocale();
  if (!definitions) return null;
  return (
    <section className="definitions" aria-labelledby="def-h">
      <h2 id="def-h">{t('definitions')}</h2>
      <dl>
        {definitions.rates.map((r) => (
          <div key={r.id}>
            <dt>{r.name[locale]}</dt>
            <dd>{r.formula[locale]}</dd>
          </div>
        ))}
        <div>
          <dt>{t('rule')}</dt>
          <dd data-testid="rule-text">{definitions.ruleText[locale]}</dd>
        </div>
      </dl>
    </section>
  );
}
