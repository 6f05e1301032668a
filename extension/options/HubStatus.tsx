import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { FLEET_STORAGE_KEY, FLEET_SYNC, FleetState } from '../settings/fleet-state';
import type { Strings } from './strings';

const cnTime = (iso?: string) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');

/** What the hub's configuration did here: version, last check, and every refusal with its reason. */
export function HubStatus({ t, hubUrl, keysPinned, onSynced }: { t: Strings; hubUrl?: string; keysPinned: boolean; onSynced?: () => void }) {
  const [state, setState] = useState<FleetState>();
  const [busy, setBusy] = useState(false);
  const load = () =>
    void browser.storage.local.get(FLEET_STORAGE_KEY).then((r) => {
      const parsed = FleetState.safeParse(r[FLEET_STORAGE_KEY]);
      setState(parsed.success && parsed.data.hubUrl === hubUrl ? parsed.data : undefined);
    });
  useEffect(() => {
    load();
    const listener = (changes: Record<string, unknown>, area: string) => area === 'local' && FLEET_STORAGE_KEY in changes && load();
    browser.storage.onChanged.addListener(listener);
    return () => browser.storage.onChanged.removeListener(listener);
  }, [hubUrl]);
  if (!hubUrl) return null;

  const syncNow = async () => {
    setBusy(true);
    await browser.runtime.sendMessage({ type: FLEET_SYNC }).catch(() => undefined);
    setBusy(false);
    load();
    // What the hub set is shown read-only in the fields: re-read the settings.
    onSynced?.();
  };

  return (
    <div className="hub-status" data-testid="hub-status">
      {!keysPinned && (
        <p role="alert" className="bad">
          {t.hubNoKeys}
        </p>
      )}
      <dl>
        <dt>{t.hubHospital}</dt>
        <dd>{state?.hospital ? `${state.hospital.name}（${state.hospital.id}）` : '—'}</dd>
        <dt>{t.hubVersion}</dt>
        <dd>{state?.version ?? t.hubNever}</dd>
        <dt>{t.hubLastCheck}</dt>
        <dd>{cnTime(state?.lastCheckAt)}</dd>
        <dt>{t.hubLastOk}</dt>
        <dd>{cnTime(state?.lastOkAt)}</dd>
      </dl>
      {state?.lastError && (
        <p role="status" className="bad">
          {state.lastError}
        </p>
      )}
      {state && state.refusals.length > 0 && (
        <div role="alert" className="bad">
          <p>{t.hubRefusals}</p>
          <ul className="problems">
            {state.refusals.map((r) => (
              <li key={`${r.id}@${r.version}`}>
                <code>
                  {r.id}@{r.version}
                </code>{' '}
                {r.reason}（{cnTime(r.at)}）
              </li>
            ))}
          </ul>
        </div>
      )}
      <button type="button" onClick={() => void syncNow()} disabled={busy}>
        {t.hubSyncNow}
      </button>
    </div>
  );
}
