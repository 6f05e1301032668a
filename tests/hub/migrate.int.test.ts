import { describe, expect, it } from 'vitest';
import { migrate, readMigrations, schemaVersion } from '../../hub/db/migrate.ts';
import { openDatabase } from '../../hub/db/database.ts';
import { ENGINES, freshDatabase } from './support.ts';

describe.each(ENGINES)('migrations on %s', (engine) => {
  it('apply once, in order, and refuse an applied migration that was edited', async () => {
    const { db, drop } = await freshDatabase(engine);
    try {
      const all = readMigrations();
      expect(await schemaVersion(db)).toBe(all.at(-1)!.version);
      expect((await migrate(db)).applied).toEqual([]);
      const edited = all.map((m, i) => (i === 0 ? { ...m, checksum: 'different' } : m));
      await expect(migrate(db, edited)).rejects.toThrow(/was changed after it was applied/);
    } finally {
      await drop();
    }
  });

  it('roll back a failing migration entirely', async () => {
    const { db, drop } = await freshDatabase(engine);
    try {
      const version = await schemaVersion(db);
      const bad = { version: 999, name: '999_bad', checksum: 'x', sql: 'create table half_done (x int); select no_such_function();' };
      await expect(migrate(db, [...readMigrations(), bad])).rejects.toThrow();
      expect(await schemaVersion(db)).toBe(version);
      expect((await db.query(`select to_regclass('half_done') as t`)).rows[0]).toEqual({ t: null });
    } finally {
      await drop();
    }
  });
});

it('a new PGlite database starts at version 0', async () => {
  const db = await openDatabase({});
  expect(await schemaVersion(db)).toBe(0);
  await db.close();
});
