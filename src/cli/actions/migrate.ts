/** What `cmd-bot migrate` does. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase } from '../../db/index.js';
import { plural } from '../format.js';
import { out, say } from '../io.js';
import { loadSettings, openRuntime } from '../runtime.js';

const MIGRATIONS_TABLE = '__drizzle_migrations';

function countApplied(sqlite: ReturnType<typeof openDatabase>['sqlite']): number {
  const table = sqlite
    .prepare("select 1 from sqlite_master where type = 'table' and name = ?")
    .get(MIGRATIONS_TABLE);
  if (!table) return 0;
  return (sqlite.prepare(`select count(*) as n from ${MIGRATIONS_TABLE}`).get() as { n: number }).n;
}

/** How many migrations the file has recorded; 0 for a new or empty file. */
function appliedMigrations(path: string): number {
  if (path === ':memory:' || !existsSync(path)) return 0;
  const handle = openDatabase(path, { migrate: false });
  try {
    return countApplied(handle.sqlite);
  } finally {
    handle.close();
  }
}

export function runMigrate(): void {
  const settings = loadSettings();
  const before = appliedMigrations(settings.databasePath);
  const runtime = openRuntime(settings);
  try {
    const after = countApplied(runtime.handle.sqlite);
    say(
      after === before
        ? `The database is up to date (${plural(after, 'migration')}).`
        : `Applied ${plural(after - before, 'migration')}; the database is up to date (${plural(after, 'migration')}).`,
    );
    out(settings.databasePath === ':memory:' ? ':memory:' : resolve(settings.databasePath));
  } finally {
    runtime.handle.close();
  }
}
