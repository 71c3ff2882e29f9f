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
import { type MigrationMeta, readMigrationFiles } from 'drizzle-orm/migrator';
import { DatabaseTooNewError } from './errors.js';

const MIGRATIONS_TABLE = '__drizzle_migrations';

/**
 * Returns how many migrations it applied. Throws DatabaseTooNewError, applying nothing, when the file records a
 * migration this code does not carry. `location` names the file in that message.
 */
export function applyMigrations(
  sqlite: Database.Database,
  migrationsFolder: string,
  location: string,
): number {
  const migrations = readMigrationFiles({ migrationsFolder });
  const apply = sqlite.transaction(() => {
    // The same table drizzle creates.
    sqlite.exec(
      `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
    );
    refuseUnknownMigrations(sqlite, migrations, location);
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

/**
 * A recorded migration this code does not carry means a newer cmd-bot has used the file: its tables may hold
 * what this code would misread or break, and since drizzle only applies migrations newer than the newest
 * recorded, nothing would even be noticed. Migrations are known by their folder time (`created_at`), as drizzle
 * knows them; the hash is not compared, since it changes with the file's line endings.
 */
function refuseUnknownMigrations(
  sqlite: Database.Database,
  migrations: readonly MigrationMeta[],
  location: string,
): void {
  const known = new Set(migrations.map((migration) => migration.folderMillis));
  const recorded = sqlite
    .prepare(`SELECT created_at FROM "${MIGRATIONS_TABLE}" ORDER BY created_at DESC`)
    .pluck()
    .all() as (number | string | null)[];
  // Newest first, so the message names the newest migration the file has.
  const unknown = recorded.find((createdAt) => !known.has(Number(createdAt)));
  if (unknown === undefined) return;
  // The code cannot know the newer migration's name; its time says which release made it.
  const made = new Date(Number(unknown));
  const name =
    unknown !== null && made.getTime() > 0
      ? `${made.getTime()}, made ${made.toISOString()}`
      : String(unknown);
  throw new DatabaseTooNewError(location, name);
}
