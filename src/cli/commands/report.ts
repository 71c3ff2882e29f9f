/** `cmd-bot report --from DATE --to DATE [--format md|csv|json]`: the process report for operations meetings. */
import { type Command, InvalidArgumentError, Option } from 'commander';

export interface ReportOptions {
  readonly from: string;
  readonly to: string;
  readonly format: 'md' | 'csv' | 'json';
  readonly chart?: string;
}

const DATE_HELP = 'Give a date written YYYY-MM-DD, such as 2027-03-01 (a day in CMD_TIMEZONE).';

/** The shape of a date; the action checks the calendar (2027-02-30). */
function parseDateArgument(text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text.trim())) throw new InvalidArgumentError(DATE_HELP);
  return text.trim();
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'Report on the process between two days: per stage, how many went through, within the limit, time taken and delays; delays by explanation; per product; what is open and overdue.',
    )
    .requiredOption('--from <DATE>', 'the first day, YYYY-MM-DD', parseDateArgument)
    .requiredOption('--to <DATE>', 'the last day, included, YYYY-MM-DD', parseDateArgument)
    .addOption(
      new Option('--format <FORMAT>', 'md: Markdown tables; csv: one table for a spreadsheet; json: exact')
        .choices(['md', 'csv', 'json'])
        .default('md'),
    )
    .option(
      '--chart <FILE>',
      'also write the chart of the period month by month (share within the limit, median time per stage): PNG, or SVG when FILE ends in .svg',
    )
    .addHelpText(
      'after',
      '\nDays are counted in CMD_TIMEZONE, from the start of --from to the end of --to. An item went through a\n' +
        'stage when it left the stage in that time; time waiting for the provider is not counted, as the clocks\n' +
        'do not count it. Definitions: docs/reports.md.',
    )
    .action(async (options: ReportOptions, command: Command) => {
      const { runReport } = await import('../actions/report.js');
      await runReport(options, command);
    });
}
