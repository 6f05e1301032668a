import { useEffect, useState } from 'react';
import { bundledPackJson } from '../../shared/rules/bundled';
import type { RulePack } from '../../shared/rules/schema/rule-pack';
import { describePack, fetchPack, loadActivePacks, storePackFile } from '../settings/rule-packs';
import type { PackSource } from '../settings/settings';
import type { Strings } from './strings';

interface Props {
  packs: PackSource[];
  onChange(packs: PackSource[]): void;
  disabled: boolean;
  t: Strings;
}

const BUNDLED_IDS = Object.keys(bundledPackJson);

/** The active rule packs: bundled, from a URL or imported from a file, each validated before it is added. */
export function PacksField({ packs, onChange, disabled, t }: Props) {
  const [loaded, setLoaded] = useState<{ packs: RulePack[]; problems: string[] }>();
  const [addProblems, setAddProblems] = useState<string[]>([]);
  const [bundled, setBundled] = useState(BUNDLED_IDS[0]!);
  const [url, setUrl] = useState('');

  useEffect(() => {
    let live = true;
    void loadActivePacks({ activePacks: packs }).then((r) => live && setLoaded(r));
    return () => {
      live = false;
    };
  }, [packs]);

  const add = (source: PackSource) => {
    setAddProblems([]);
    if (!packs.some((p) => JSON.stringify(p) === JSON.stringify(source))) onChange([...packs, source]);
  };
  const rejected = (problems: { path: string; message: string }[]) =>
    setAddProblems(problems.slice(0, 10).map((p) => `${p.path}: ${p.message}`));

  const addUrl = async () => {
    const result = await fetchPack(url.trim());
    if (result.ok) {
      add({ kind: 'url', url: url.trim() });
      setUrl('');
    } else rejected(result.problems);
  };

  const addFile = async (file: File | undefined) => {
    if (!file) return;
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch (e) {
      return rejected([{ path: '(root)', message: `JSON: ${(e as Error).message}` }]);
    }
    const result = await storePackFile(file.name, json);
    if (result.ok) add({ kind: 'file', name: file.name });
    else rejected(result.problems);
  };

  return (
    <>
      <ul className="packs" aria-label={t.packs}>
        {packs.map((p, i) => (
          <li key={JSON.stringify(p)}>
            <span>{describePack(p)}</span>
            <button type="button" className="secondary" disabled={disabled} onClick={() => onChange(packs.filter((_, j) => j !== i))}>
              {t.packRemove}
            </button>
          </li>
        ))}
      </ul>
      {loaded && (
        <div aria-live="polite">
          <p className="help">
            {t.packsLoaded}: {loaded.packs.map((p) => `${p.meta.name} ${p.meta.version}`).join('、') || '—'}
          </p>
          {loaded.problems.length > 0 && (
            <ul className="problems">
              {loaded.problems.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {!disabled && (
        <div className="pack-add">
          <div className="row">
            <label>
              {t.packAddBundled}
              <select value={bundled} onChange={(e) => setBundled(e.target.value)}>
                {BUNDLED_IDS.map((id) => (
                  <option key={id} value={id}>
                    {id}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" onClick={() => add({ kind: 'bundled', id: bundled })}>
              {t.add}
            </button>
          </div>
          <div className="row">
            <label>
              {t.packUrl}
              <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…/pack.json" />
            </label>
            <button type="button" onClick={() => void addUrl()} disabled={!url.trim()}>
              {t.packAddUrl}
            </button>
          </div>
          <div className="row">
            <label>
              {t.packFile}
              <input type="file" accept=".json,application/json" onChange={(e) => void addFile(e.target.files?.[0])} />
            </label>
          </div>
          {addProblems.length > 0 && (
            <div role="alert">
              <p className="bad">{t.packInvalid}</p>
              <ul className="problems">
                {addProblems.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </>
  );
}
