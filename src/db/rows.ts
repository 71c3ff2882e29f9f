/**
 * Reading whole rows of a table fast, for the lookups every request makes (a submission, a ticket, a product).
 * drizzle's own row mapping walks its query's selection tree for each row; here the table's columns are read
 * once and each row is mapped with the columns' own converters (JSON, timestamps, booleans), so the result is
 * exactly the row type drizzle would give.
 */
import type Database from 'better-sqlite3';
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';
import type { DbOrTx } from './index.js';
import { connectionOf, prepared } from './prepared.js';

interface RowReader<T extends Table> {
  /**
   * Prepared once per connection under `name`: `select <every column> from <table> where <condition>`
   * (the condition may end in an `order by`), returning each row as an array for `one` and `all`. With
   * `indexedBy`, SQLite must use that index (preparing fails if it cannot): for a partial index the planner would
   * pass over.
   */
  statement(db: DbOrTx, name: string, condition: string, indexedBy?: string): Database.Statement;
  /** A row as the statement's `get` returns it (undefined when there is none), as the table's row type. */
  one(values: unknown): T['$inferSelect'] | undefined;
  /** The rows as the statement's `all` returns them. */
  all(rows: unknown[]): T['$inferSelect'][];
}

export function rowReader<T extends Table>(table: T): RowReader<T> {
  const tableName = getTableName(table);
  const columns = Object.entries(getTableColumns(table));
  const selectList = columns.map(([, column]) => `"${column.name}"`).join(', ');
  return {
    statement: (db, name, condition, indexedBy) =>
      prepared(db, name, () =>
        connectionOf(db)
          .prepare(
            `select ${selectList} from "${tableName}"${indexedBy ? ` indexed by "${indexedBy}"` : ''} where ${condition}`,
          )
          .raw(true),
      ),
    one: (values) => (values === undefined ? undefined : read(values as unknown[])),
    all: (rows) => rows.map((values) => read(values as unknown[])),
  };

  function read(values: unknown[]): T['$inferSelect'] {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) {
      const [key, column] = columns[i] as (typeof columns)[number];
      const value = values[i];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as T['$inferSelect'];
  }
}
