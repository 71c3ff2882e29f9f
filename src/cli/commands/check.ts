/** `cmd-bot check`: the delay check (normally run by the scheduler), by hand. */
import { type Command, InvalidArgumentError } from 'commander';

export interface CheckOptions {
  readonly at?: string;
  readonly dryRun?: boolean;
  readonly allowFuture?: boolean;
  readonly json?: boolean;
}

export const AT_HELP =
  'Give an ISO-8601 time such as 2027-03-10T23:00:00Z (without an offset it is read in CMD_TIMEZONE).';

/** The shape of an ISO-8601 date or date-time; the action checks the calendar (month 13, 25:00). */
const ISO_TIME =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}(?::?\d{2}(?::?\d{2}(?:[.,]\d+)?)?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export function parseIsoArgument(text: string): string {
  if (!ISO_TIME.test(text.trim())) throw new InvalidArgumentError(AT_HELP);
  return text.trim();
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('Run the delay check: delay the tickets past their limit and flag overdue injections.')
    .option('--at <ISO-TIME>', 'check as of this time instead of now', parseIsoArgument)
    .option('--dry-run', 'say what would change, and write nothing')
    .option(
      '--allow-future',
      'with --at more than a minute ahead, really write: future-dated history, and notices queued for Slack',
    )
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nA check --at a time more than a minute ahead is a dry run unless --allow-future is given: written, it\n' +
        'would delay tickets before their time and queue the notices for Slack at once.',
    )
    .action(async (options: CheckOptions, command: Command) => {
      const { runCheck } = await import('../actions/check.js');
      await runCheck(options, command);
    });
}
