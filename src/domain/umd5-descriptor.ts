/**
 * UMD 5's JSON product descriptor (EGI's `egi-qc/software-releases`, `json/umd5/*.json`), read as real files
 * are written, warts included. Pure: text in; a submission, the descriptor kept whole, and warnings out, or
 * refusals that each name the field to fix.
 *
 * What is read from it: `name`, `version`, `releaseNotes`, the distribution (`distributionType` with the major
 * number of `distributionVersion`: `UMD` 5.0.0 is UMD-5), and per target its platform (`platform/arch`, through
 * PLATFORM_ALIASES) and packages (each rpm URL's file name without `.rpm`). Every field, known or not, is kept as
 * it came, so that the descriptor can be given back (descriptorsForExport).
 */
import { parseHttpLink } from './links.js';
import { type PlatformNames, resolvePlatform } from './platforms.js';
import { splitDistribution } from './releases.js';

export interface DescriptorContext {
  readonly platforms: PlatformNames;
  readonly distributions: readonly string[];
  /** Registered product names: a release-notes link that names one of the others is suspicious. */
  readonly products?: readonly string[];
  /** The distribution chosen besides the file (the CLI's --dist): it must agree with the file's. */
  readonly distribution?: string;
  /** The file's name, whose version is compared with the one the file holds. */
  readonly fileName?: string;
}

export interface DescriptorSubmission {
  readonly product: string;
  readonly version: string;
  readonly releaseNotes: string;
  readonly distribution: string;
  readonly platforms: readonly string[];
  readonly packages: Readonly<Record<string, readonly string[]>>;
}

export type DescriptorReading =
  | {
      readonly ok: true;
      readonly submission: DescriptorSubmission;
      /** The parsed JSON, every field as it came. */
      readonly descriptor: Readonly<Record<string, unknown>>;
      /** Oddities real files carry: shown to the submitter and on the card, never a reason to refuse. */
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly problems: readonly string[] };

type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON value as trimmed text, or null when it is not a string or is blank. */
export const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

