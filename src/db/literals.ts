/**
 * Status values written into SQL as literals instead of bound parameters. SQLite recompiles a prepared statement
 * on every run when a value bound in its WHERE clause could change which partial index applies (and several
 * indexes here are partial on `status`): `status = ?` with 'solved' bound cost a join 30–80 µs a call, the same
 * statement with `'solved'` written in 4 µs. The values are the domain's own status names, never user input.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

const STATUS_NAME = /^[a-z_]+$/;

/** `'a', 'b'` for an `in (…)` list (not empty); refuses anything but a status name, so nothing can be injected. */
export function literalList(values: readonly string[]): string {
  if (values.length === 0) throw new Error('an `in ()` list needs at least one status');
  return values
    .map((value) => {
      if (!STATUS_NAME.test(value)) throw new Error(`not a status name: ${JSON.stringify(value)}`);
      return `'${value}'`;
    })
    .join(', ');
}

/** `column in ('a', 'b')`, with the statuses written in the SQL; no statuses match nothing (as drizzle's `inArray`). */
export function statusIn(column: SQLiteColumn, statuses: readonly string[]): SQL {
  return statuses.length === 0 ? sql`0` : sql`${column} in (${sql.raw(literalList(statuses))})`;
}

/** `column not in ('a', 'b')`, with the statuses written in the SQL. */
export function statusNotIn(column: SQLiteColumn, statuses: readonly string[]): SQL {
  return statuses.length === 0 ? sql`1` : sql`${column} not in (${sql.raw(literalList(statuses))})`;
}
