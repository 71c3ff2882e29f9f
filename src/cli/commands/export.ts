/** `cmd-bot export --format csv|json`: everything, history included, on stdout. */
import { type Command, Option } from 'commander';

export interface ExportOptions {
  readonly format: 'csv' | 'json';
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('Export the submissions and tickets, with their history, to stdout.')
    .addOption(
      new Option('--format <FORMAT>', 'csv: one row per submission and per ticket; json: everything')
        .choices(['csv', 'json'])
        .makeOptionMandatory(),
    )
    .addHelpText(
      'after',
      '\nCSV columns: id, kind, product, version, distribution, platform, status, deadline, security,\n' +
        'submitted_by, submitted_at, history (entries joined by " | "). JSON also holds the product cards and\n' +
        'the refused attempts.',
    )
    .action(async (options: ExportOptions) => {
      const { runExport } = await import('../actions/export.js');
      await runExport(options);
    });
}
