import { Fragment, useEffect, useMemo, useState } from 'react';
import { browser } from 'wxt/browser';
import { adapterFor } from '../content/site-adapter';
import { MSG, type AdapterTestReply, type TestAdapterMessage } from '../messaging/protocol';
import { BUNDLED_ADAPTERS } from '../settings/bundled-adapters';
import { parseAdaptersText } from '../settings/site-adapter-schema';
import { defaultTab, listEmrTabs, type EmrTab } from './emr-tabs';
import type { Strings } from './strings';

interface Props {
  text: string;
  onChange(text: string): void;
  disabled: boolean;
  t: Strings;
}

/** JSON editor for the hospital's site adapters, validated as typed, with a test on a live EMR tab. */
export function AdaptersField({ text, onChange, disabled, t }: Props) {
  const parsed = useMemo(() => parseAdaptersText(text.trim() ? text : '[]'), [text]);
  const candidates = useMemo(() => [...(parsed.ok ? parsed.adapters : []), ...BUNDLED_ADAPTERS], [parsed]);
  const [tabs, setTabs] = useState<EmrTab[]>([]);
  const [tabId, setTabId] = useState<number>();
  const [adapterId, setAdapterId] = useState<string>();
  const [result, setResult] = useState<AdapterTestReply>();

  const refreshTabs = async () => {
    const list = await listEmrTabs();
    setTabs(list);
    const tab = defaultTab(list, candidates);
    setTabId(tab?.id);
    setAdapterId(tab && adapterFor(candidates, tab.url)?.id);
  };
  // Once on open: pick the EMR tab used last.
  useEffect(() => void refreshTabs(), []);

  const chooseTab = (id: number) => {
    setTabId(id);
    const tab = tabs.find((x) => x.id === id);
    if (tab) setAdapterId(adapterFor(candidates, tab.url)?.id ?? adapterId);
  };

  const runTest = async () => {
    const adapter = candidates.find((a) => a.id === (adapterId ?? candidates[0]?.id));
    if (tabId === undefined || !adapter) return;
    const message: TestAdapterMessage = { type: MSG.testAdapter, tabId, adapter };
    setResult((await browser.runtime.sendMessage(message)) as AdapterTestReply);
  };

  return (
    <>
      <p className="help" id="adapters-help">{t.adaptersHelp}</p>
      <label htmlFor="adapters">{t.adaptersJson}</label>
      <textarea
        id="adapters"
        name="adapters"
        className="code"
        rows={14}
        spellCheck={false}
        value={text}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby="adapters-help adapters-status"
        aria-invalid={!parsed.ok}
      />
      <div id="adapters-status" aria-live="polite">
        {parsed.ok ? (
          <p className="ok">✓ {t.adaptersValid}（{parsed.adapters.length}）</p>
        ) : (
          <ul className="problems" data-testid="adapter-problems">
            {parsed.problems.map((p, i) => (
              <li key={i}>
                <code>{p.path}</code> {p.message}
              </li>
            ))}
          </ul>
        )}
      </div>

      <fieldset className="test">
        <legend>{t.testTitle}</legend>
        {tabs.length === 0 ? (
          <p className="help">{t.noTabs}</p>
        ) : (
          <div className="row">
            <label>
              {t.testTab}
              <select value={tabId} onChange={(e) => chooseTab(Number(e.target.value))}>
                {tabs.map((tab) => (
                  <option key={tab.id} value={tab.id}>
                    {tab.title} — {new URL(tab.url).host}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t.testAdapter}
              <select value={adapterId ?? ''} onChange={(e) => setAdapterId(e.target.value)}>
                {candidates.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name ? `${a.name} (${a.id})` : a.id}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
        <div className="row">
          <button type="button" onClick={() => void runTest()} disabled={tabs.length === 0}>
            {t.testRun}
          </button>
          <button type="button" className="secondary" onClick={() => void refreshTabs()}>
            {t.refreshTabs}
          </button>
        </div>
        {result && <TestResult result={result} t={t} />}
      </fieldset>
    </>
  );
}

function TestResult({ result, t }: { result: AdapterTestReply; t: Strings }) {
  if (!result.ok) {
    if (result.error === 'invalid-adapter') {
      return (
        <ul className="problems" role="alert">
          {result.problems.map((p, i) => (
            <li key={i}>
              <code>{p.path}</code> {p.message}
            </li>
          ))}
        </ul>
      );
    }
    return <p role="alert" className="bad">{result.error === 'no-content-script' ? t.testNoScript : t.testNoTab}</p>;
  }
  const r = result.readout;
  const row = (label: string, value: string | undefined) => (
    <Fragment key={label}>
      <dt>{label}</dt>
      <dd>{value || '—'}</dd>
    </Fragment>
  );
  return (
    <div role="status" data-testid="adapter-test-result">
      <p className={result.urlMatches ? 'ok' : 'bad'}>{result.urlMatches ? `✓ ${t.urlMatches}` : `✗ ${t.urlNoMatch}`}</p>
      <p className={r.patientFound ? 'ok' : 'bad'}>{r.patientFound ? `✓ ${t.patientFound}` : `✗ ${t.patientMissing}`}</p>
      <dl className="readout">
        {row('ID', r.identifierMasked)}
        {row('姓名 Name', r.name)}
        {row('性别 Gender', r.gender)}
        {row('年龄 Age', r.age)}
        {row('医师 Physician', r.physician)}
        {row('科室 Department', r.department)}
        {row(t.orders, r.orders.map((o) => (o.code ? `${o.name} (${o.code})` : o.name)).join('、'))}
        {row(t.noteFound, r.noteFound ? t.yes : t.no)}
        {r.frames.map((f) => row(f.path.join(' › '), f.found ? '✓' : `✗ ${t.frameMissing}`))}
      </dl>
    </div>
  );
}
