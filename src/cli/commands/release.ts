/** `cmd-bot release create|show|export`: the release train from the command line. */
import { type Command, Option } from 'commander';
import { parseSlackUser } from '../io.js';

export interface ReleaseCreateOptions {
  readonly date: string;
  readonly security?: boolean;
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
