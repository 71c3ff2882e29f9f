/**
 * Whether an opened database is one this code can use: it has the tables and columns the code reads and writes,
 * and a write would succeed now. `openDatabase` runs both after the migrations (migrate.ts refuses a newer
 * cmd-bot's database); /healthz runs the write probe. Both cost microseconds, not an integrity check.
 */
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { DatabaseNotWritableError, DatabaseSchemaMismatchError } from './errors.js';
import * as schema from './schema.js';

/** How messages name the file: absolute, so an operator finds it whatever the working directory was. */
export function locationOf(path: string): string {
  return path === ':memory:' ? path : resolve(path);
}

/** SQLite's answers when the file, its folder or its -wal/-shm files cannot be opened for writing. */
const NOT_WRITABLE = /^SQLITE_(READONLY|CANTOPEN|PERM)/;

/** The operator's version of an error SQLite gave while opening or probing `location`; others as they are. */
export function asUnusable(error: unknown, location: string): unknown {
  if (error instanceof Database.SqliteError && NOT_WRITABLE.test(error.code)) {
    return new DatabaseNotWritableError(location, error.message, { cause: error });
  }
  return error;
}

/** Every table in schema.ts, with the names of the columns the code uses. */
const EXPECTED_COLUMNS: ReadonlyMap<string, readonly string[]> = new Map(
  (Object.values(schema) as unknown[])
    .filter((value): value is SQLiteTable => is(value, SQLiteTable))
    .map((table) => [
      getTableName(table),
      Object.values(getTableColumns(table)).map((column) => column.name),
    ]),
);

/**
 * Refuses a file that lacks a table or column the code uses although its migrations are recorded (a column
 * renamed by hand, a table dropped): otherwise the bot would start and fail on the first statement that needs
 * it. Columns the code does not know are allowed: nothing here reads them, and a newer cmd-bot's additions are
 * refused by their migration already.
 */
export function checkSchema(sqlite: Database.Database, location: string): void {
  const rows = sqlite
    .prepare(
      "SELECT m.name AS tableName, c.name AS columnName FROM sqlite_schema AS m, pragma_table_info(m.name) AS c WHERE m.type = 'table'",
    )
    .all() as { tableName: string; columnName: string }[];
  const present = new Map<string, Set<string>>();
  for (const { tableName, columnName } of rows) {
    const columns = present.get(tableName) ?? new Set<string>();
    columns.add(columnName);
    present.set(tableName, columns);
  }
  const missing: string[] = [];
  for (const [table, columns] of EXPECTED_COLUMNS) {
    const found = present.get(table);
    if (!found) missing.push(`table ${table}`);
    else for (const column of columns) if (!found.has(column)) missing.push(`column ${table}.${column}`);
  }
  if (missing.length > 0) throw new DatabaseSchemaMismatchError(location, missing);
}

interface ProbeStatements {
  readonly begin: Database.Statement;
  readonly write: Database.Statement;
  readonly rollback: Database.Statement;
}
const probeStatements = new WeakMap<Database.Database, ProbeStatements>();

function statementsFor(sqlite: Database.Database): ProbeStatements {
  let statements = probeStatements.get(sqlite);
  if (!statements) {
    statements = {
      begin: sqlite.prepare('BEGIN IMMEDIATE'),
      write: sqlite.prepare('INSERT OR REPLACE INTO write_probe (id) VALUES (1)'),
      rollback: sqlite.prepare('ROLLBACK'),
    };
    probeStatements.set(sqlite, statements);
  }
  return statements;
}

/**
 * Throws when a write on this connection would fail now; a DatabaseNotWritableError when the file is read-only.
 * It takes the write lock, writes a row and rolls back: nothing reaches the file, and nothing is left behind.
 * A transaction already open on the connection is never touched: BEGIN fails first, and only a transaction the
 * probe began is rolled back. `waitMs` bounds the wait for another process's write lock (default: the
 * connection's busy timeout).
 */
export function probeWrite(sqlite: Database.Database, location: string, waitMs?: number): void {
  const { begin, write, rollback } = statementsFor(sqlite);
  const busyTimeout =
    waitMs === undefined ? undefined : (sqlite.pragma('busy_timeout', { simple: true }) as number);
  if (waitMs !== undefined) sqlite.pragma(`busy_timeout = ${waitMs}`);
  try {
    begin.run();
    try {
      write.run();
    } finally {
      // SQLite may have rolled back on its own already (a full disk, an I/O error).
      if (sqlite.inTransaction) rollback.run();
    }
  } catch (error) {
    throw asUnusable(error, location);
  } finally {
    if (busyTimeout !== undefined) sqlite.pragma(`busy_timeout = ${busyTimeout}`);
  }
}
