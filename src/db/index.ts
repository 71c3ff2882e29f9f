/**
 * The one module that owns the SQLite connection: it opens the file, sets the pragmas, applies the committed
 * migrations and exports the `DB` type every repository takes.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { GroupCommit } from './group-commit.js';
import { applyMigrations } from './migrate.js';
import * as schema from './schema.js';
import { asUnusable, checkSchema, locationOf, probeWrite } from './usable.js';

export type DB = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

type Runner = Database.Transaction<(work: () => unknown) => unknown>;
const runners = new WeakMap<Database.Database, Runner>();
const groupCommits = new WeakMap<Database.Database, GroupCommit>();

/**
 * Runs `work` in one `BEGIN IMMEDIATE` transaction (better-sqlite3 transactions belong to the connection, so inside
 * it the database handle itself is the transaction): it commits when `work` returns and rolls back when it throws.
 * better-sqlite3's own transaction function is used because it prepares BEGIN and COMMIT once per connection
 * (drizzle's prepares them on every call, a third of the cost of a small use case). With group commit enabled
 * (the running bot), `work` runs in a savepoint of the turn's shared transaction instead: see group-commit.ts.
 */
export function immediate<T>(db: DB, work: (tx: DB) => T): T {
  const connection = db.$client;
  const runner = runners.get(connection) ?? newRunner(connection);
  const run = () => runner.immediate(() => work(db)) as T;
  const group = groupCommits.get(connection);
  return group ? group.run(run) : run();
}

function newRunner(connection: Database.Database): Runner {
  const runner: Runner = connection.transaction((inner: () => unknown) => inner());
  runners.set(connection, runner);
  return runner;
}

/** From now on the use cases on this connection share one commit per turn of the event loop. */
export function enableGroupCommit(db: DB): void {
  if (!groupCommits.has(db.$client)) groupCommits.set(db.$client, new GroupCommit(db.$client));
}

/**
 * Resolves when every write made so far on this connection is committed (at once without group commit).
 * Whatever tells the outside world about a change awaits this first.
 */
export function whenDurable(db: DB): Promise<void> {
  return groupCommits.get(db.$client)?.whenDurable() ?? Promise.resolve();
}

/**
 * Runs `work` when no transaction is open on this connection: with group commit, right after the turn's commit
 * (or now, when none is open); without it, now (its transactions never outlive a call). For work that may not run
 * inside a transaction, such as a checkpoint.
 */
export function betweenCommits(db: DB, work: () => void): void {
  const group = groupCommits.get(db.$client);
  if (group) group.betweenCommits(work);
  else work();
}

/**
 * Resolves when a read on this connection sees only committed data; call it right before such a read, with no
 * await in between (another use case may open a new group meanwhile, hence the loop).
 */
export async function onlyCommittedVisible(db: DB): Promise<void> {
  const group = groupCommits.get(db.$client);
  while (group?.pending) await group.whenDurable();
}

/**
 * Runs `read` once this connection shows only committed data, in the same tick as that check: after
 * `await onlyCommittedVisible()` the caller resumes a microtask later, when another use case may already have
 * opened a new shared transaction. A commit that fails meanwhile is news for its writers (whenDurable tells
 * them); the reader sees what is committed either way.
 */
export async function readCommitted<T>(db: DB, read: () => T): Promise<T> {
  const group = groupCommits.get(db.$client);
  while (group?.pending) await group.whenDurable().catch(() => {});
  return read();
}

export const DEFAULT_DATABASE_PATH = 'data/cmd-bot.sqlite';
const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

export interface DatabaseHandle {
  readonly db: DB;
  readonly sqlite: Database.Database;
  readonly path: string;
  /** How many migrations this open applied (0: the file was up to date, or `migrate: false`). */
  readonly migrationsApplied: number;
  close(): void;
}

export interface OpenOptions {
  /** Wait this long for another process's write lock before failing (ms). */
  readonly busyTimeoutMs?: number;
  /**
   * Apply pending migrations and check the file is one this code can use (default true). `false` opens the
   * file as it is, unchecked: for reading a copy, such as a backup.
   */
  readonly migrate?: boolean;
  /** Refuse a file a write to would fail (default true); `false` for callers that only read. */
  readonly write?: boolean;
}

/**
 * Opens the file, sets the pragmas, applies the migrations and checks the result. Throws a
 * DatabaseUnusableError (errors.ts), whose message names the file and what to do, when the file is read-only,
 * was used by a newer cmd-bot, or lacks a table or column the code uses.
 */
export function openDatabase(
  path: string = DEFAULT_DATABASE_PATH,
  options: OpenOptions = {},
): DatabaseHandle {
  const location = locationOf(path);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let sqlite: Database.Database | undefined;
  let migrationsApplied = 0;
  try {
    sqlite = new Database(path);
    configure(sqlite, options.busyTimeoutMs ?? 5000);
    if (options.migrate !== false) {
      migrationsApplied = applyMigrations(sqlite, MIGRATIONS_FOLDER, location);
      checkSchema(sqlite, location);
      if (options.write !== false) probeWrite(sqlite, location);
    }
  } catch (error) {
    sqlite?.close();
    throw asUnusable(error, location);
  }
  const db = drizzle(sqlite, { schema });
  return {
    db,
    sqlite,
    path,
    migrationsApplied,
    close: () => {
      groupCommits.get(sqlite)?.flush();
      sqlite.close();
    },
  };
}

function configure(sqlite: Database.Database, busyTimeoutMs: number): void {
  // First, so that every step after it (switching a new file to WAL too) waits for another process's lock.
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  // WAL lets readers go on while one writer commits; NORMAL is durable at each checkpoint and safe under WAL.
  switchToWal(sqlite, busyTimeoutMs);
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Savepoints (each use case in a group commit has one) keep their undo copies in a temporary file by default:
  // in memory they cost a fifth as much.
  sqlite.pragma('temp_store = MEMORY');
}

/**
 * How long the /healthz probe waits for another process's write lock. The bot's own writes wait longer (the
 * busy timeout), but a health check must not hold up the event loop that long; the longest transaction
 * measured here (the CLI's delay check of 10,000 due tickets) holds the lock 0.8 s.
 */
const HEALTH_PROBE_WAIT_MS = 1000;

/**
 * Throws when a write would fail now (for /healthz): see probeWrite in usable.ts. It never runs inside the
 * turn's shared transaction (group-commit.ts), where its BEGIN would fail and from where no ROLLBACK may ever
 * undo that turn's changes: it waits for that commit first, then probes before anything else can run.
 */
export async function probeWritable(handle: DatabaseHandle): Promise<void> {
  const group = groupCommits.get(handle.sqlite);
  // A failed commit is the news of an earlier turn, already told to whoever waited for it; the probe says how
  // things are now.
  while (group?.pending) await group.whenDurable().catch(() => {});
  probeWrite(handle.sqlite, locationOf(handle.path), HEALTH_PROBE_WAIT_MS);
}

/**
 * `journal_mode = WAL`, tried again while SQLite answers SQLITE_BUSY, until `timeoutMs`. When several processes
 * open a brand-new file together, the switch can answer SQLITE_BUSY at once, without waiting for busy_timeout
 * (seen with four processes on a loaded machine: one of them failed to start about once in thirty).
 */
function switchToWal(sqlite: Database.Database, timeoutMs: number): void {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    try {
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      const busy = error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY');
      if (!busy || Date.now() >= giveUpAt) throw error;
      // Opening happens once, at start-up: blocking 10 ms here is fine, and needs no async start.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

export * from './errors.js';
export { schema };
