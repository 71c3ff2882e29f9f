/**
 * `cmd-bot export --format csv|json`: everything, history included, on stdout; and
 * `cmd-bot export descriptor SUB-n [--out DIR]`: a submission's UMD5 descriptors.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseSubjectId } from '../../domain/ids.js';
import { usageError } from '../io.js';

export interface ExportOptions {
  readonly format?: 'csv' | 'json';
}

export interface DescriptorExportOptions {
  readonly out?: string;
}

function parseSubmissionArgument(value: string): number {
  const subject = parseSubjectId(value);
  if (subject?.kind !== 'submission') throw new InvalidArgumentError('Give a submission id, such as SUB-12.');
  return subject.id;
}

export function registerExport(program: Command): void {
  const exportCommand = program
    .command('export')
    .description(
      "Export the submissions and tickets, with their history, to stdout; or a submission's UMD5 descriptors.",
    )
    // Not mandatory for commander: `export descriptor` has no --format, and commander would ask it of both.
    .addOption(
      new Option(
        '--format <FORMAT>',
        'csv: one row per submission, per ticket and per release; json: everything',
      ).choices(['csv', 'json']),
    )
    .addHelpText(
      'after',
      '\nCSV columns: id, kind, product, version, distribution, platform, status, deadline, security,\n' +
        'submitted_by, submitted_at, history (entries joined by " | "), ready_without_works_report,\n' +
        "early_adopter_reports and qc_results (a ticket's), release (the release holding a ticket; a release\n" +
        "row's own name: its status is its state, its deadline the cut-off). JSON also holds the product cards,\n" +
        'the refused attempts, every early-adopter report, the UMD5 descriptors and the releases.',
    )
    .action(async (options: ExportOptions, command: Command) => {
      if (!options.format)
        usageError(command, "required option '--format <FORMAT>' not specified (csv or json).");
      const { runExport } = await import('../actions/export.js');
      await runExport(options.format);
    });

  exportCommand
    .command('descriptor')
    .description(
      'Write the UMD5 descriptors of a submission, one per target platform, for the software-releases pull request.',
    )
    .argument('<SUB_ID>', 'a submission id, such as SUB-12', parseSubmissionArgument)
    .option('--out <DIR>', 'write each descriptor as a file in DIR (needed when there is more than one)')
    .addHelpText(
      'after',
      `
A submission made from a descriptor gives it back as it came (every field; one file per target). One typed
in a form or with --product is written from what cmd-bot knows, the Product ID card filling in the rest
(technology_provider, contact, description, documentationLinks); its rpms are the package names given.
With one descriptor and no --out, it is printed on stdout; with --out, the paths written are printed.`,
    )
    .action(async (submissionId: number, options: DescriptorExportOptions, command: Command) => {
      const { runDescriptorExport } = await import('../actions/export.js');
      await runDescriptorExport(submissionId, options, command);
    });
}
