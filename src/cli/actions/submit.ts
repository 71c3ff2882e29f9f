/** What `cmd-bot submit` does: submit a UMD5 descriptor, or build the raw submission from the options. */
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { RawSubmission } from '../../domain/submission-input.js';
import { InvalidInputError, type SubmitResult, submit, submitDescriptor } from '../../services/index.js';
import type { SubmitOptions } from '../commands/submit.js';
import { bothTimes, listText } from '../format.js';
import { CliFailure, out, readTextFile, say, usageError } from '../io.js';
import { readPackageList } from '../package-list.js';
import { callerFor, withRuntime } from '../runtime.js';

const FORM_OPTIONS = [
  ['product', '--product'],
  ['version', '--version'],
  ['notes', '--notes'],
  ['package', '--package'],
  ['packagesFile', '--packages-file'],
  ['platform', '--platform'],
] as const satisfies readonly (readonly [keyof SubmitOptions, string])[];

/** Builds the raw submission from the options; mistakes in how the command was called exit 2. */
export function rawSubmission(options: SubmitOptions, command: Command): RawSubmission {
  const common = commonOptions(options);
  const missing = (['product', 'version', 'notes'] as const)
    .filter((key) => options[key] === undefined)
    .map((key) => `--${key}`);
  if (missing.length > 0) {
    usageError(
      command,
      `give ${missing.join(', ')} (or submit a UMD5 descriptor with --descriptor FILE instead).`,
    );
  }
  if ((options.package === undefined) === (options.packagesFile === undefined)) {
    usageError(
      command,
      'give the packages either with --package PKG … or with --packages-file FILE (one of them).',
    );
  }
  const packages =
    options.package ?? readPackageList(readTextFile(options.packagesFile as string, 'packages file'));
  const platforms = options.platform?.flatMap((item) => item.split(',')).map((item) => item.trim());
  return {
    product: options.product as string,
    version: options.version as string,
    releaseNotes: options.notes as string,
    packages,
    ...(platforms !== undefined ? { platforms } : {}),
    ...common,
  };
}

/** Without --platform the card's platforms apply; when it has none, say which option to use. */
function withPlatformHint<T>(work: () => T, platformsOmitted: boolean): T {
  try {
    return work();
  } catch (error) {
    if (
      platformsOmitted &&
      error instanceof InvalidInputError &&
      error.problems.some((p) => p.field === 'platforms') &&
      !error.problems.some((p) => p.field === 'product')
    ) {
      throw new InvalidInputError(
        error.problems.map((problem) =>
          problem.field === 'platforms'
            ? {
                ...problem,
                message: `${problem.message} The Product ID card lists none; give them with --platform P.`,
              }
            : problem,
        ),
      );
    }
    throw error;
  }
}

function commonOptions(options: SubmitOptions) {
  return {
    ...(options.dist !== undefined ? { distribution: options.dist } : {}),
    security: options.security ?? false,
    ...(options.comment !== undefined ? { comment: options.comment } : {}),
  };
}

/** `--descriptor FILE`: the file gives the product, version, notes, distribution, platforms and packages. */
async function submitDescriptorFile(options: SubmitOptions, command: Command, file: string): Promise<void> {
  const mixed = FORM_OPTIONS.filter(([key]) => options[key] !== undefined).map(([, flag]) => flag);
  if (mixed.length > 0) {
    usageError(
      command,
      `--descriptor gives the product, version, notes, packages and platforms; drop ${mixed.join(', ')}.`,
    );
  }
  const json = readTextFile(file, 'descriptor');
  await withRuntime(({ ctx, timeZone }) => {
    let result: SubmitResult & { warnings: readonly string[] };
    try {
      result = submitDescriptor(
        ctx,
        { json, fileName: basename(file), ...commonOptions(options) },
        callerFor(options.by),
      );
    } catch (error) {
      if (error instanceof InvalidInputError && error.problems.every((p) => p.field === 'descriptor')) {
        throw new CliFailure(
          [
            `${file} is not a usable product descriptor:`,
            ...error.problems.map((p) => `  ${p.message}`),
          ].join('\n'),
        );
      }
      throw error;
    }
    report(result, timeZone);
    if (result.warnings.length > 0) {
      say(
        [`Warnings about ${file} (shown on the card too):`, ...result.warnings.map((w) => `  ${w}`)].join(
          '\n',
        ),
      );
    }
  });
}

export async function runSubmit(options: SubmitOptions, command: Command): Promise<void> {
  if (options.descriptor !== undefined) {
    await submitDescriptorFile(options, command, options.descriptor);
    return;
  }
  const raw = rawSubmission(options, command);
  await withRuntime(({ ctx, timeZone }) => {
    report(
      withPlatformHint(() => submit(ctx, raw, callerFor(options.by)), raw.platforms === undefined),
      timeZone,
    );
  });
}

function report({ submission, product }: SubmitResult, timeZone: string): void {
  out(`SUB-${submission.id}`);
  say(
    `Submitted ${product.name} ${submission.version} for ${submission.distribution}` +
      `${submission.security ? ' (security)' : ''} as SUB-${submission.id}, ` +
      `platforms ${listText(submission.platforms)}. ` +
      `Injection due ${bothTimes(submission.state.deadline, timeZone)}.`,
  );
}
