/** What `cmd-bot backup` does: copy through SQLite's online backup API, check the copy, move it in place. */
import { existsSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { BackupOptions } from '../commands/backup.js';
import { plural } from '../format.js';
import { CliFailure, out, say } from '../io.js';
import { loadSettings, withReadOnlyRuntime } from '../runtime.js';

/**
 * The database and the files SQLite keeps beside it while it is in use. Writing over any of them destroys data
 * (a replaced write-ahead log loses every commit not yet copied into the database), so no --force allows it.
 */
const DATABASE_FILES = [
  { suffix: '', refusal: 'is the database itself; back it up to another file.' },
  { suffix: '-wal', refusal: "is the database's write-ahead log; back the database up to another file." },
  { suffix: '-shm', refusal: "is the database's shared-memory index; back the database up to another file." },
  {
    suffix: '-journal',
    refusal: "is the database's rollback journal; back the database up to another file.",
  },
] as const;

/** The file `path` names: through symbolic links where it exists, else its folder's real path and its name. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

/** Why `target` must not be written, when it is the database or one of its files (whether they exist or not). */
function databaseFileRefusal(target: string, databasePath: string): string | undefined {
  if (databasePath === ':memory:') return undefined;
  const wanted = realPath(target);
  // SQLite names the log after the database's real path, which differs from DATABASE_PATH when that is a link.
  const names = [databasePath, realPath(databasePath)];
  const file = DATABASE_FILES.find(({ suffix }) =>
    names.some((name) => realPath(`${name}${suffix}`) === wanted),
  );
  return file && `${target} ${file.refusal}`;
}

export async function runBackup(file: string, options: BackupOptions): Promise<void> {
  const target = resolve(file);
  // First: the other checks would suggest --force, which must not be the way to overwrite these.
  const settings = loadSettings();
  const refusal = databaseFileRefusal(target, settings.databasePath);
  if (refusal) throw new CliFailure(refusal);
  if (existsSync(target) && statSync(target).isDirectory()) {
    throw new CliFailure(`${target} is a folder; give the name of the file to write.`);
  }
  if (existsSync(target) && !options.force) {
    throw new CliFailure(`${target} exists already; choose another file, or add --force to overwrite it.`);
  }
  if (!existsSync(dirname(target))) {
    throw new CliFailure(`The folder ${dirname(target)} does not exist; create it first.`);
  }
  await withReadOnlyRuntime(
    async ({ handle }) => {
      // Written beside the target and renamed over it: the target is never a half-written copy.
      const partial = join(dirname(target), `.${basename(target)}.${process.pid}.partial`);
      try {
        await handle.sqlite.backup(partial);
        const copy = new Database(partial, { fileMustExist: true });
        try {
          // A backup is one self-contained file: no write-ahead log beside it.
          copy.pragma('journal_mode = DELETE');
          const check = copy.pragma('quick_check', { simple: true });
          if (check !== 'ok') throw new CliFailure(`The copy failed its integrity check: ${String(check)}.`);
          const count = (table: string) =>
            (copy.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
          say(
            `Backed up ${plural(count('submissions'), 'submission')} and ${plural(count('tickets'), 'ticket')}.`,
          );
        } finally {
          copy.close();
        }
        // A log left beside an overwritten database would be replayed into the new copy.
        for (const extra of ['-wal', '-shm', '-journal']) rmSync(`${target}${extra}`, { force: true });
        renameSync(partial, target);
      } finally {
        rmSync(partial, { force: true });
        for (const extra of ['-wal', '-shm', '-journal']) rmSync(`${partial}${extra}`, { force: true });
      }
      out(target);
    },
    { settings },
  );
}
