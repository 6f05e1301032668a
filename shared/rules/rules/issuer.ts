import type { ExternalResult } from '../../domain/external-result.ts';
import { systemKey, type CompiledInstitution, type CompiledPack } from '../compile.ts';
import { normalizeItemName } from '../match/normalize-name.ts';

/**
 * 出具机构识别: by identifier (system + value, or a value the pack lists without a system), then
 * by the exact full name or alias when it names one institution only.
 */
export function findIssuer(cp: CompiledPack, issuer: ExternalResult['issuer']): CompiledInstitution | null {
  const identifiers = issuer.identifiers ?? [];
  for (let i = 0; i < identifiers.length; i++) {
    const idf = identifiers[i]!;
    const hit =
      idf.system === undefined
        ? cp.institutionsByBareValue.get(idf.value)
        : (cp.institutionsByIdentifier.get(systemKey(idf.system))?.get(idf.value) ??
          cp.institutionsByIdentifier.get('')?.get(idf.value));
    if (hit) return hit;
  }
  if (issuer.name !== undefined && issuer.name.trim() !== '') {
    return cp.institutionsByName.get(normalizeItemName(issuer.name)) ?? null;
  }
  return null;
}

/** The receiving institution, found by id or by an identifier value. */
export function findInstitution(cp: CompiledPack, key: string): CompiledInstitution | null {
  return cp.institutionsById.get(key) ?? cp.institutionsByBareValue.get(key) ?? null;
}
