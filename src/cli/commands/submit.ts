/** `cmd-bot submit`: a provider's release, from options or from a UMD5 product descriptor. */
import type { Command } from 'commander';
import { parseSlackUser } from '../io.js';

export interface SubmitOptions {
  readonly product?: string;
  readonly version?: string;
  readonly notes?: string;
  readonly package?: string[];
  readonly packagesFile?: string;
  readonly platform?: string[];
  readonly dist?: string;
  readonly security?: boolean;
  readonly comment?: string;
  readonly descriptor?: string;
  readonly by: string;
}

export function registerSubmit(program: Command): void {
  program
    .command('submit')
    .description("Submit a product release for a provider; prints the new submission's SUB-<n> id.")
    .option('--product <P>', 'the product, as named on its Product ID card')
    .option('--version <V>', 'the version being released, such as 1.2.3')
    .option('--notes <URL>', 'the link to the release notes')
    .option('--package <PKG...>', 'a package of the release, for every platform (repeatable)')
    .option('--packages-file <FILE>', 'the packages, one per line (blank lines and # comments ignored)')
    .option(
      '--platform <P...>',
      "a platform/arch such as al9/x86_64, or a name PLATFORM_ALIASES gives it such as el9/x86_64 (repeatable; default: the product card's)",
    )
    .option(
      '--dist <D>',
      "the distribution (default: the first configured, such as UMD-5; a descriptor's own)",
    )
    .option('--security', 'a security release: it goes first')
    .option('--comment <TEXT>', 'a comment for the UMD team')
    .option('--descriptor <FILE>', 'a UMD5 JSON product descriptor instead of the options above')
    .requiredOption('--by <USER_ID>', 'the Slack id of the person this is submitted for', parseSlackUser)
    .addHelpText(
      'after',
      `
Two forms:
  cmd-bot submit --product P --version V --notes URL (--package PKG … | --packages-file FILE)
                 [--platform P …] [--dist D] [--security] --by USER_ID
  cmd-bot submit --descriptor FILE [--dist D] [--security] --by USER_ID

The descriptor is UMD 5's JSON (egi-qc/software-releases, json/umd5/): name, version, releaseNotes,
distributionType with distributionVersion (UMD 5.0.0 is UMD-5; --dist, if given, must agree), and
target[{ platform, arch, rpms[] }], each platform/arch (through PLATFORM_ALIASES: el9 is al9) with its own
packages, named by each rpm URL's file name without .rpm. Every field is kept with the submission (export
descriptor gives it back). Oddities (placeholder links, NA contacts, a version the file name or release
notes disagree with) are warnings on stderr and on the card; what cannot be filed is refused.

The first line on stdout is the new id (SUB-<n>), so a script can capture it:
  id=$(cmd-bot submit --descriptor arc.json --by U0123ABCD)`,
    )
    .action(async (options: SubmitOptions, command: Command) => {
      const { runSubmit } = await import('../actions/submit.js');
      await runSubmit(options, command);
    });
}
