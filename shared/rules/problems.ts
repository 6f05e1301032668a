/** A problem found in a pack or a case, with the JSON path hospital IT can go to. */
export interface Problem {
  /** e.g. catalog[3].timeLimitDays */
  path: string;
  message: string;
}

/** Render a zod/JSON path as catalog[3].timeLimitDays. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const name = String(key);
      const plain = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
      if (plain) out += out === '' ? name : `.${name}`;
      else out += `[${JSON.stringify(name)}]`;
    }
  }
  return out === '' ? '(root)' : out;
}
