/** `cmd-bot backup FILE`: a consistent copy of the live database, through SQLite's online backup API. */
import type { Command } from 'commander';

export interface BackupOptions {
  readonly force?: boolean;
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('Copy the database to FILE while it is in use (SQLite online backup) and print the path.')
    .argument('<FILE>', 'where to write the copy')
    .option('--force', 'overwrite FILE if it exists')
    .action(async (file: string, options: BackupOptions) => {
      const { runBackup } = await import('../actions/backup.js');
      await runBackup(file, options);
    });
}
