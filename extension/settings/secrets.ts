import { HurenDb } from '../../shared/storage/db';

/**
 * Settings that are secrets: the platform's bearer token and the hub's ingest token. They are
 * not kept in storage.local with the other settings: the content script runs in every EMR page
 * and can read storage.local (and storage.managed). They live in the extension origin's
 * IndexedDB (HurenDb, table `secrets`), which only extension-origin documents open: the
 * background service worker and our top-level pages (options, statistics). A content script
 * opening IndexedDB gets the EMR page's origin, never this database. The sidebar, framed in the
 * EMR page (partitioned storage), asks the background for the platform token (storage-bridge).
 *
 * Policy values (storage.managed, e.g. a department's hubToken) stay where the browser puts them,
 * readable by content scripts: docs/deploy.md says what limits that.
 */
export const SECRET_KEYS = ['token', 'hubToken'] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];
/** As stored: unvalidated (readSettings validates each value, like the other local settings). */
export type Secrets = Partial<Record<SecretKey, unknown>>;

export const isSecretKey = (key: string): key is SecretKey => (SECRET_KEYS as readonly string[]).includes(key);

/** Where readSettings finds the locally set secrets: this document's IndexedDB, or the background's answer. */
export type SecretSource = () => Promise<Secrets>;

// One connection per context: a handle, not state.
let db: HurenDb | undefined;
const open = () => (db ??= new HurenDb());

/** The secrets stored in this extension-origin document's IndexedDB. */
export const readSecrets: SecretSource = async () => {
  const rows = await open().secrets.bulkGet([...SECRET_KEYS]);
  const secrets: Secrets = {};
  for (const row of rows) if (row && isSecretKey(row.key) && row.value !== undefined) secrets[row.key] = row.value;
  return secrets;
};

/** Stores the given secrets in one transaction; undefined deletes one. Other secrets are left as they were. */
export async function writeSecrets(patch: Partial<Record<SecretKey, unknown>>): Promise<void> {
  const database = open();
  await database.transaction('rw', database.secrets, async () => {
    for (const [key, value] of Object.entries(patch)) {
      if (!isSecretKey(key)) continue;
      if (value === undefined) await database.secrets.delete(key);
      else await database.secrets.put({ key, value });
    }
  });
}
