import type { ExternalResult } from '../../domain/external-result.ts';
import { coversCompiled, coversQualification, type CompiledInstitution, type CompiledItem, type CompiledPack, type CompiledQualification } from '../compile.ts';
import { markKey } from '../match/normalize-name.ts';
import type { CatalogItem } from '../schema/catalog-item.ts';
import type { Category } from '../schema/common.ts';
import { outcome, type Outcome } from './outcome.ts';
import type { Receiver } from './receiver.ts';

/**
 * 互认资质: the issuer passed quality assessment for this item, the qualification was valid on the
 * result's date, its mark is valid where the receiver is (or accepted by a cross-region agreement),
 * and — when the pack requires it — the mark is printed on the result.
 */
export function checkQualification(
  result: ExternalResult,
  cp: CompiledPack,
  issuer: CompiledInstitution,
  item: CatalogItem,
  clockDate: string,
  receiver: Receiver,
): string | Outcome {
  const name = issuer.inst.name;
  let covering = 0;
  let current = 0;
  let latest: CompiledQualification | null = null;
  let firstCurrent: CompiledQualification | null = null;
  let regionOk: CompiledQualification | null = null;
  const requireMark = cp.pack.policy.requireMarkOnResult;
  for (const cq of issuer.qualifications) {
    if (!coversQualification(cq, item)) continue;
    covering++;
    if (latest === null || cq.q.validUntil > latest.q.validUntil) latest = cq;
    if (cq.q.validFrom > clockDate || clockDate > cq.q.validUntil) continue;
    current++;
    firstCurrent ??= cq;
    if (!markValidHere(cp, cq, item.category, receiver)) continue;
    regionOk ??= cq;
    if (!requireMark || carriesMark(cq, result.marks)) return cq.q.mark;
  }
  if (covering === 0) {
    return outcome(
      'issuer-not-qualified',
      'qualification',
      `${name}未取得「${item.name}」的互认资质`,
      `${name} holds no qualification for "${item.name}"`,
    );
  }
  if (current === 0) {
    const q = latest!.q;
    return outcome(
      'issuer-not-qualified',
      'qualification',
      `${name}「${item.name}」互认资质有效期 ${q.validFrom} 至 ${q.validUntil}，结果日期 ${clockDate} 不在有效期内`,
      `${name}'s qualification for "${item.name}" runs ${q.validFrom} to ${q.validUntil}; the result is dated ${clockDate}`,
    );
  }
  if (regionOk === null) {
    const label = firstCurrent!.q.mark;
    const region = firstCurrent!.mark?.region ?? '?';
    const kind = item.category === 'lab' ? '检验' : '检查';
    return outcome(
      'issuer-not-qualified',
      'mark-region',
      `「${label}」标识仅在${region}内有效，本规则包未接受其用于${kind}结果`,
      `the "${label}" mark is valid only within ${region} and this pack does not accept it for ${item.category} results`,
    );
  }
  const label = regionOk.q.mark;
  return outcome('issuer-not-qualified', 'mark-on-result', `结果单未标注「${label}」互认标识`, `the result does not carry the "${label}" mark`);
}

/**
 * checkQualification without text, on the compiled item: the qualification relied on, or the
 * rule that refuses (qualification, mark-region, mark-on-result). Same order of checks; day is
 * the clock date's day number, markOk a per-evaluation table (CompiledQualification.index).
 */
export function qualify(
  marks: readonly string[] | undefined,
  cp: CompiledPack,
  issuer: CompiledInstitution,
  ci: CompiledItem,
  day: number,
  receiver: Receiver,
  markOk: Uint8Array,
): CompiledQualification | 'qualification' | 'mark-region' | 'mark-on-result' {
  const qs = issuer.qualifications;
  let covering = false;
  let current = false;
  let regionOk = false;
  const requireMark = cp.pack.policy.requireMarkOnResult;
  for (let i = 0; i < qs.length; i++) {
    const cq = qs[i]!;
    if (!coversCompiled(cq, ci)) continue;
    covering = true;
    if (day < cq.fromDay || day > cq.untilDay) continue;
    current = true;
    // markValidHere per qualification and category, once per evaluation: bit 1 known, bit 2 valid.
    const shift = ci.categoryBit === 1 ? 0 : 2;
    let ok = (markOk[cq.index]! >> shift) & 3;
    if (ok === 0) {
      ok = markValidHere(cp, cq, ci.item.category, receiver) ? 3 : 1;
      markOk[cq.index] = markOk[cq.index]! | (ok << shift);
    }
    if (ok !== 3) continue;
    regionOk = true;
    if (!requireMark || carriesMark(cq, marks)) return cq;
  }
  return !covering || !current ? 'qualification' : !regionOk ? 'mark-region' : 'mark-on-result';
}

/** A mark counts where its region covers the receiver, or where the pack accepts it by agreement. */
export function markValidHere(cp: CompiledPack, cq: CompiledQualification, category: Category, receiver: Receiver): boolean {
  if (!cp.pack.policy.markValidOnlyInRegion) return true;
  const mark = cq.mark;
  if (mark !== undefined) {
    const chain = cp.regionChain.get(receiver.region);
    if (chain !== undefined ? chain.has(mark.region) : mark.region === receiver.region) return true;
  }
  const accepted = cp.acceptedMarks.get(markKey(mark?.label ?? cq.q.mark));
  if (accepted === undefined) return false;
  for (const a of accepted) if (a.categories === undefined || a.categories.includes(category)) return true;
  return false;
}

/** Whether the result itself carries one of the qualification's mark spellings. */
export function carriesMark(cq: CompiledQualification, printed: readonly string[] | undefined): boolean {
  if (printed === undefined) return false;
  for (let i = 0; i < printed.length; i++) if (cq.markKeys.has(markKey(printed[i]!))) return true;
  return false;
}
