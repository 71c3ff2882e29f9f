/**
 * The rules a submitted release must follow, whichever way it arrives (slash command, modal, CLI, descriptor).
 * Every problem is reported at once, in a sentence a provider can act on.
 */
import { z } from 'zod';
import { parseHttpLink } from './links.js';
import { type PlatformAliases, resolvePlatform } from './platforms.js';

export const LIMITS = {
  versionLength: 64,
  packagesPerPlatform: 2000,
  packageNameLength: 200,
  commentLength: 3000,
} as const;

export interface SubmissionContext {
  /** Names of the products on record (matched without regard to case). */
  readonly products: readonly string[];
  readonly platforms: readonly string[];
  /** Other names for the platforms (el9 → al9): what is written is stored under the configured name. */
  readonly platformAliases?: PlatformAliases;
  readonly distributions: readonly string[];
}

/** What a provider typed, before any checking. */
export interface RawSubmission {
  readonly product?: string;
  readonly version?: string;
  readonly releaseNotes?: string;
  readonly distribution?: string;
  /** Defaults to the product card's platforms, chosen by the caller. */
  readonly platforms?: readonly string[];
  /** One list for every platform, or a list per platform (from a descriptor). */
  readonly packages?: readonly string[] | Readonly<Record<string, readonly string[]>>;
  readonly security?: boolean;
  readonly comment?: string;
}

export interface ValidSubmission {
  readonly product: string;
  readonly version: string;
  readonly releaseNotes: string;
  readonly distribution: string;
  readonly platforms: readonly string[];
  readonly packagesByPlatform: Readonly<Record<string, readonly string[]>>;
  readonly security: boolean;
  readonly comment: string | null;
}

export type SubmissionField =
  | 'product'
  | 'version'
  | 'releaseNotes'
  | 'distribution'
  | 'platforms'
  | 'packages'
  | 'comment';

export interface InputProblem {
  readonly field: SubmissionField;
  readonly message: string;
}

export type ValidationResult =
  | { readonly ok: true; readonly value: ValidSubmission }
  | { readonly ok: false; readonly problems: readonly InputProblem[] };

const listOf = (items: readonly string[]) => items.join(', ');

function packageProblems(packages: readonly string[], platform: string | null): string[] {
  const where = platform ? ` for ${platform}` : '';
  const problems: string[] = [];
  if (packages.length === 0) problems.push(`List at least one package${where}.`);
  if (packages.length > LIMITS.packagesPerPlatform) {
    problems.push(
      `List at most ${LIMITS.packagesPerPlatform} packages${where}; you listed ${packages.length}. Split the release or ask the UMD team.`,
    );
  }
  const tooLong = packages.filter((name) => name.length > LIMITS.packageNameLength);
  if (tooLong.length > 0) {
    problems.push(
      `Package names must be at most ${LIMITS.packageNameLength} characters; ${tooLong.length} ${tooLong.length === 1 ? 'is' : 'are'} longer${where} (the first starts "${tooLong[0]?.slice(0, 40)}…").`,
    );
  }
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const name of packages) (seen.has(name) ? repeated : seen).add(name);
  if (repeated.size > 0) {
    const names = [...repeated];
    problems.push(
      `Each package may be listed once per platform; listed twice${where}: ${listOf(names.slice(0, 5))}${names.length > 5 ? ` and ${names.length - 5} more` : ''}.`,
    );
  }
  return problems;
}

const cleanList = (items: readonly string[]) =>
  items.map((item) => item.trim()).filter((item) => item !== '');

