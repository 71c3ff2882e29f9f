/** `cmd-bot release create|show|publish|cancel|add|remove|export`: the release train from the command line. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseSubjectId } from '../../domain/ids.js';
import { parseSlackUser } from '../io.js';

function parseTicketArgument(value: string): number {
  const subject = parseSubjectId(value);
  if (subject?.kind !== 'ticket') throw new InvalidArgumentError('Give a ticket id, such as TKT-3.');
  return subject.id;
}

export interface ReleaseCreateOptions {
  readonly date: string;
  readonly security?: boolean;
  readonly by?: string;
}

export interface ReleaseChangeOptions {
  readonly notes?: string;
  readonly reason?: string;
  readonly by?: string;
}

export interface ReleaseShowOptions {
  readonly json?: boolean;
}

export interface ReleaseExportOptions {
  readonly format: 'json' | 'md';
  readonly productsDir?: string;
}

export function registerRelease(program: Command): void {
  const release = program
    .command('release')
    .description('Plan numbered UMD/CMD releases and see what goes into them.');

  release
    .command('create')
    .description('Plan a release, such as UMD-5.1.0; its contents freeze RELEASE_CUTOFF before its date.')
    .argument('<NAME>', 'the distribution and version, such as UMD-5.1.0 or CMD-OS-1.4.0')
    .requiredOption('--date <DATE>', 'the release date, YYYY-MM-DD in CMD_TIMEZONE')
    .option('--security', 'a security release: its contents freeze at once')
    .option('--by <USER_ID>', 'the Slack id of the staff member this is done for', parseSlackUser)
    .action(async (name: string, options: ReleaseCreateOptions) => {
      const { runReleaseCreate } = await import('../actions/release.js');
      await runReleaseCreate(name, options);
    });

  release
    .command('publish')
    .description(
      'Publish a frozen release: its tickets become Released; product teams and early adopters are told.',
    )
    .argument('<NAME>', 'such as UMD-5.1.0')
    .option('--notes <URL>', 'the link to the release notes, given in the messages')
    .option('--by <USER_ID>', 'the Slack id of the staff member this is done for', parseSlackUser)
    .action(async (name: string, options: ReleaseChangeOptions) => {
      const { runReleasePublish } = await import('../actions/release.js');
      await runReleasePublish(name, options);
    });

  release
    .command('cancel')
    .description('Cancel a release that is not published; its tickets go to the next planned release.')
    .argument('<NAME>', 'such as UMD-5.1.0')
    .requiredOption('--reason <TEXT>', "why, recorded in each ticket's history")
    .option('--by <USER_ID>', 'the Slack id of the staff member this is done for', parseSlackUser)
    .action(async (name: string, options: ReleaseChangeOptions) => {
      const { runReleaseCancel } = await import('../actions/release.js');
      await runReleaseCancel(name, options);
    });

  for (const change of ['add', 'remove'] as const) {
    release
      .command(change)
      .description(
        change === 'add'
          ? 'Add a Ready ticket to a planned or frozen release by hand, with a reason.'
          : 'Take a ticket out of a planned or frozen release by hand, with a reason (before the freeze: it slips then, even if Ready).',
      )
      .argument('<NAME>', 'such as UMD-5.1.0')
      .argument('<TICKET>', 'such as TKT-3', parseTicketArgument)
      .requiredOption('--reason <TEXT>', "why, recorded in the ticket's history")
      .option('--by <USER_ID>', 'the Slack id of the staff member this is done for', parseSlackUser)
      .action(async (name: string, ticketId: number, options: ReleaseChangeOptions) => {
        const { runReleaseChange } = await import('../actions/release.js');
        await runReleaseChange(name, ticketId, change, options);
      });
  }

  release
    .command('show')
    .description(
      'A release: its candidates, the tickets still on their way with their forecast, the security items.',
    )
    .argument('<NAME>', 'such as UMD-5.1.0')
    .option('--json', 'print it as JSON')
    .action(async (name: string, options: ReleaseShowOptions) => {
      const { runReleaseShow } = await import('../actions/release.js');
      await runReleaseShow(name, options);
    });

  release
    .command('export')
    .description(
      "A release's distribution document for EGI's repository front end (json) or its release notes (md), on stdout.",
    )
    .argument('<NAME>', 'such as UMD-5.1.0')
    .addOption(
      new Option('--format <FORMAT>', 'json: the distribution document; md: the release notes in Markdown')
        .choices(['json', 'md'])
        .makeOptionMandatory(),
    )
    .option(
      '--products-dir <DIR>',
      'also write one product file per product in DIR (product-UMD-5.1.0-<name><version>.json)',
    )
    .addHelpText(
      'after',
      `
A planned release is described with the tickets Ready now (what would join it if it froze now); a frozen or
published one with the tickets it holds. Security releases come first. The paths of the product files go to
stderr, so that stdout stays the document.`,
    )
    .action(async (name: string, options: ReleaseExportOptions) => {
      const { runReleaseExport } = await import('../actions/release.js');
      await runReleaseExport(name, options);
    });
}
