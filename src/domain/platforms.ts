/**
 * Platforms as UMD 5 names them (`al9/x86_64`), and the other names people and descriptors write for them
 * (`el9`, `rocky9`, `alma9/x86_64`). Every way in (the one-line form, the modal, the CLI, descriptors, product
 * cards) resolves what was written here, once; what is stored is always a configured name.
 */

/** What was written (lower case) → the platform, or platform/arch pair, it stands for. */
export type PlatformAliases = Readonly<Record<string, string>>;

export interface PlatformNames {
  /** The configured platform/arch pairs, as PLATFORMS lists them. */
  readonly platforms: readonly string[];
  readonly aliases: PlatformAliases;
}

/**
 * The configured platform that `written` names, or null. In order: the configured name itself (in any case);
 * an alias of the whole pair (`el9/x86_64=al9/x86_64`); an alias of the platform with the arch kept
 * (`el9=al9` makes `el9/x86_64` into `al9/x86_64`). Only a configured pair is ever returned.
 */
export function resolvePlatform(written: string, names: PlatformNames): string | null {
  const key = written.trim().toLowerCase();
  const configured = (candidate: string | undefined) =>
    candidate === undefined
      ? null
      : (names.platforms.find((platform) => platform.toLowerCase() === candidate.toLowerCase()) ?? null);
  const direct = configured(key) ?? configured(aliasOf(names.aliases, key));
  if (direct) return direct;
  const slash = key.indexOf('/');
  if (slash < 0) return null;
  const platform = aliasOf(names.aliases, key.slice(0, slash));
  return platform === undefined ? null : configured(`${platform}${key.slice(slash)}`);
}

const aliasOf = (aliases: PlatformAliases, key: string): string | undefined =>
  Object.hasOwn(aliases, key) ? aliases[key] : undefined;

/**
 * `PLATFORM_ALIASES` as configured: `alias=target` pairs separated by commas. Each side is a platform (`el9`) or
 * a platform/arch pair (`el9/x86_64`); a target must name a configured platform. Problems are sentences.
 */
export function parsePlatformAliases(
  entries: readonly string[],
  platforms: readonly string[],
): { readonly aliases: PlatformAliases; readonly problems: readonly string[] } {
  const aliases: Record<string, string> = {};
  const problems: string[] = [];
  const names = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)?$/;
  const configuredNames = new Set(platforms.map((p) => p.split('/')[0]?.toLowerCase()));
  const configuredPairs = new Set(platforms.map((p) => p.toLowerCase()));
  for (const entry of entries) {
    const [alias, target, ...rest] = entry.split('=').map((side) => side.trim().toLowerCase());
    if (!alias || !target || rest.length > 0 || !names.test(alias) || !names.test(target)) {
      problems.push(`"${entry}" is not written alias=platform, such as el9=al9 or el9/x86_64=al9/x86_64.`);
      continue;
    }
    if (alias.includes('/') !== target.includes('/')) {
      problems.push(`"${entry}": give both sides as platforms (el9=al9) or both as platform/arch pairs.`);
      continue;
    }
    const reaches = target.includes('/') ? configuredPairs.has(target) : configuredNames.has(target);
    if (!reaches) {
      problems.push(`"${entry}": ${target} is not among PLATFORMS (${platforms.join(', ')}).`);
      continue;
    }
    if (Object.hasOwn(aliases, alias) && aliases[alias] !== target) {
      problems.push(`"${alias}" is given twice, for ${aliases[alias]} and ${target}; give it once.`);
      continue;
    }
    aliases[alias] = target;
  }
  return { aliases, problems };
}
