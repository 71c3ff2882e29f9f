/**
 * Applies the committed migrations in drizzle/, keeping drizzle's own bookkeeping (the `__drizzle_migrations`
 * table, one row per migration with its hash and folder time), so drizzle-kit and older releases read it alike.
 *
 * Why not drizzle's `migrate()`: it reads which migrations are applied *before* it opens its (deferred)
 * transaction, so two processes opening the database at once (the bot restarting while an operator runs the
 * CLI, two replicas during a deploy) both see a migration as missing and both apply it: measured, the last
 * migration was recorded twice, and a migration that adds a column would stop the second process. Here the read
 * and the writes share one `BEGIN IMMEDIATE`: the second process waits for the first (busy_timeout), then finds
 * nothing left to do.
 */
import type Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';

const MIGRATIONS_TABLE = '__drizzle_migrations';

/** Returns how many migrations it applied. */
export function applyMigrations(sqlite: Database.Database, migrationsFolder: string): number {
  const migrations = readMigrationFiles({ migrationsFolder });
  const apply = sqlite.transaction(() => {
    // The same table drizzle creates.
    sqlite.exec(
      `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
    );
    const last = sqlite
      .prepare(`SELECT created_at FROM "${MIGRATIONS_TABLE}" ORDER BY created_at DESC LIMIT 1`)
      .pluck()
      .get() as number | string | undefined;
    const record = sqlite.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" ("hash", "created_at") VALUES (?, ?)`);
    let applied = 0;
    for (const migration of migrations) {
      if (last !== undefined && Number(last) >= migration.folderMillis) continue;
      for (const statement of migration.sql) if (statement.trim() !== '') sqlite.exec(statement);
      record.run(migration.hash, migration.folderMillis);
      applied++;
    }
    return applied;
  });
  return apply.immediate();
}
