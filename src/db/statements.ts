/**
 * The SQL that is written by hand, for the statements every request or delay check runs (a submission's insert,
 * a ticket's new state, its history row, its notices, the lookups by id). drizzle's query builder builds and
 * SQLite compiles a statement on every call, which costs far more than running it; these are prepared once per
 * connection and kept.
 *
 * Nothing here is a copy of schema.ts: column names and value conversions (JSON, timestamps, booleans, the outbox
 * payload) come from the table's own columns (`getTableColumns`), and the keys a statement takes are the table's
 * own property names, which the compiler checks. Everything else is written with drizzle's query builder.
 */
import type Database from 'better-sqlite3';
import { type Column, getTableColumns, getTableName, type Table } from 'drizzle-orm';
import type { DB } from './index.js';

const caches = new WeakMap<Database.Database, Map<string, unknown>>();
const rawCaches = new WeakMap<Database.Database, Map<string, unknown>>();

function cacheOf(caches: WeakMap<Database.Database, Map<string, unknown>>, db: DB): Map<string, unknown> {
  let cache = caches.get(db.$client);
  if (!cache) {
    cache = new Map();
    caches.set(db.$client, cache);
  }
  return cache;
}

function cachedIn<T>(cache: Map<string, unknown>, key: string, build: () => T): T {
  let value = cache.get(key) as T | undefined;
  if (value === undefined) {
    value = build();
    cache.set(key, value);
  }
  return value;
}

/**
 * What `build` makes (a prepared statement, drizzle's or better-sqlite3's), built once per connection under `key`.
 * A transaction runs on its database's connection, so it shares them.
 */
export function cachedOn<T>(db: DB, key: string, build: () => T): T {
  return cachedIn(cacheOf(caches, db), key, build);
}

/**
 * `sql` prepared once per connection; `raw` returns rows as arrays (for rowReader). The SQL itself is the key,
 * raw statements in a cache of their own: a key built on each call (a new string of a few hundred characters)
 * is hashed again on each lookup, about a microsecond.
 */
export function preparedOn(db: DB, sql: string, raw = false): Database.Statement {
  return cachedIn(cacheOf(raw ? rawCaches : caches, db), sql, () => {
    const statement = db.$client.prepare(sql);
    return raw ? statement.raw(true) : statement;
  });
}

type Columns = Record<string, Column>;

const toDriver = (column: Column, value: unknown) =>
  value === null || value === undefined ? null : column.mapToDriverValue(value);

function columnsOf(table: Table): Columns {
  return getTableColumns(table) as Columns;
}

function columnName(columns: Columns, key: string): string {
  const column = columns[key];
  if (!column) throw new Error(`no column ${key}`);
  return `"${column.name}"`;
}

/**
 * An insert of the columns `keys` (the table's property names) into `table`; with `ignoreConflicts`, a row whose
 * unique key exists already is left as it is (`on conflict do nothing`).
 */
export function inserter<T extends Table, K extends keyof T['$inferInsert'] & string>(
  table: T,
  keys: readonly K[],
  options: { readonly ignoreConflicts?: boolean } = {},
) {
  const columns = columnsOf(table);
  const sql =
    `insert into "${getTableName(table)}" (${keys.map((key) => columnName(columns, key)).join(', ')}) ` +
    `values (${keys.map(() => '?').join(', ')})${options.ignoreConflicts ? ' on conflict do nothing' : ''}`;
  const keyColumns = keys.map((key) => columns[key] as Column);
  // Positional parameters in an array: binding named ones from an object built on each call made every submission
  // about 60 µs slower under load (bot CPU 415 against 357 µs a request, bench/tmp A/B on 2026-12-02).
  return (db: DB, values: Pick<T['$inferInsert'], K>): Database.RunResult => {
    const params: unknown[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) params[i] = toDriver(keyColumns[i] as Column, values[keys[i] as K]);
    return preparedOn(db, sql).run(params);
  };
}

/** An update of the columns `set` of the rows matching every column of `where` (by equality). */
export function updater<
  T extends Table,
  S extends keyof T['$inferInsert'] & string,
  W extends keyof T['$inferSelect'] & string,
>(table: T, set: readonly S[], where: readonly W[]) {
  const columns = columnsOf(table);
  const sql =
    `update "${getTableName(table)}" set ${set.map((key) => `${columnName(columns, key)} = ?`).join(', ')} ` +
    `where ${where.map((key) => `${columnName(columns, key)} = ?`).join(' and ')}`;
  const setColumns = set.map((key) => columns[key] as Column);
  const whereColumns = where.map((key) => columns[key] as Column);
  return (
    db: DB,
    values: Pick<T['$inferInsert'], S>,
    match: Pick<T['$inferSelect'], W>,
  ): Database.RunResult => {
    const params: unknown[] = new Array(set.length + where.length);
    for (let i = 0; i < set.length; i++) params[i] = toDriver(setColumns[i] as Column, values[set[i] as S]);
    for (let i = 0; i < where.length; i++) {
      params[set.length + i] = toDriver(whereColumns[i] as Column, match[where[i] as W]);
    }
    return preparedOn(db, sql).run(params);
  };
}

interface RowReader<T extends Table> {
  /**
   * Prepared once per connection: `select <every column> from <table> where <condition>` (the condition may end
   * in an `order by`), returning each row as an array for `one` and `all`. With `indexedBy`, SQLite must use that
   * index (preparing fails if it cannot): for a partial index the planner would pass over.
   */
  statement(db: DB, condition: string, indexedBy?: string): Database.Statement;
  /** A row as the statement's `get` returns it (undefined when there is none), as the table's row type. */
  one(values: unknown): T['$inferSelect'] | undefined;
  /** The rows as the statement's `all` returns them. */
  all(rows: unknown[]): T['$inferSelect'][];
}

/**
 * Reading whole rows of a table fast, for the lookups every request makes (a submission, a ticket, a product).
 * drizzle's own row mapping walks its query's selection tree for each row; here each row is mapped with the
 * columns' own converters, so the result is exactly the row type drizzle would give.
 */
export function rowReader<T extends Table>(table: T): RowReader<T> {
  const tableName = getTableName(table);
  const columns = Object.entries(getTableColumns(table));
  const selectList = columns.map(([, column]) => `"${column.name}"`).join(', ');
  const read = (values: unknown[]): T['$inferSelect'] => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) {
      const [key, column] = columns[i] as (typeof columns)[number];
      const value = values[i];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as T['$inferSelect'];
  };
  // Each condition's SQL built once, so that preparedOn finds its statement by the same string every time.
  const sqlOf = new Map<string, string>();
  return {
    statement: (db, condition, indexedBy) => {
      const key = indexedBy ? `${condition}\u0000${indexedBy}` : condition;
      let sql = sqlOf.get(key);
      if (sql === undefined) {
        sql = `select ${selectList} from "${tableName}"${indexedBy ? ` indexed by "${indexedBy}"` : ''} where ${condition}`;
        sqlOf.set(key, sql);
      }
      return preparedOn(db, sql, true);
    },
    one: (values) => (values === undefined ? undefined : read(values as unknown[])),
    all: (rows) => rows.map((values) => read(values as unknown[])),
  };
}
