/**
 * Prepared statements for the queries on hot paths (the delay check, every click and submission). Building a
 * drizzle query and compiling its SQL costs far more than running it; a prepared one is built once per
 * connection. A transaction shares its database's session, so a statement prepared once serves both.
 */
import type Database from 'better-sqlite3';
import type { DbOrTx } from './index.js';

const caches = new WeakMap<object, Map<string, unknown>>();

export function prepared<T>(db: DbOrTx, name: string, build: () => T): T {
  // drizzle keeps the connection's session on the database and hands the same one to its transactions.
  const session = (db as unknown as { session: object }).session;
  let cache = caches.get(session);
  if (!cache) {
    cache = new Map();
    caches.set(session, cache);
  }
  let statement = cache.get(name) as T | undefined;
  if (statement === undefined) {
    statement = build();
    cache.set(name, statement);
  }
  return statement;
}

/** The connection under a drizzle database or transaction, for the few statements drizzle cannot prepare. */
export function connectionOf(db: DbOrTx): Database.Database {
  return (db as unknown as { session: { client: Database.Database } }).session.client;
}
