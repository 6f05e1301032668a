import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { declaredHosts, enabledOrigins, originPattern, removeOrigin, requestOrigin } from './host-access';
import type { Strings } from './strings';

/** EMR sites Huren runs on: the demo hosts built in, the rest granted here at run time. */
export function HostsSection({ t }: { t: Strings }) {
  const [origins, setOrigins] = useState<string[]>([]);
  const [address, setAddress] = useState('');
  const [message, setMessage] = useState<string>();
  const refresh = () => void enabledOrigins().then(setOrigins);
  // A hospital build lists its EMR origins in its manifest and asks for no others (deploy/).
  const hospitalBuild = !browser.runtime.getManifest().optional_host_permissions;
  useEffect(refresh, []);

  const enable = () => {
    const pattern = originPattern(address);
    if (!pattern) return setMessage(t.hostInvalid);
    setMessage(undefined);
    // No await before this call: the prompt needs the click's user gesture.
    void requestOrigin(pattern).then((granted) => {
      if (!granted) setMessage(t.hostDenied);
      else setAddress('');
      refresh();
    });
  };

  return (
    <section aria-labelledby="hosts-h">
      <h2 id="hosts-h">{t.hosts}</h2>
      <p className="help">{t.hostsHelp}</p>
      <ul className="hosts">
        {declaredHosts().map((h) => (
          <li key={h}>
            <code>{h}</code> <span className="help">{hospitalBuild ? t.hostsFromPackage : t.hostsBuiltIn}</span>
          </li>
        ))}
        {origins.map((o) => (
          <li key={o}>
            <code>{o}</code>
            <button type="button" className="secondary" onClick={() => void removeOrigin(o).then(refresh)}>
              {t.hostDisable}
            </button>
          </li>
        ))}
      </ul>
      {!hospitalBuild && (
      <div className="row">
        <label>
          {t.hostAddress}
          <input type="url" value={address} onChange={(e) => setAddress(e.target.value)} placeholder="https://emr.hospital.cn" />
        </label>
        <button type="button" onClick={enable}>
          {t.hostEnable}
        </button>
      </div>
      )}
      {message && <p role="alert" className="bad">{message}</p>}
    </section>
  );
}