/** `https://…/apel-client-2.1.0-1.el9.noarch.rpm` → `apel-client-2.1.0-1.el9.noarch`; a plain name stays. */
export function packageNameOf(rpm: string): string {
  const path = rpm.trim().replace(/[?#].*$/, '');
  const file = path.slice(path.lastIndexOf('/') + 1);
  let name = file;
  try {
    name = decodeURIComponent(file);
  } catch {
    // A stray % is part of the name.
  }
  return name.replace(/\.rpm$/i, '');
}

/** The dotted versions a text names: `release_notes_6.20.1.html` → 6.20.1; `arc6` names none. */
function versionsIn(value: string): string[] {
  return value.match(/\d+(?:\.\d+)+/g) ?? [];
}

/** 23.0 is 23.0.13's series and 2.1.0 is 2.1.0-1's: one names the other at a dot or dash. */
function sameVersion(a: string, b: string): boolean {
  const starts = (long: string, short: string) =>
    long === short || long.startsWith(`${short}.`) || long.startsWith(`${short}-`);
  return starts(a, b) || starts(b, a);
}

const PLACEHOLDER_CONTACTS = new Set(['', 'na', 'n/a', 'none', '-', 'tbd', 'todo', 'null']);

/** `""`, `NA`, `TBD` and the like: a contact field real descriptors fill without naming anybody. */
export const isPlaceholderContact = (value: string): boolean =>
  PLACEHOLDER_CONTACTS.has(value.trim().toLowerCase());

function contactWarnings(descriptor: Json): string[] {
  return (['contact', 'technicalContact'] as const).flatMap((field) => {
    if (!(field in descriptor)) return [`"${field}" is missing: nobody can be reached from this descriptor.`];
    const value = descriptor[field];
    if (typeof value !== 'string') return [`"${field}" is not text: ${JSON.stringify(value)}.`];
    return isPlaceholderContact(value)
      ? [
          `"${field}" is ${value.trim() === '' ? 'empty' : `"${value.trim()}"`}: give an address the product team reads.`,
        ]
      : [];
  });
}

function linkWarnings(descriptor: Json): string[] {
  const links = descriptor.documentationLinks;
  if (links === undefined) return [];
  if (!Array.isArray(links)) return ['"documentationLinks" should be a list of links.'];
  return links
    .filter((link) => typeof link !== 'string' || parseHttpLink(link) === null)
    .map(
      (link) => `"documentationLinks" holds ${JSON.stringify(link)}, which is not a link (a placeholder?).`,
    );
}

function versionWarnings(
  descriptor: Json,
  name: string,
  version: string,
  context: DescriptorContext,
): string[] {
  const warnings: string[] = [];
  const notes = text(descriptor.releaseNotes) ?? '';
  const named = versionsIn(notes);
  if (named.length > 0 && !named.some((other) => sameVersion(other, version))) {
    warnings.push(`"releaseNotes" names version ${named.join(', ')}, not ${version}: check the link.`);
  }
  const others = (context.products ?? []).filter(
    (product) => product.toLowerCase() !== name.toLowerCase() && product.length >= 3,
  );
  const words = new Set(notes.toLowerCase().split(/[^a-z0-9+_-]+/));
  const other = others.find((product) => words.has(product.toLowerCase()));
  if (other && !notes.toLowerCase().includes(name.toLowerCase())) {
    warnings.push(`"releaseNotes" names the product ${other}, not ${name}: check the link.`);
  }
  if (context.fileName) {
    const inName = versionsIn(context.fileName.replace(/\.json$/i, ''));
    if (inName.length > 0 && !inName.some((other) => sameVersion(other, version))) {
      warnings.push(`The file is named for version ${inName.join(', ')} but holds ${version}.`);
    }
  }
  const parts = (['majorVersion', 'minorVersion', 'revisionVersion'] as const).map((field) =>
    descriptor[field] === undefined ? null : String(descriptor[field]),
  );
  const numbers = version.split(/[.-]/);
  const disagree = parts.some((part, i) => part !== null && part !== numbers[i]);
  if (disagree) {
    warnings.push(
      `"majorVersion", "minorVersion" and "revisionVersion" (${parts.map((p) => p ?? '–').join('.')}) disagree with "version" ${version}.`,
    );
  }
  return warnings;
}

/** `UMD` with `5.0.0` is UMD-5; the distribution must be configured, and agree with one chosen besides. */
function distributionOf(descriptor: Json, context: DescriptorContext): { value?: string; problem?: string } {
  const configured = context.distributions.join(', ');
  const type = descriptor.distributionType;
  const version = descriptor.distributionVersion;
  if (type === undefined) {
    if (context.distribution) return { value: context.distribution };
    return {
      problem: `The descriptor has no "distributionType" (such as "UMD" with "distributionVersion" "5.0.0"): add them to the file, for one of ${configured} (the command line's --dist also gives it).`,
    };
  }
  if (text(type) === null) {
    return { problem: '"distributionType" must be the distribution\'s name written as text, such as "UMD".' };
  }
  const major =
    typeof version === 'string' || typeof version === 'number' ? /^\s*(\d+)/.exec(String(version)) : null;
  if (!major) {
    return {
      problem: `"distributionVersion" must be the distribution's version, such as "5.0.0" (got ${JSON.stringify(version ?? null)}).`,
    };
  }
  const wanted = `${String(type).trim()}-${major[1]}`;
  const value = context.distributions.find((d) => d.toLowerCase() === wanted.toLowerCase());
  if (!value) {
    return {
      problem: `"distributionType" "${String(type).trim()}" with "distributionVersion" "${String(version)}" is ${wanted}, which is not configured here (${configured}).`,
    };
  }
  if (context.distribution && context.distribution !== value) {
    return {
      problem: `The descriptor is for ${value}, not ${context.distribution}: drop the chosen distribution, or fix "distributionType"/"distributionVersion".`,
    };
  }
  return { value };
}

function required(
  descriptor: Json,
  field: 'name' | 'version' | 'releaseNotes',
  example: string,
): string | null {
  return text(descriptor[field]) === null
    ? `${field in descriptor ? `"${field}" must be` : `The descriptor has no "${field}": give`} ${example}.`
    : null;
}

export function readUmd5Descriptor(json: string, context: DescriptorContext): DescriptorReading {
  let descriptor: unknown;
  try {
    descriptor = JSON.parse(json);
  } catch (error) {
    return {
      ok: false,
      problems: [`It is not valid JSON (${error instanceof Error ? error.message : String(error)}).`],
    };
  }
  if (!isObject(descriptor)) {
    return { ok: false, problems: ['The descriptor must be a JSON object with name, version and target.'] };
  }
  const problems = [
    required(descriptor, 'name', 'the product\'s name as text, such as "ARC"'),
    required(descriptor, 'version', 'the version being released as text, such as "6.20.1"'),
    required(descriptor, 'releaseNotes', 'the link to the release notes'),
  ].filter((problem) => problem !== null);
  const distribution = distributionOf(descriptor, context);
  if (distribution.problem) problems.push(distribution.problem);

  const packages: Record<string, string[]> = {};
  const targets = descriptor.target;
  if (!Array.isArray(targets) || targets.length === 0) {
    problems.push(
      targets === undefined
        ? 'The descriptor has no "target": list each platform with its platform, arch and rpms.'
        : '"target" must be a list of at least one platform, each with platform, arch and rpms.',
    );
  } else {
    const firstOf = new Map<string, number>();
    targets.forEach((target, index) => {
      const where = `target[${index}]`;
      if (!isObject(target)) {
        problems.push(`${where} must be an object with platform, arch and rpms.`);
        return;
      }
      const platform = text(target.platform);
      const arch = text(target.arch);
      if (!platform) problems.push(`${where}.platform must be the platform as text, such as "al9".`);
      if (!arch) problems.push(`${where}.arch must be the architecture as text, such as "x86_64".`);
      const rpms = target.rpms;
      if (!Array.isArray(rpms) || rpms.length === 0 || rpms.some((rpm) => text(rpm) === null)) {
        problems.push(`${where}.rpms must be a list of the packages' rpm URLs (or names), at least one.`);
        return;
      }
      if (!platform || !arch) return;
      const configured = resolvePlatform(`${platform}/${arch}`, context.platforms);
      if (!configured) {
        problems.push(
          `${where}: ${platform}/${arch} is not a configured platform, nor a name PLATFORM_ALIASES gives one; configured: ${context.platforms.platforms.join(', ')}.`,
        );
        return;
      }
      const earlier = firstOf.get(configured);
      if (earlier !== undefined) {
        problems.push(`target[${earlier}] and ${where} are both ${configured}; list each platform once.`);
        return;
      }
      firstOf.set(configured, index);
      const names = (rpms as string[]).map(packageNameOf);
      const twice = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
      if (twice.length > 0) {
        problems.push(
          `${where}.rpms lists ${twice.join(', ')} twice; list each package once (the pipeline would sign and upload it twice).`,
        );
        return;
      }
      packages[configured] = names;
    });
  }
  if (problems.length > 0) return { ok: false, problems };

  const name = text(descriptor.name) as string;
  const version = text(descriptor.version) as string;
  return {
    ok: true,
    submission: {
      product: name,
      version,
      releaseNotes: text(descriptor.releaseNotes) as string,
      distribution: distribution.value as string,
      platforms: Object.keys(packages),
      packages,
    },
    descriptor,
    warnings: [
      ...contactWarnings(descriptor),
      ...linkWarnings(descriptor),
      ...versionWarnings(descriptor, name, version, context),
    ],
  };
}

/** What a descriptor says beyond the submission's own fields, for the card, /cmd-status and announcements. */
export interface DescriptorFacts {
  readonly technologyProvider: string | null;
  readonly contact: string | null;
  readonly technicalContact: string | null;
  readonly description: string | null;
  readonly releaseDate: string | null;
  readonly changeLog: string | null;
  readonly documentationLinks: readonly string[];
  readonly repositoryURL: string | null;
  readonly capabilities: readonly string[];
  readonly extraOSRepos: readonly string[];
  /** Where each platform's packages are installed from (platform under its configured name). */
  readonly targets: readonly {
    readonly platform: string;
    readonly repositoryURL: string | null;
    readonly gpgkey: string | null;
  }[];
}

const textList = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(text).filter((item) => item !== null) : [];

/** The facts of a stored descriptor; fields of the wrong type read as absent. */
export function descriptorFacts(
  descriptor: Readonly<Record<string, unknown>>,
  names: PlatformNames,
): DescriptorFacts {
  const targets = Array.isArray(descriptor.target) ? descriptor.target.filter(isObject) : [];
  return {
    technologyProvider: text(descriptor.technology_provider),
    contact: text(descriptor.contact),
    technicalContact: text(descriptor.technicalContact),
    description: text(descriptor.description),
    releaseDate: text(descriptor.releaseDate),
    changeLog: text(descriptor.changeLog),
    documentationLinks: textList(descriptor.documentationLinks),
    repositoryURL: text(descriptor.repositoryURL),
    capabilities: textList(descriptor.capabilities),
    extraOSRepos: textList(descriptor.extraOSRepos),
    targets: targets.map((target) => {
      const written = `${text(target.platform) ?? ''}/${text(target.arch) ?? ''}`;
      return {
        platform: resolvePlatform(written, names) ?? written,
        repositoryURL: text(target.repositoryURL),
        gpgkey: text(target.gpgkey),
      };
    }),
  };
}

/** What a descriptor for a release typed by hand is made from: the release, and its Product ID card. */
export interface ReleaseForDescriptor {
  readonly name: string;
  readonly version: string;
  readonly releaseNotes: string;
  readonly distribution: string;
  readonly platforms: readonly string[];
  readonly packagesByPlatform: Readonly<Record<string, readonly string[]>>;
  /** The day it was submitted, YYYY-MM-DD in CMD_TIMEZONE. */
  readonly releaseDate: string;
  /** The UMD5 descriptor it came with, if it came with one. */
  readonly descriptor: Readonly<Record<string, unknown>> | null;
  readonly card: {
    readonly team: string | null;
    readonly supportEmail: string | null;
    readonly teamLeader: string | null;
    readonly description: string | null;
    readonly documentationLinks: readonly string[];
  };
}

export interface ExportedDescriptor {
  readonly fileName: string;
  readonly descriptor: Readonly<Record<string, unknown>>;
}

/** A descriptor as a file: indented with four spaces, as in EGI's software-releases repository. */
export const descriptorFileText = (descriptor: unknown): string => `${JSON.stringify(descriptor, null, 4)}\n`;

/** UMD 5's repositories are per platform (`sw/production/umd/5/al9/release/x86_64`); CMD's per major. */
export function repositoryPath(distribution: string, platform: string): string {
  const { type, major } = splitDistribution(distribution);
  const [os, arch] = platform.split('/');
  return type.toUpperCase() === 'UMD'
    ? `sw/production/umd/${major}/${os}/release/${arch}`
    : `sw/production/${type.toLowerCase()}/${major}`;
}

/** A distribution's own repository (`sw/production/umd/5`, `sw/production/cmd-os/1`). */
export function distributionRepositoryPath(distribution: string): string {
  const { type, major } = splitDistribution(distribution);
  return `sw/production/${type.toLowerCase()}/${major}`;
}

/** The key UMD's packages are signed with (`…/umd/5/UMD-5-RPM-PGP-KEY`); null for the CMD distributions. */
export function distributionGpgKey(distribution: string): string | null {
  const { type, major } = splitDistribution(distribution);
  return type.toUpperCase() === 'UMD'
    ? `https://repository.egi.eu/repository/umd/${major}/UMD-${major}-RPM-PGP-KEY`
    : null;
}

const fileNameOf = (name: string, version: string, platform: string) =>
  `${[name, version, ...platform.split('/')].join('-').replace(/[^A-Za-z0-9._-]+/g, '_')}.json`;

/**
 * The UMD5 descriptors of a release, one file per target platform, for the `software-releases` pull request. A
 * release that came with a descriptor gives it back as it came (every field, unknown ones too); one with several
 * targets gives one file per target, each the original narrowed to its target. A release typed by hand is
 * written from what cmd-bot knows, the Product ID card filling in the rest.
 */
export function descriptorsForExport(
  release: ReleaseForDescriptor,
  names: PlatformNames,
): ExportedDescriptor[] {
  const original = release.descriptor;
  if (original) {
    const targets = Array.isArray(original.target) ? original.target : [];
    if (targets.length <= 1) {
      const only = descriptorFacts(original, names).targets[0]?.platform ?? release.platforms[0] ?? 'any/any';
      return [{ fileName: fileNameOf(release.name, release.version, only), descriptor: original }];
    }
    const facts = descriptorFacts(original, names);
    return targets.map((target, i) => ({
      fileName: fileNameOf(release.name, release.version, facts.targets[i]?.platform ?? `target/${i}`),
      descriptor: { ...original, target: [target] },
    }));
  }
  const { type, major } = splitDistribution(release.distribution);
  const [majorVersion, minorVersion, revisionVersion] = release.version.split(/[.-]/);
  const card = release.card;
  return release.platforms.map((platform) => {
    const [os, arch] = platform.split('/');
    const repositoryURL = repositoryPath(release.distribution, platform);
    return {
      fileName: fileNameOf(release.name, release.version, platform),
      descriptor: {
        name: release.name,
        version: release.version,
        currentState: 'Production',
        technology_provider: card.team ?? '',
        contact: card.supportEmail ?? '',
        technicalContact: card.teamLeader ?? card.supportEmail ?? '',
        description: card.description ?? '',
        releaseDate: release.releaseDate,
        majorVersion: majorVersion ?? '',
        minorVersion: minorVersion ?? '',
        revisionVersion: revisionVersion ?? '',
        releaseNotes: release.releaseNotes,
        changeLog: release.releaseNotes,
        documentationLinks: [...card.documentationLinks],
        repositoryURL,
        distributionType: type,
        distributionVersion: `${major}.0.0`,
        capabilities: [],
        target: [
          {
            platform: os,
            arch,
            repositoryURL,
            ...(distributionGpgKey(release.distribution) === null
              ? {}
              : { gpgkey: distributionGpgKey(release.distribution) }),
            rpms: [...(release.packagesByPlatform[platform] ?? [])],
          },
        ],
      },
    };
  });
}
