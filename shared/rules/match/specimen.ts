/**
 * 标本类别: which kind of specimen a text names (血清 → blood, 24小时尿 → urine …). A result of one
 * kind never counts for an item of another, and a code map never maps across them. Unknown text
 * gives undefined: no claim either way.
 */
export type SpecimenClass = 'blood' | 'urine' | 'csf' | 'stool' | 'sputum' | 'effusion' | 'marrow' | 'semen' | 'secretion' | 'saliva' | 'tissue' | 'breath';

/** Longest words first, so 脑脊液 is not read as something shorter. */
const WORDS: [string, SpecimenClass][] = [
  ['脑脊液', 'csf'], ['csf', 'csf'],
  ['浆膜腔积液', 'effusion'], ['胸腔积液', 'effusion'], ['腹腔积液', 'effusion'], ['胸水', 'effusion'], ['腹水', 'effusion'], ['积液', 'effusion'], ['关节液', 'effusion'],
  ['骨髓', 'marrow'],
  ['精液', 'semen'],
  ['分泌物', 'secretion'], ['白带', 'secretion'], ['拭子', 'secretion'],
  ['唾液', 'saliva'],
  ['组织', 'tissue'],
  ['呼气', 'breath'], ['呼出气', 'breath'],
  ['痰液', 'sputum'], ['痰', 'sputum'],
  ['粪便', 'stool'], ['大便', 'stool'], ['粪', 'stool'],
  ['尿液', 'urine'], ['尿', 'urine'], ['urine', 'urine'],
  ['全血', 'blood'], ['血清', 'blood'], ['血浆', 'blood'], ['静脉血', 'blood'], ['动脉血', 'blood'], ['末梢血', 'blood'], ['血液', 'blood'], ['serum', 'blood'], ['plasma', 'blood'], ['blood', 'blood'], ['血', 'blood'],
];

/** The specimen class a specimen field names (its whole text, e.g. "血清", "24小时尿", "随机尿"). */
export function specimenClass(text: string | undefined): SpecimenClass | undefined {
  if (!text) return undefined;
  const t = text.normalize('NFKC').toLowerCase();
  const found = new Set<SpecimenClass>();
  for (const [word, cls] of WORDS) if (t.includes(word)) found.add(cls);
  // 尿 inside 尿素/尿酸 names an analyte, not a specimen; a specimen field rarely says those.
  if (found.size === 1) return [...found][0];
  return undefined;
}

/** Specimen words that lead or qualify an item name (尿钾, 脑脊液蛋白, 钾(尿)); 尿素/尿酸 excepted. */
export function nameSpecimen(name: string): SpecimenClass | undefined {
  const t = name.normalize('NFKC').toLowerCase().replace(/尿素|尿酸|尿胆原|尿胆红素/g, '');
  // Blood words are left out: 血 stands in analyte names (血红蛋白, 血小板) without naming a specimen.
  for (const [word, cls] of WORDS) if (cls !== 'blood' && cls !== 'tissue' && t.includes(word)) return cls;
  return undefined;
}

/** True when both are known and differ: the result must not count for the item. */
export function specimensConflict(a: SpecimenClass | undefined, b: SpecimenClass | undefined): boolean {
  return a !== undefined && b !== undefined && a !== b;
}

/**
 * The specimen kind of a catalog item: as the pack states it, else as its name says (尿常规), else
 * blood for a lab item (the lists' lab items are serum/plasma/whole-blood tests unless named
 * otherwise); imaging has none.
 */
export function itemSpecimenClass(item: { specimen?: string | undefined; name: string; category: 'lab' | 'imaging' }): SpecimenClass | undefined {
  if (item.category !== 'lab') return undefined;
  return specimenClass(item.specimen) ?? nameSpecimen(item.name) ?? 'blood';
}
