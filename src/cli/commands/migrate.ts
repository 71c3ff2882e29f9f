/** `cmd-bot migrate`: create the database or bring it up to date, and say where it is. */
import type { Command } from 'commander';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Create the database, or apply the migrations it lacks, and print its path.')
    .addHelpText(
      'after',
      '\nThe database is the file named by DATABASE_PATH (default data/cmd-bot.sqlite). Every command applies\n' +
        'pending migrations when it opens the database; migrate does only that.',
    )
    .action(async () => {
      const { runMigrate } = await import('../actions/migrate.js');
      runMigrate();
    });
}
