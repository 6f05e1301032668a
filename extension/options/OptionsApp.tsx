import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { parseAdaptersText } from '../settings/site-adapter-schema';
import { readSettings, saveSettings, SettingsError, type PackSource, type SettingsInput, type SettingsKey, type SettingsReport } from '../settings/settings';
import { AdaptersField } from './AdaptersField';
import { HostsSection } from './HostsSection';
import { HubStatus } from './HubStatus';
import { browser } from 'wxt/browser';
import { FLEET_SYNC } from '../settings/fleet-state';
import { PacksField } from './PacksField';
import { strings } from './strings';
import './options.css';

type TextKey =
  | 'fhirBaseUrl'
  | 'token'
  | 'feedbackEndpoint'
  | 'identifierSystem'
  | 'lookbackDays'
  | 'receivingInstitution'
  | 'physician'
  | 'department'
  | 'locale'
  | 'sidebarMode'
  | 'sidebarSize'
  | 'consentRequired'
  | 'consentRememberHours'
  | 'hubUrl'
  | 'hubToken'
  | 'hubSigningKeys'
  | 'resultsSource'
  | 'cdaSource';

interface Form {
  text: Record<TextKey, string>;
  packs: PackSource[];
  adapters: string;
}

function formFrom(report: SettingsReport): Form {
  const s = report.settings;
  return {
    text: {
      fhirBaseUrl: s.fhirBaseUrl,
      token: s.token ?? '',
      feedbackEndpoint: s.feedbackEndpoint ?? '',
      identifierSystem: s.identifierSystem ?? '',
      lookbackDays: String(s.lookbackDays),
      receivingInstitution: s.receivingInstitution,
      physician: s.physician ?? '',
      department: s.department ?? '',
      locale: s.locale,
      sidebarMode: s.sidebarMode,
      sidebarSize: s.sidebarSize,
      consentRequired: String(s.consentRequired),
      consentRememberHours: String(s.consentRememberHours),
      hubUrl: s.hubUrl ?? '',
      hubToken: s.hubToken ?? '',
      hubSigningKeys: (s.hubSigningKeys ?? []).join('\n'),
      resultsSource: s.resultsSource,
      cdaSource: s.cdaSource ? JSON.stringify(s.cdaSource, null, 2) : '',
    },
    packs: s.activePacks,
    adapters: s.adapters.length > 0 ? JSON.stringify(s.adapters, null, 2) : '[]',
  };
}

type Status = { ok: true } | { ok: false; problems: { path: string; message: string }[] };

/**
 * Settings hospital IT sets once: the platform, the rule packs, this hospital, the site adapters
 * and the EMR sites. Values pushed by Chrome/Edge policy are shown read-only.
 */
