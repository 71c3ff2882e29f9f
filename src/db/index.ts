/**
 * The one module that owns the SQLite connection: it opens the file, sets the pragmas, applies the committed
 * migrations and exports the `DB` type every repository takes.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type DB = BetterSQLite3Database<typeof schema>;
/** A transaction handle; repositories accept either. */
export type Tx = Parameters<Parameters<DB['transaction']>[0]>[0];
export type DbOrTx = DB | Tx;

export const DEFAULT_DATABASE_PATH = 'data/cmd-bot.sqlite';
const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

export interface DatabaseHandle {
  readonly db: DB;
  readonly sqlite: Database.Database;
  readonly path: string;
  close(): void;
}

export interface OpenOptions {
  /** Wait this long for another process's write lock before failing (ms). */
  readonly busyTimeoutMs?: number;
  /** Apply pending migrations (default true). */
  readonly migrate?: boolean;
}

export function openDatabase(
  path: string = DEFAULT_DATABASE_PATH,
  options: OpenOptions = {},
): DatabaseHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  // WAL lets readers go on while one writer commits; NORMAL is durable at each checkpoint and safe under WAL.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  const db = drizzle(sqlite, { schema });
  if (options.migrate !== false) migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return { db, sqlite, path, close: () => sqlite.close() };
}

export { schema };
