import type { ExternalResult } from '../../domain/external-result.ts';
import type { CompiledInstitution, CompiledPack } from '../compile.ts';
import { markKey, normalizeMark } from '../match/normalize-name.ts';
import type { Category } from '../schema/common.ts';
import type { Qualification } from '../schema/institution.ts';
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
  itemId: string,
  itemName: string,
  category: Category,
  clockDate: string,
  receiver: Receiver,
): { mark: string } | Outcome {
  const name = issuer.inst.name;
  const quals = issuer.qualificationsByItem.get(itemId);
  if (quals === undefined) {
    return outcome(
      'issuer-not-qualified',
      'qualification',
      `${name}未取得「${itemName}」的互认资质`,
      `${name} holds no qualification for "${itemName}"`,
    );
  }
  const current = quals.filter((q) => q.validFrom <= clockDate && clockDate <= q.validUntil);
  if (current.length === 0) {
    const q = latest(quals);
    return outcome(
      'issuer-not-qualified',
      'qualification',
      `${name}「${itemName}」互认资质有效期 ${q.validFrom} 至 ${q.validUntil}，结果日期 ${clockDate} 不在有效期内`,
      `${name}'s qualification for "${itemName}" runs ${q.validFrom} to ${q.validUntil}; the result is dated ${clockDate}`,
    );
  }
  const valid = current.filter((q) => markValidHere(cp, q.mark, category, receiver));
  if (valid.length === 0) {
    const label = current[0]!.mark;
    const region = cp.marks.get(markKey(label))?.region ?? '?';
    return outcome(
      'issuer-not-qualified',
      'mark-region',
      `「${label}」标识仅在${region}内有效，本规则包未接受其用于${category === 'lab' ? '检验' : '检查'}结果`,
      `the "${label}" mark is valid only within ${region} and this pack does not accept it for ${category} results`,
    );
  }
  if (!cp.pack.policy.requireMarkOnResult) return { mark: valid[0]!.mark };
  const printed = new Set((result.marks ?? []).map(normalizeMark));
  const carried = valid.find((q) => markSpellings(cp, q.mark).some((s) => printed.has(s)));
  if (carried !== undefined) return { mark: carried.mark };
  const label = valid[0]!.mark;
  return outcome(
    'issuer-not-qualified',
    'mark-on-result',
    `结果单未标注「${label}」互认标识`,
    `the result does not carry the "${label}" mark`,
  );
}

/** A mark counts where its region covers the receiver, or where the pack accepts it by agreement. */
export function markValidHere(cp: CompiledPack, label: string, category: Category, receiver: Receiver): boolean {
  if (!cp.pack.policy.markValidOnlyInRegion) return true;
  const mark = cp.marks.get(markKey(label));
  const chain = cp.regionChain.get(receiver.region);
  if (mark !== undefined && (chain?.has(mark.region) ?? mark.region === receiver.region)) return true;
  const accepted = cp.acceptedMarks.get(markKey(mark?.label ?? label));
  return accepted?.some((a) => a.categories === undefined || a.categories.includes(category)) ?? false;
}

function markSpellings(cp: CompiledPack, label: string): string[] {
  const mark = cp.marks.get(markKey(label));
  return mark === undefined ? [normalizeMark(label)] : [mark.label, ...mark.aliases].map(normalizeMark);
}

function latest(quals: readonly Qualification[]): Qualification {
  return quals.reduce((a, b) => (b.validUntil > a.validUntil ? b : a));
}
