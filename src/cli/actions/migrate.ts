/** What `cmd-bot migrate` does. */
import { plural } from '../format.js';
import { out, say } from '../io.js';
import { databaseLocation, loadSettings, openRuntime } from '../runtime.js';

export function runMigrate(): void {
  const settings = loadSettings();
  const runtime = openRuntime(settings);
  try {
    // What this open applied, counted inside its own transaction: another process migrating at the same moment
    // cannot make it wrong, as counting before and after would.
    const applied = runtime.handle.migrationsApplied;
    const total = (
      runtime.handle.sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }
    ).n;
    say(
      applied === 0
        ? `The database is up to date (${plural(total, 'migration')}).`
        : `Applied ${plural(applied, 'migration')}; the database is up to date (${plural(total, 'migration')}).`,
    );
    out(databaseLocation(settings));
  } finally {
    runtime.handle.close();
  }
}