export function OptionsApp() {
  const [report, setReport] = useState<SettingsReport>();
  const [form, setForm] = useState<Form>();
  const [status, setStatus] = useState<Status>();

  const reload = () =>
    void readSettings().then((r) => {
      setReport(r);
      setForm(formFrom(r));
    });
  useEffect(reload, []);
  if (!report || !form) return null;

  const t = strings(form.text.locale);
  const managed = (key: SettingsKey) => report.managedKeys.includes(key);
  const fromHub = (key: SettingsKey) => report.fleetKeys.includes(key);
  const fromBuild = (key: SettingsKey) => report.buildKeys.includes(key);
  const setText = (key: TextKey, value: string) => setForm({ ...form, text: { ...form.text, [key]: value } });

  const field = (key: TextKey, type: string, extra: { required?: boolean; min?: number; max?: number; autoComplete?: string } = {}): ReactNode => (
    <div>
      <label htmlFor={key}>
        {t[key]}
        {managed(key) && <span className="managed">{t.managed}</span>}
        {fromHub(key) && <span className="managed">{t.fromHub}</span>}
        {fromBuild(key) && <span className="managed">{t.fromBuild}</span>}
      </label>
      <input id={key} name={key} type={type} value={form.text[key]} disabled={managed(key) || fromHub(key) || fromBuild(key)} onChange={(e) => setText(key, e.target.value)} {...extra} />
    </div>
  );

  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const adapters = parseAdaptersText(form.adapters.trim() || '[]');
    if (!adapters.ok) return setStatus({ ok: false, problems: adapters.problems.map((p) => ({ ...p, path: `adapters${p.path === '(root)' ? '' : p.path.startsWith('[') ? p.path : `.${p.path}`}` })) });
    const optional = (v: string) => v.trim() || undefined;
    let cdaSource: unknown;
    try {
      cdaSource = form.text.cdaSource.trim() ? JSON.parse(form.text.cdaSource) : undefined;
    } catch {
      return setStatus({ ok: false, problems: [{ path: 'cdaSource', message: t.cdaSourceJson }] });
    }
    if (form.text.resultsSource === 'cda' && cdaSource === undefined) return setStatus({ ok: false, problems: [{ path: 'cdaSource', message: t.cdaSourceMissing }] });
    const values: Partial<SettingsInput> = {
      resultsSource: form.text.resultsSource as 'fhir' | 'cda',
      cdaSource: cdaSource as SettingsInput['cdaSource'],
      fhirBaseUrl: form.text.fhirBaseUrl.trim(),
      token: optional(form.text.token),
      feedbackEndpoint: optional(form.text.feedbackEndpoint),
      identifierSystem: optional(form.text.identifierSystem),
      lookbackDays: Number(form.text.lookbackDays),
      receivingInstitution: form.text.receivingInstitution.trim(),
      physician: optional(form.text.physician),
      department: optional(form.text.department),
      locale: form.text.locale as 'zh-CN' | 'en',
      sidebarMode: form.text.sidebarMode as 'overlay' | 'push',
      sidebarSize: form.text.sidebarSize as 'auto' | 'normal' | 'narrow',
      consentRequired: form.text.consentRequired === 'true',
      consentRememberHours: Number(form.text.consentRememberHours),
      activePacks: form.packs,
      adapters: adapters.adapters,
      hubUrl: optional(form.text.hubUrl),
      hubToken: optional(form.text.hubToken),
      hubSigningKeys: form.text.hubSigningKeys.split(/\s+/).filter(Boolean).length > 0 ? form.text.hubSigningKeys.split(/\s+/).filter(Boolean) : undefined,
    };
    // What policy or the hub sets is not saved over (the local value would stay hidden anyway).
    for (const key of [...report.managedKeys, ...report.fleetKeys, ...report.buildKeys]) delete values[key];
    try {
      await saveSettings(values);
      // A new hub address, token or key: fetch the hospital's configuration now, not at the next alarm.
      void browser.runtime.sendMessage({ type: FLEET_SYNC }).catch(() => undefined);
      setStatus({ ok: true });
      reload();
    } catch (err) {
      if (!(err instanceof SettingsError)) throw err;
      setStatus({ ok: false, problems: err.problems });
    }
  };

  return (
    <main lang={form.text.locale}>
      <h1>{t.title}</h1>
      {report.problems.length > 0 && (
        <div role="alert" className="bad">
          <p>{t.storedProblems}</p>
          <ul className="problems">
            {report.problems.map((p, i) => (
              <li key={i}>
                <code>{p.path}</code> {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label={t.title}>
        <section aria-labelledby="platform-h">
          <h2 id="platform-h">{t.platform}</h2>
          <div>
            <label htmlFor="resultsSource">
              {t.resultsSource}
              {managed('resultsSource') && <span className="managed">{t.managed}</span>}
              {fromHub('resultsSource') && <span className="managed">{t.fromHub}</span>}
            </label>
            <select id="resultsSource" name="resultsSource" value={form.text.resultsSource} disabled={managed('resultsSource') || fromHub('resultsSource')} onChange={(e) => setText('resultsSource', e.target.value)}>
              <option value="fhir">{t.sourceFhir}</option>
              <option value="cda">{t.sourceCda}</option>
            </select>
          </div>
          {field('fhirBaseUrl', 'url', { required: true })}
          {field('token', 'password', { autoComplete: 'off' })}
          {field('feedbackEndpoint', 'url')}
          {field('identifierSystem', 'text')}
          <div>
            <label htmlFor="cdaSource">
              {t.cdaSource}
              {managed('cdaSource') && <span className="managed">{t.managed}</span>}
              {fromHub('cdaSource') && <span className="managed">{t.fromHub}</span>}
            </label>
            <p className="help" id="cdaSource-help">{t.cdaSourceHelp}</p>
            <textarea id="cdaSource" name="cdaSource" className="code" rows={8} spellCheck={false} aria-describedby="cdaSource-help" value={form.text.cdaSource}
              disabled={managed('cdaSource') || fromHub('cdaSource')} onChange={(e) => setText('cdaSource', e.target.value)} />
          </div>
          {field('lookbackDays', 'number', { min: 1, max: 3650 })}
        </section>
        <section aria-labelledby="hub-h">
          <h2 id="hub-h">{t.hub}</h2>
          <p className="help">{t.hubHelp}</p>
          {field('hubUrl', 'url')}
          {field('hubToken', 'password', { autoComplete: 'off' })}
          <div>
            <label htmlFor="hubSigningKeys">
              {t.hubSigningKeys}
              {managed('hubSigningKeys') && <span className="managed">{t.managed}</span>}
              {fromBuild('hubSigningKeys') && <span className="managed">{t.fromBuild}</span>}
            </label>
            <textarea
              id="hubSigningKeys"
              name="hubSigningKeys"
              rows={2}
              className="keys"
              spellCheck={false}
              value={form.text.hubSigningKeys}
              disabled={managed('hubSigningKeys') || fromBuild('hubSigningKeys')}
              onChange={(e) => setText('hubSigningKeys', e.target.value)}
            />
          </div>
          <HubStatus t={t} hubUrl={report.settings.hubUrl} keysPinned={(report.settings.hubSigningKeys ?? []).length > 0} onSynced={reload} />
        </section>
        <section aria-labelledby="institution-h">
          <h2 id="institution-h">{t.institution}</h2>
          {field('receivingInstitution', 'text', { required: true })}
          {field('physician', 'text')}
          {field('department', 'text')}
        </section>
        <section aria-labelledby="packs-h">
          <h2 id="packs-h">
            {t.packs}
            {managed('activePacks') && <span className="managed">{t.managed}</span>}
            {fromHub('activePacks') && <span className="managed">{t.fromHub}</span>}
          </h2>
          <PacksField packs={form.packs} onChange={(packs) => setForm({ ...form, packs })} disabled={managed('activePacks') || fromHub('activePacks')} t={t} />
        </section>
        <section aria-labelledby="adapters-h">
          <h2 id="adapters-h">
            {t.adapters}
            {managed('adapters') && <span className="managed">{t.managed}</span>}
            {fromHub('adapters') && <span className="managed">{t.fromHub}</span>}
          </h2>
          <AdaptersField text={form.adapters} onChange={(adapters) => setForm({ ...form, adapters })} disabled={managed('adapters') || fromHub('adapters')} t={t} />
        </section>
        <section aria-labelledby="consent-h">
          <h2 id="consent-h">{t.consent}</h2>
          <p className="help">{t.consentHelp}</p>
          <label htmlFor="consentRequired">
            {t.consentRequired}
            {managed('consentRequired') && <span className="managed">{t.managed}</span>}
          </label>
          <select id="consentRequired" value={form.text.consentRequired} disabled={managed('consentRequired')} onChange={(e) => setText('consentRequired', e.target.value)}>
            <option value="false">{t.consentNotRequired}</option>
            <option value="true">{t.consentRequiredYes}</option>
          </select>
          {field('consentRememberHours', 'number', { min: 0, max: 720 })}
        </section>
        <section aria-labelledby="locale-h">
          <h2 id="locale-h">
            <label htmlFor="locale">{t.locale}</label>
          </h2>
          <select id="locale" name="locale" value={form.text.locale} disabled={managed('locale')} onChange={(e) => setText('locale', e.target.value)}>
            <option value="zh-CN">简体中文</option>
            <option value="en">English</option>
          </select>
        </section>
        <section aria-labelledby="layout-h">
          <h2 id="layout-h">{t.sidebarMode}</h2>
          <label htmlFor="sidebarMode">
            {t.sidebarMode}
            {managed('sidebarMode') && <span className="managed">{t.managed}</span>}
          </label>
          <select id="sidebarMode" value={form.text.sidebarMode} disabled={managed('sidebarMode')} onChange={(e) => setText('sidebarMode', e.target.value)}>
            <option value="overlay">{t.sidebarModeOverlay}</option>
            <option value="push">{t.sidebarModePush}</option>
          </select>
          <label htmlFor="sidebarSize">
            {t.sidebarSize}
            {managed('sidebarSize') && <span className="managed">{t.managed}</span>}
          </label>
          <select id="sidebarSize" value={form.text.sidebarSize} disabled={managed('sidebarSize')} onChange={(e) => setText('sidebarSize', e.target.value)}>
            <option value="auto">{t.sidebarSizeAuto}</option>
            <option value="normal">{t.sidebarSizeNormal}</option>
            <option value="narrow">{t.sidebarSizeNarrow}</option>
          </select>
        </section>
        <div className="actions">
          <button type="submit">{t.save}</button>
          <div role="status" aria-live="polite">
            {status?.ok && <span className="ok">✓ {t.saved}</span>}
          </div>
        </div>
        {status && !status.ok && (
          <div role="alert" className="bad" data-testid="save-problems">
            <p>{t.notSaved}</p>
            <ul className="problems">
              {status.problems.map((p, i) => (
                <li key={i}>
                  <code>{p.path}</code> {p.message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </form>
      <HostsSection t={t} />
    </main>
  );
}
