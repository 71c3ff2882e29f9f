/** What `cmd-bot submit` does: build the raw submission from either form and submit it. */
import type { Command } from 'commander';
import type { RawSubmission } from '../../domain/submission-input.js';
import { InvalidInputError, submit } from '../../services/index.js';
import type { SubmitOptions } from '../commands/submit.js';
import { readDescriptor, readPackageList } from '../descriptor.js';
import { bothTimes, listText } from '../format.js';
import { CliFailure, out, readTextFile, say, usageError } from '../io.js';
import { callerFor, withRuntime } from '../runtime.js';

const FORM_OPTIONS = [
  ['product', '--product'],
  ['version', '--version'],
  ['notes', '--notes'],
  ['package', '--package'],
  ['packagesFile', '--packages-file'],
  ['platform', '--platform'],
] as const satisfies readonly (readonly [keyof SubmitOptions, string])[];

/** Builds the raw submission from either form; mistakes in how the command was called exit 2. */
export function rawSubmission(options: SubmitOptions, command: Command): RawSubmission {
  const common = {
    ...(options.dist !== undefined ? { distribution: options.dist } : {}),
    security: options.security ?? false,
    ...(options.comment !== undefined ? { comment: options.comment } : {}),
  };

  if (options.descriptor !== undefined) {
    const mixed = FORM_OPTIONS.filter(([key]) => options[key] !== undefined).map(([, flag]) => flag);
    if (mixed.length > 0) {
      usageError(
        command,
        `--descriptor gives the product, version, notes, packages and platforms; drop ${mixed.join(', ')}.`,
      );
    }
    const file = options.descriptor;
    const read = readDescriptor(readTextFile(file, 'descriptor'));
    if (!read.ok) {
      throw new CliFailure(
        [`${file} is not a usable product descriptor:`, ...read.problems.map((p) => `  ${p}`)].join('\n'),
      );
    }
    return { ...read.submission, ...common };
  }

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

export async function runSubmit(options: SubmitOptions, command: Command): Promise<void> {
  const raw = rawSubmission(options, command);
  await withRuntime(({ ctx, timeZone }) => {
    const { submission, product } = withPlatformHint(
      () => submit(ctx, raw, callerFor(options.by)),
      raw.platforms === undefined,
    );
    out(`SUB-${submission.id}`);
    say(
      `Submitted ${product.name} ${submission.version} for ${submission.distribution}` +
        `${submission.security ? ' (security)' : ''} as SUB-${submission.id}, ` +
        `platforms ${listText(submission.platforms)}. ` +
        `Injection due ${bothTimes(submission.state.deadline, timeZone)}.`,
    );
  });
}