export function submissionSchema(context: SubmissionContext) {
  const names = { platforms: context.platforms, aliases: context.platformAliases ?? {} };
  // A platform no name resolves stays as written, for the message that says it is unknown.
  const configuredName = (written: string) => resolvePlatform(written, names) ?? written;
  const productByKey = new Map(context.products.map((name) => [name.toLowerCase(), name]));
  const text = (missing: string) =>
    z
      .string({ error: missing })
      .transform((value) => value.trim())
      .refine((value) => value !== '', { error: missing });

  return z
    .object({
      product: text('Choose the product this release is for.').transform((name, ctx) => {
        const known = productByKey.get(name.toLowerCase());
        if (known) return known;
        ctx.addIssue({
          code: 'custom',
          message: `The product "${name}" is not registered. Known products: ${listOf(context.products) || 'none yet'}; ask the UMD team to add a Product ID card.`,
        });
        return z.NEVER;
      }),
      version: text('Give the version being released, such as 1.2.3.')
        .refine((value) => !/\s/.test(value), {
          error: 'The version must not contain spaces, such as 1.2.3-rc1.',
        })
        .refine((value) => value.length <= LIMITS.versionLength, {
          error: `The version must be at most ${LIMITS.versionLength} characters.`,
        }),
      releaseNotes: text('Give the link to the release notes.').transform((value, ctx) => {
        const link = parseHttpLink(value);
        if (link) return link;
        ctx.addIssue({
          code: 'custom',
          message: `The release-notes link must start with http:// or https://, such as https://example.org/release-notes (got "${value.slice(0, 80)}").`,
        });
        return z.NEVER;
      }),
      distribution: z
        .string()
        .optional()
        .transform((value) => value?.trim() || context.distributions[0] || '')
        .refine((value) => context.distributions.includes(value), {
          error: (issue) =>
            `The distribution "${String(issue.input)}" is not one of ${listOf(context.distributions)}.`,
        }),
      platforms: z
        .array(z.string(), { error: 'Choose at least one platform.' })
        .transform(cleanList)
        .transform((list) => [...new Set(list.map(configuredName))])
        .superRefine((list, ctx) => {
          if (list.length === 0) ctx.addIssue({ code: 'custom', message: 'Choose at least one platform.' });
          const unknown = list.filter((platform) => !context.platforms.includes(platform));
          if (unknown.length > 0) {
            ctx.addIssue({
              code: 'custom',
              message: `Unknown platform ${listOf(unknown)}; choose from ${listOf(context.platforms)}.`,
            });
          }
        }),
      // Checked here rather than with the platforms so that package problems show beside every other one.
      packages: z
        .union(
          [
            z.array(z.string()).transform(cleanList),
            z
              .record(z.string(), z.array(z.string()).transform(cleanList))
              .transform((lists) =>
                Object.fromEntries(
                  Object.entries(lists).map(([platform, list]) => [configuredName(platform), list]),
                ),
              ),
          ],
          { error: 'List the packages of the release, one per line.' },
        )
        .superRefine((packages, ctx) => {
          const lists: [string | null, readonly string[]][] = Array.isArray(packages)
            ? [[null, packages]]
            : Object.entries(packages as Record<string, string[]>);
          if (lists.length === 0) lists.push([null, []]);
          for (const [platform, list] of lists) {
            for (const message of packageProblems(list, platform)) ctx.addIssue({ code: 'custom', message });
          }
        }),
      security: z.boolean().default(false),
      comment: z
        .string()
        .optional()
        .transform((value) => value?.trim() || null)
        .refine((value) => value === null || value.length <= LIMITS.commentLength, {
          error: `The comment must be at most ${LIMITS.commentLength} characters.`,
        }),
    })
    .transform((input, ctx): ValidSubmission => {
      const packagesByPlatform: Record<string, readonly string[]> = {};
      const perPlatform: Readonly<Record<string, readonly string[]>> | null = Array.isArray(input.packages)
        ? null
        : input.packages;
      for (const platform of input.platforms) {
        const list = perPlatform ? perPlatform[platform] : (input.packages as string[]);
        if (list === undefined || list.length === 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['packages'],
            message: `List at least one package for ${platform}.`,
          });
        }
        packagesByPlatform[platform] = list ?? [];
      }
      const unchosen = Object.keys(perPlatform ?? {}).filter(
        (platform) => !input.platforms.includes(platform),
      );
      if (unchosen.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['packages'],
          message: `Packages are listed for ${listOf(unchosen)}, which ${unchosen.length === 1 ? 'is' : 'are'} not among the chosen platforms.`,
        });
      }
      return {
        product: input.product,
        version: input.version,
        releaseNotes: input.releaseNotes,
        distribution: input.distribution,
        platforms: input.platforms,
        packagesByPlatform,
        security: input.security,
        comment: input.comment,
      };
    });
}

const FIELDS: readonly SubmissionField[] = [
  'product',
  'version',
  'releaseNotes',
  'distribution',
  'platforms',
  'packages',
  'comment',
];

/** Building a zod schema costs more than using it: one per distinct context, kept while it is in use. */
const schemas = new Map<string, ReturnType<typeof submissionSchema>>();

function schemaFor(context: SubmissionContext): ReturnType<typeof submissionSchema> {
  const key = JSON.stringify([
    context.products,
    context.platforms,
    context.platformAliases ?? {},
    context.distributions,
  ]);
  let schema = schemas.get(key);
  if (!schema) {
    if (schemas.size >= 200) schemas.clear();
    schema = submissionSchema(context);
    schemas.set(key, schema);
  }
  return schema;
}

export function validateSubmission(raw: RawSubmission, context: SubmissionContext): ValidationResult {
  const result = schemaFor(context).safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  const problems = result.error.issues.map((issue) => {
    const head = issue.path[0];
    const field = FIELDS.find((name) => name === head) ?? 'product';
    return { field, message: issue.message };
  });
  return { ok: false, problems };
}
