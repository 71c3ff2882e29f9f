/**
 * A UMD5 JSON product descriptor, read for `submit --descriptor`: `name`, `version`, `releaseNotes` and
 * `target[{ platform, arch, rpms[] }]`; every other field is ignored. Pure: text in, submission or problems out.
 */
import { z } from 'zod';
import type { RawSubmission } from '../domain/submission-input.js';

const targetSchema = z.object({
  platform: z.string(),
  arch: z.string(),
  rpms: z.array(z.string()),
});

const descriptorSchema = z.object({
  name: z.string(),
  version: z.string(),
  releaseNotes: z.string(),
  target: z.array(targetSchema).min(1),
});

export type DescriptorResult =
  | {
      readonly ok: true;
      readonly submission: Required<
        Pick<RawSubmission, 'product' | 'version' | 'releaseNotes' | 'platforms' | 'packages'>
      >;
    }
  | { readonly ok: false; readonly problems: readonly string[] };

type Path = readonly PropertyKey[];

function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const FIELD_HELP: Readonly<Record<string, { missing: string; wrong: string }>> = {
  name: {
    missing: `The descriptor has no "name": give the product's name, such as "ARC".`,
    wrong: '"name" must be the product\'s name written as text, such as "ARC".',
  },
  version: {
    missing: 'The descriptor has no "version": give the version being released, such as "1.2.3".',
    wrong: '"version" must be written as text in quotes, such as "1.2.3".',
  },
  releaseNotes: {
    missing: 'The descriptor has no "releaseNotes": give the link to the release notes.',
    wrong: '"releaseNotes" must be the link to the release notes, written as text.',
  },
  target: {
    missing: 'The descriptor has no "target": list each platform with its platform, arch and rpms.',
    wrong: '"target" must be a list of platforms, each with platform, arch and rpms.',
  },
};

const TARGET_HELP: Readonly<Record<string, { missing: string; wrong: string }>> = {
  platform: { missing: 'has no "platform", such as "el9"', wrong: '"platform" must be text, such as "el9"' },
  arch: { missing: 'has no "arch", such as "x86_64"', wrong: '"arch" must be text, such as "x86_64"' },
  rpms: { missing: 'has no "rpms": list its packages', wrong: '"rpms" must be a list of package names' },
};

function sentence(issue: z.core.$ZodIssue, root: unknown): string {
  const path = issue.path;
  const missing = valueAt(root, path) === undefined;
  if (path.length === 0) {
    return 'The descriptor must be a JSON object with name, version, releaseNotes and target.';
  }
  const [head, index, field, entry] = path;
  if (head === 'target' && typeof index === 'number') {
    const where = `Target ${index + 1}`;
    if (field === undefined) return `${where} must be an object with platform, arch and rpms.`;
    if (field === 'rpms' && typeof entry === 'number') {
      return `${where}: entry ${entry + 1} of "rpms" must be a package name written as text.`;
    }
    const help = TARGET_HELP[String(field)];
    if (help) return missing ? `${where} ${help.missing}.` : `${where}: ${help.wrong}.`;
  }
  if (head === 'target' && issue.code === 'too_small') {
    return '"target" is empty: list at least one platform with its platform, arch and rpms.';
  }
  const help = FIELD_HELP[String(head)];
  if (help) return missing ? help.missing : help.wrong;
  return `${path.join('.')}: ${issue.message}.`;
}

export function readDescriptor(text: string): DescriptorResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problems: [`It is not valid JSON (${error instanceof Error ? error.message : String(error)}).`],
    };
  }
  const parsed = descriptorSchema.safeParse(data);
  if (!parsed.success) {
    return { ok: false, problems: [...new Set(parsed.error.issues.map((issue) => sentence(issue, data)))] };
  }
  const packages: Record<string, string[]> = {};
  const firstSeen = new Map<string, number>();
  const problems: string[] = [];
  parsed.data.target.forEach((target, index) => {
    const platform = `${target.platform.trim()}/${target.arch.trim()}`;
    const earlier = firstSeen.get(platform);
    if (earlier !== undefined) {
      problems.push(
        `Targets ${earlier + 1} and ${index + 1} are both ${platform}; list each platform and arch once.`,
      );
      return;
    }
    firstSeen.set(platform, index);
    packages[platform] = target.rpms;
  });
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    submission: {
      product: parsed.data.name,
      version: parsed.data.version,
      releaseNotes: parsed.data.releaseNotes,
      platforms: Object.keys(packages),
      packages,
    },
  };
}

/** `--packages-file`: one package per line; blank lines and `#` comments are ignored. */
export function readPackageList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '');
}
