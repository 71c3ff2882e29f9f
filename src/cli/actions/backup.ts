/** What `cmd-bot backup` does: copy through SQLite's online backup API, check the copy, move it in place. */
import { existsSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { BackupOptions } from '../commands/backup.js';
import { plural } from '../format.js';
import { CliFailure, out, say } from '../io.js';
import { withRuntime } from '../runtime.js';

const sameFile = (a: string, b: string) => {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return resolve(a) === resolve(b);
  }
};

export async function runBackup(file: string, options: BackupOptions): Promise<void> {
  const target = resolve(file);
  if (existsSync(target) && statSync(target).isDirectory()) {
    throw new CliFailure(`${target} is a folder; give the name of the file to write.`);
  }
  if (existsSync(target) && !options.force) {
    throw new CliFailure(`${target} exists already; choose another file, or add --force to overwrite it.`);
  }
  if (!existsSync(dirname(target))) {
    throw new CliFailure(`The folder ${dirname(target)} does not exist; create it first.`);
  }
  await withRuntime(
    async ({ handle }) => {
      if (existsSync(target) && sameFile(target, handle.path)) {
        throw new CliFailure(`${target} is the database itself; back it up to another file.`);
      }
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
    { mustExist: true },
  );
}
