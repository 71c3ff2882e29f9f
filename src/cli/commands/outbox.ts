/** `cmd-bot outbox`: the notices not sent yet, the dead ones, and putting one back in line. */
import { type Command, InvalidArgumentError, Option } from 'commander';

export interface OutboxOptions {
  readonly dead?: boolean;
  readonly retry?: number;
  readonly json?: boolean;
}

/** Commander parser for `--retry ID`: the row's number, as the list shows it; not a number is exit 2. */
export function parseOutboxId(value: string): number {
  const text = value.trim();
  const id = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(id)) {
    throw new InvalidArgumentError(
      'Give the number of an outbox row, as cmd-bot outbox lists it, such as 12.',
    );
  }
  return id;
}

export function registerOutbox(program: Command): void {
  program
    .command('outbox')
    .description('List the notices waiting to be sent to Slack, or the dead ones, and re-queue one.')
    .addOption(new Option('--dead', 'list the notices given up on (dead), with their last error'))
    .addOption(
      new Option(
        '--retry <ID>',
        'send this dead or pending notice again at once, with a fresh count of attempts',
      )
        .argParser(parseOutboxId)
        .conflicts('dead'),
    )
    .option('--json', 'print the rows as JSON (times as ISO-8601 strings)')
    .addHelpText(
      'after',
      `
Three forms:
  cmd-bot outbox [--json]          the notices not sent yet (id, key, recipient, topic, attempts, next
                                   attempt, last error); the counts and the age of the oldest on stderr
  cmd-bot outbox --dead [--json]   the notices given up on after OUTBOX_MAX_ATTEMPTS, with their last error
  cmd-bot outbox --retry ID        put notice ID (dead or still pending) back in line, to be sent at once
                                   with a fresh count of attempts; a running bot picks it up at its next
                                   poll of the outbox (every few seconds). A notice already sent, or an
                                   unknown ID, is refused (exit 1).

Each notice is sent once. The one case it can be sent twice: the process dies between Slack accepting the
message and the row being marked sent. Before sending such a row again, cmd-bot looks for the message's key
in the channel's recent history and marks the row sent if it is there, which closes most of that window.`,
    )
    .action(async (options: OutboxOptions) => {
      const { runOutbox } = await import('../actions/outbox.js');
      await runOutbox(options);
    });
}
