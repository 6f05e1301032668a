import type { CompiledInstitution, CompiledPack } from '../compile.ts';
import { outcome, type Outcome } from './outcome.ts';
import type { Receiver } from './receiver.ts';

/** 同级互认、下级认上级: a receiver accepts results from its own level and from higher levels. */
export function checkLevel(cp: CompiledPack, issuer: CompiledInstitution, receiver: Receiver): Outcome | null {
  if (levelApplies(cp, issuer, receiver)) return null;
  const i = issuer.inst;
  return outcome(
    'level-not-applicable',
    'level',
    `${i.name}（${i.level}）低于${receiver.name}（${receiver.level}），按“同级互认、下级认上级”不予互认`,
    `${i.name} (${i.level}) ranks below ${receiver.name} (${receiver.level}); only same-level or higher-level results are recognized`,
  );
}

export function levelApplies(cp: CompiledPack, issuer: CompiledInstitution, receiver: Receiver): boolean {
  return cp.pack.policy.levelRule === 'any' || issuer.rank >= receiver.rank;
}

/** 医联体内互认: issuer and receiver share an alliance the pack recognizes. */
export function sameAlliance(cp: CompiledPack, issuer: CompiledInstitution, receiver: Receiver): boolean {
  if (issuer.allianceCount === 0 || cp.pack.policy.alliance === 'none' || receiver.alliances.size === 0) return false;
  for (const a of issuer.inst.alliances) if (receiver.alliances.has(a)) return true;
  return false;
}
