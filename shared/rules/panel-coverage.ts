import type { RulePack } from './schema/rule-pack.ts';

export interface CoveredItem {
  id: string;
  name: string;
}

/**
 * 组合项目覆盖: which members of a panel (血脂 → TC, TG, HDL-C, LDL-C) have a recognizable result.
 * Only a complete panel may be spared ("可免于重复检查"); otherwise the card names what is covered
 * and what still has to be done.
 */
export interface PanelCoverage {
  panel: CoveredItem;
  covered: CoveredItem[];
  missing: CoveredItem[];
  complete: boolean;
}

/**
 * Coverage of a panel item by the catalog items that have a recognizable result. A recognizable
 * result for the panel itself covers every member. Null when the item is not a panel (no members).
 */
export function panelCoverage(pack: RulePack, panelItemId: string, recognizable: ReadonlySet<string>): PanelCoverage | null {
  const panel = pack.catalog.find((i) => i.id === panelItemId);
  if (!panel || panel.members.length === 0) return null;
  const whole = recognizable.has(panel.id);
  const covered: CoveredItem[] = [];
  const missing: CoveredItem[] = [];
  for (const id of panel.members) {
    const member = pack.catalog.find((i) => i.id === id);
    const entry = { id, name: member?.name ?? id };
    (whole || recognizable.has(id) ? covered : missing).push(entry);
  }
  return { panel: { id: panel.id, name: panel.name }, covered, missing, complete: missing.length === 0 };
}
