/**
 * Departments and physicians the hub has already recorded, so a batch inserts only names it has
 * not seen (most batches: none). Lost on restart, which only costs a few `on conflict do nothing`.
 */
export class KnownNames {
  private readonly seen = new Set<string>();

  /** The department and physician rows of `rows` not recorded yet, distinct, in a stable order (no lock-order deadlocks). */
  unseen(rows: readonly { hospital_id: string; department: string | null; physician: string | null }[]): {
    departments: { hospital_id: string; name: string }[];
    physicians: { hospital_id: string; name: string; department: string }[];
    keys: string[];
  } {
    const departments = new Map<string, { hospital_id: string; name: string }>();
    const physicians = new Map<string, { hospital_id: string; name: string; department: string }>();
    for (const r of rows) {
      if (r.department !== null) {
        const key = `d\u0000${r.hospital_id}\u0000${r.department}`;
        if (!this.seen.has(key)) departments.set(key, { hospital_id: r.hospital_id, name: r.department });
      }
      if (r.physician !== null) {
        const key = `p\u0000${r.hospital_id}\u0000${r.physician}\u0000${r.department ?? ''}`;
        if (!this.seen.has(key)) physicians.set(key, { hospital_id: r.hospital_id, name: r.physician, department: r.department ?? '' });
      }
    }
    const sorted = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
    return { departments: sorted(departments), physicians: sorted(physicians), keys: [...departments.keys(), ...physicians.keys()] };
  }

  /** After the transaction committed. */
  remember(keys: readonly string[]): void {
    for (const k of keys) this.seen.add(k);
  }
}
