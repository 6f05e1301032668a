import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { keysDir, loadKeys, type HubKeys } from './security/keys.ts';
import { buildHub } from './server.ts';
import { startAdminSocket } from './admin/socket.ts';
import type { HubLogOptions } from './ops/logging.ts';

export const DEFAULT_PORT = 8788;
export const DEFAULT_DATA_DIR = '.huren-hub';

export interface HubPlaces {
  /** Data folder: keys, PGlite's database (without a server), the admin socket. */
  dataDir: string;
  /** postgres://… (HUB_DATABASE_URL); unset: PGlite in `<data>/pglite`. */
  databaseUrl?: string;
}

export const pgliteDir = (dataDir: string) => join(dataDir, 'pglite');
export const adminSocketPath = (dataDir: string) => join(dataDir, 'admin.sock');
const lockPath = (dataDir: string) => join(dataDir, 'hub.pid');

export class DataFolderBusy extends Error {
  override name = 'DataFolderBusy';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PGlite's folder is one process's: a pid file claims it; one left by a killed hub is taken over. */
export function claimDataFolder(dataDir: string): () => void {
  const file = lockPath(dataDir);
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (pid && pid !== process.pid && alive(pid)) throw new DataFolderBusy(`hub process ${pid} is using ${dataDir}`);
  }
  writeFileSync(file, String(process.pid));
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file);
    } catch {
      // already gone
    }
  };
}

/** Opens the database and keys of a hub (migrated), for the server or a CLI command. */
export async function openHubStorage(places: HubPlaces): Promise<{ db: Database; keys: HubKeys; release: () => void }> {
  const dataDir = resolve(places.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const keys = loadKeys(keysDir(dataDir));
  const release = places.databaseUrl ? () => undefined : claimDataFolder(dataDir);
  try {
    const db = await openDatabase(places.databaseUrl ? { url: places.databaseUrl } : { dataDir: pgliteDir(dataDir) });
    await migrate(db);
    return { db, keys, release };
  } catch (err) {
    release();
    throw err;
  }
}

export interface RunningHub {
  url: string;
  engine: Database['engine'];
  publicKey: string;
  /** Stops taking requests, lets those in flight finish, then closes the database. */
  close(): Promise<void>;
}

export async function startHub(options: HubPlaces & { port?: number; host?: string; log?: HubLogOptions }): Promise<RunningHub> {
  const dataDir = resolve(options.dataDir);
  const { db, keys, release } = await openHubStorage({ ...options, dataDir });
  const { app, tokens, refresher } = buildHub({ db, keys, log: options.log, distributionDir: join(dataDir, 'distribution') });
  try {
    await app.listen({ port: options.port ?? DEFAULT_PORT, host: options.host ?? '127.0.0.1' });
  } catch (err) {
    await db.close();
    release();
    throw err;
  }
  const admin = await startAdminSocket(adminSocketPath(dataDir), { db, keys, tokens, refresher });
  // Dashboards current within seconds of ingestion (the goal: one minute).
  refresher.start();
  const { port, address } = app.server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    engine: db.engine,
    publicKey: keys.publicKey,
    close: () =>
      (closing ??= (async () => {
        await admin.close().catch(() => undefined);
        await refresher.stop();
        // A connection kept alive after its last answer would hold close() open for the keep-alive
        // timeout: close each one as soon as its request in flight is answered.
        const idle = setInterval(() => app.server.closeIdleConnections(), 50);
        try {
          await app.close();
        } finally {
          clearInterval(idle);
        }
        await db.close();
        release();
      })()),
  };
}
