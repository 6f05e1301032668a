import type { Problem } from './problems.ts';
import type { RulePack } from './schema/rule-pack.ts';
import { normalizeItemName, normalizeMark } from './match/normalize-name.ts';
import { itemSpecimenClass, specimenClass, specimensConflict } from './match/specimen.ts';

/**
 * 交叉校验: what a schema cannot see — ids used once, references that resolve, names and codes
 * that would make matching ambiguous. Every problem names the JSON path to fix.
 */
export function crossCheck(pack: RulePack): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  const sourceIds = uniqueIds(pack.meta.sources.map((s) => s.id), 'meta.sources', 'id', add);
  const checkSource = (id: string | undefined, path: string) => {
    if (id !== undefined && !sourceIds.has(id)) add(path, `unknown source id "${id}" (not in meta.sources)`);
  };

  if (pack.meta.effectiveUntil !== undefined && pack.meta.effectiveUntil < pack.meta.effectiveFrom) {
    add('meta.effectiveUntil', 'effectiveUntil is before effectiveFrom');
  }

  const regions = uniqueIds(pack.regions.map((r) => r.name), 'regions', 'name', add);
  const checkRegion = (name: string, path: string) => {
    if (!regions.has(name)) add(path, `unknown region "${name}" (declare it in regions)`);
  };
  checkRegion(pack.meta.region, 'meta.region');
  const parent = new Map(pack.regions.map((r) => [r.name, r.within]));
  pack.regions.forEach((r, i) => {
    if (r.within === undefined) return;
    checkRegion(r.within, `regions[${i}].within`);
    const seen = new Set([r.name]);
    for (let up: string | undefined = r.within; up !== undefined; up = parent.get(up)) {
      if (seen.has(up)) {
        add(`regions[${i}].within`, `region "${r.name}" lies within itself (cycle)`);
        break;
      }
      seen.add(up);
    }
  });

  const markNames = new Map<string, number>();
  pack.marks.forEach((m, i) => {
    checkRegion(m.region, `marks[${i}].region`);
    for (const label of [m.label, ...m.aliases]) {
      const key = normalizeMark(label);
      const prior = markNames.get(key);
      if (prior !== undefined && prior !== i) add(`marks[${i}]`, `mark "${label}" is also marks[${prior}]`);
      markNames.set(key, i);
    }
  });
  const checkMark = (label: string, path: string) => {
    if (!markNames.has(normalizeMark(label))) add(path, `unknown mark "${label}" (not in marks)`);
  };

  const flags = uniqueIds(pack.flags.map((f) => f.code), 'flags', 'code', add);
  const checkFlags = (codes: readonly string[] | undefined, path: string) => {
    codes?.forEach((c, j) => {
      if (!flags.has(c)) add(`${path}[${j}]`, `unknown flag "${c}" (not in flags)`);
    });
  };

  checkSource(pack.defaults.source, 'defaults.source');
  const itemIds = uniqueIds(pack.catalog.map((c) => c.id), 'catalog', 'id', add);
  const groups = new Set(pack.catalog.map((c) => c.group));
  const codeOwner = new Map<string, number>();
  const nameOwner = new Map<string, number>();
  pack.catalog.forEach((item, i) => {
    item.codes.forEach((c, j) => {
      const key = `${c.system}|${c.code}`;
      const prior = codeOwner.get(key);
      if (prior !== undefined) add(`catalog[${i}].codes[${j}]`, `code ${c.system}|${c.code} is also on catalog[${prior}]`);
      else codeOwner.set(key, i);
    });
    [item.name, ...item.aliases].forEach((name, j) => {
      const key = normalizeItemName(name);
      const path = j === 0 ? `catalog[${i}].name` : `catalog[${i}].aliases[${j - 1}]`;
      if (key === '') return add(path, `name "${name}" is empty after normalization`);
      const prior = nameOwner.get(key);
      if (prior !== undefined && prior !== i) add(path, `name "${name}" also names catalog[${prior}] (ambiguous match)`);
      else nameOwner.set(key, i);
    });
    item.sources.forEach((s, j) => checkSource(s, `catalog[${i}].sources[${j}]`));
    item.negativeConditions.forEach((n, j) => {
      checkFlags(n.when.anyFlag, `catalog[${i}].negativeConditions[${j}].when.anyFlag`);
      checkSource(n.source, `catalog[${i}].negativeConditions[${j}].source`);
    });
  });
  const checkItems = (ids: readonly string[] | undefined, path: string) => {
    ids?.forEach((id, j) => {
      if (!itemIds.has(id)) add(`${path}[${j}]`, `unknown catalog item id "${id}"`);
    });
  };
  const checkGroups = (names: readonly string[] | undefined, path: string) => {
    names?.forEach((g, j) => {
      if (!groups.has(g)) add(`${path}[${j}]`, `unknown group "${g}" (no catalog item has it)`);
    });
  };

  const allianceIds = uniqueIds(pack.alliances.map((a) => a.id), 'alliances', 'id', add);
  uniqueIds(pack.institutions.map((x) => x.id), 'institutions', 'id', add);
  const identifierOwner = new Map<string, number>();
  pack.catalog.forEach((item, i) => {
    checkItems(item.members, `catalog[${i}].members`);
    if (item.members.includes(item.id)) add(`catalog[${i}].members`, `item "${item.id}" lists itself as a member`);
  });
  pack.institutions.forEach((inst, i) => {
    const at = `institutions[${i}]`;
    checkRegion(inst.region, `${at}.region`);
    inst.identifiers.forEach((idf, j) => {
      const key = `${idf.system ?? ''}|${idf.value}`;
      const prior = identifierOwner.get(key);
      if (prior !== undefined && prior !== i) add(`${at}.identifiers[${j}]`, `identifier ${idf.value} is also on institutions[${prior}]`);
      else identifierOwner.set(key, i);
    });
    inst.alliances.forEach((a, j) => {
      if (!allianceIds.has(a)) add(`${at}.alliances[${j}]`, `unknown alliance id "${a}"`);
    });
    inst.qualifications.forEach((q, j) => {
      checkItems(q.items, `${at}.qualifications[${j}].items`);
      checkGroups(q.groups, `${at}.qualifications[${j}].groups`);
      checkMark(q.mark, `${at}.qualifications[${j}].mark`);
      checkSource(q.source, `${at}.qualifications[${j}].source`);
    });
  });

  checkSource(pack.policy.source, 'policy.source');
  pack.policy.acceptedMarks.forEach((a, i) => {
    checkMark(a.mark, `policy.acceptedMarks[${i}].mark`);
    checkSource(a.source, `policy.acceptedMarks[${i}].source`);
  });

  uniqueIds(pack.negativeList.map((n) => n.id), 'negativeList', 'id', add);
  pack.negativeList.forEach((n, i) => {
    checkItems(n.items, `negativeList[${i}].items`);
    checkGroups(n.groups, `negativeList[${i}].groups`);
    checkFlags(n.when?.anyFlag, `negativeList[${i}].when.anyFlag`);
    checkSource(n.source, `negativeList[${i}].source`);
  });

  uniqueIds(pack.retestReasons.map((r) => r.code), 'retestReasons', 'code', add);

  const institutionIds = new Set(pack.institutions.map((x) => x.id));
  const itemsById = new Map(pack.catalog.map((c) => [c.id, c]));
  const mapsByIssuer = new Map<string, number>();
  pack.codeMaps.forEach((map, i) => {
    const at = `codeMaps[${i}]`;
    if (!institutionIds.has(map.issuer)) add(`${at}.issuer`, `unknown institution id "${map.issuer}"`);
    const prior = mapsByIssuer.get(map.issuer);
    if (prior !== undefined) add(`${at}.issuer`, `issuer "${map.issuer}" already has codeMaps[${prior}] (one map per issuer)`);
    else mapsByIssuer.set(map.issuer, i);
    const codes = new Map<string, number>();
    map.entries.forEach((e, j) => {
      const first = codes.get(e.code);
      if (first !== undefined) add(`${at}.entries[${j}].code`, `code "${e.code}" is also entries[${first}]`);
      else codes.set(e.code, j);
      if (e.item === undefined) return;
      const item = itemsById.get(e.item);
      if (!item) return add(`${at}.entries[${j}].item`, `unknown catalog item id "${e.item}"`);
      // Never across specimens: a urine line cannot be the serum item.
      if (specimensConflict(specimenClass(e.specimen), itemSpecimenClass(item))) {
        add(`${at}.entries[${j}].item`, `specimen "${e.specimen}" differs from catalog item "${item.id}" (${item.specimen ?? itemSpecimenClass(item)})`);
      }
    });
  });
  return problems;
}

function uniqueIds(
  ids: readonly string[],
  listPath: string,
  field: string,
  add: (path: string, message: string) => void,
): Set<string> {
  const first = new Map<string, number>();
  ids.forEach((id, i) => {
    const prior = first.get(id);
    if (prior !== undefined) add(`${listPath}[${i}].${field}`, `duplicate ${field} "${id}" (first at ${listPath}[${prior}])`);
    else first.set(id, i);
  });
  return new Set(ids);
}
