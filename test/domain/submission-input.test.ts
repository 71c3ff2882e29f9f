import { describe, expect, it } from 'vitest';
import { parseHttpLink, unwrapSlackLink } from '../../src/domain/links.js';
import { type RawSubmission, validateSubmission } from '../../src/domain/submission-input.js';

const context = {
  products: ['ARC', 'dCache'],
  platforms: ['el9/x86_64', 'el8/x86_64', 'ubuntu22/amd64'],
  distributions: ['UMD-5', 'CMD-OS-1', 'CMD-ONE-1'],
};
const valid: RawSubmission = {
  product: 'ARC',
  version: '6.21.1',
  releaseNotes: 'https://www.nordugrid.org/arc/releases/6.21.1',
  platforms: ['el9/x86_64'],
  packages: ['nordugrid-arc', 'nordugrid-arc-client'],
};

function problemsOf(raw: RawSubmission) {
  const result = validateSubmission(raw, context);
  if (result.ok) throw new Error('expected the submission to be refused');
  return result.problems;
}

describe('a valid submission', () => {
  it('when every field is right, then it is accepted with packages per platform and the first distribution', () => {
    const result = validateSubmission({ ...valid, platforms: ['el9/x86_64', 'el8/x86_64'] }, context);
    expect(result).toEqual({
      ok: true,
      value: {
        product: 'ARC',
        version: '6.21.1',
        releaseNotes: 'https://www.nordugrid.org/arc/releases/6.21.1',
        distribution: 'UMD-5',
        platforms: ['el9/x86_64', 'el8/x86_64'],
        packagesByPlatform: {
          'el9/x86_64': ['nordugrid-arc', 'nordugrid-arc-client'],
          'el8/x86_64': ['nordugrid-arc', 'nordugrid-arc-client'],
        },
        security: false,
        comment: null,
      },
    });
  });

  it('when the product is typed in another case and the link is wrapped by Slack, then both are understood', () => {
    const result = validateSubmission(
      {
        ...valid,
        product: 'dcache',
        releaseNotes: '<https://dcache.org/10.2|dcache.org/10.2>',
        security: true,
      },
      context,
    );
    expect(result.ok && result.value.product).toBe('dCache');
    expect(result.ok && result.value.releaseNotes).toBe('https://dcache.org/10.2');
    expect(result.ok && result.value.security).toBe(true);
  });

  it('when packages come per platform (a descriptor), then each platform keeps its own list', () => {
    const result = validateSubmission(
      {
        ...valid,
        platforms: ['el9/x86_64', 'ubuntu22/amd64'],
        packages: { 'el9/x86_64': ['arc-el9'], 'ubuntu22/amd64': ['arc-deb'] },
      },
      context,
    );
    expect(result.ok && result.value.packagesByPlatform).toEqual({
      'el9/x86_64': ['arc-el9'],
      'ubuntu22/amd64': ['arc-deb'],
    });
  });
});

describe('each rule says what to fix', () => {
  it('when the product is unknown, then the known ones are listed', () => {
    expect(problemsOf({ ...valid, product: 'Nope' })).toEqual([
      {
        field: 'product',
        message:
          'The product "Nope" is not registered. Known products: ARC, dCache; ask the UMD team to add a Product ID card.',
      },
    ]);
  });

  it('when the product is missing, then the provider is asked to choose one', () => {
    expect(problemsOf({ ...valid, product: ' ' })).toEqual([
      { field: 'product', message: 'Choose the product this release is for.' },
    ]);
  });

  it('when the version is empty, has spaces or is too long, then each is its own sentence', () => {
    expect(problemsOf({ ...valid, version: '' })).toEqual([
      { field: 'version', message: 'Give the version being released, such as 1.2.3.' },
    ]);
    expect(problemsOf({ ...valid, version: '1.0 beta' })).toEqual([
      { field: 'version', message: 'The version must not contain spaces, such as 1.2.3-rc1.' },
    ]);
    expect(problemsOf({ ...valid, version: '1'.repeat(65) })).toEqual([
      { field: 'version', message: 'The version must be at most 64 characters.' },
    ]);
    expect(validateSubmission({ ...valid, version: '1'.repeat(64) }, context).ok).toBe(true);
  });

  it('when the release-notes link is not http(s), then an example is given', () => {
    expect(problemsOf({ ...valid, releaseNotes: 'ftp://example.org/notes' })).toEqual([
      {
        field: 'releaseNotes',
        message:
          'The release-notes link must start with http:// or https://, such as https://example.org/release-notes (got "ftp://example.org/notes").',
      },
    ]);
    expect(problemsOf({ ...valid, releaseNotes: undefined })).toEqual([
      { field: 'releaseNotes', message: 'Give the link to the release notes.' },
    ]);
  });

  it('when no package is listed, then the provider is asked for one', () => {
    expect(problemsOf({ ...valid, packages: [' ', ''] })).toEqual([
      { field: 'packages', message: 'List at least one package.' },
    ]);
    expect(problemsOf({ ...valid, packages: undefined })).toEqual([
      { field: 'packages', message: 'List the packages of the release, one per line.' },
    ]);
  });

  it('when more than 2000 packages are listed for a platform, then the count is given', () => {
    const packages = Array.from({ length: 2001 }, (_, i) => `pkg-${i}`);
    expect(problemsOf({ ...valid, packages })).toEqual([
      {
        field: 'packages',
        message: 'List at most 2000 packages; you listed 2001. Split the release or ask the UMD team.',
      },
    ]);
    expect(validateSubmission({ ...valid, packages: packages.slice(0, 2000) }, context).ok).toBe(true);
  });

  it('when a package name is longer than 200 characters, then it is pointed out', () => {
    const long = 'x'.repeat(201);
    expect(problemsOf({ ...valid, packages: ['ok', long] })).toEqual([
      {
        field: 'packages',
        message: `Package names must be at most 200 characters; 1 is longer (the first starts "${'x'.repeat(40)}…").`,
      },
    ]);
  });

  it('when a package is listed twice on one platform, then the repeated names are given', () => {
    expect(problemsOf({ ...valid, packages: ['a', 'b', 'a'] })).toEqual([
      { field: 'packages', message: 'Each package may be listed once per platform; listed twice: a.' },
    ]);
    expect(
      problemsOf({
        ...valid,
        platforms: ['el9/x86_64', 'el8/x86_64'],
        packages: { 'el9/x86_64': ['a'], 'el8/x86_64': ['b', 'b'] },
      }),
    ).toEqual([
      {
        field: 'packages',
        message: 'Each package may be listed once per platform; listed twice for el8/x86_64: b.',
      },
    ]);
  });

  it('when the same package goes to two platforms, then that is fine', () => {
    expect(
      validateSubmission(
        {
          ...valid,
          platforms: ['el9/x86_64', 'el8/x86_64'],
          packages: { 'el9/x86_64': ['a'], 'el8/x86_64': ['a'] },
        },
        context,
      ).ok,
    ).toBe(true);
  });

  it('when a chosen platform has no packages in a per-platform list, or a listed one is not chosen, then both are said', () => {
    expect(
      problemsOf({ ...valid, platforms: ['el9/x86_64', 'el8/x86_64'], packages: { 'el9/x86_64': ['a'] } }),
    ).toEqual([{ field: 'packages', message: 'List at least one package for el8/x86_64.' }]);
    expect(
      problemsOf({
        ...valid,
        platforms: ['el9/x86_64'],
        packages: { 'el9/x86_64': ['a'], 'el8/x86_64': ['b'] },
      }),
    ).toEqual([
      {
        field: 'packages',
        message: 'Packages are listed for el8/x86_64, which is not among the chosen platforms.',
      },
    ]);
  });

  it('when a platform is not configured, then the configured ones are listed', () => {
    expect(problemsOf({ ...valid, platforms: ['el7/x86_64'] })).toEqual([
      {
        field: 'platforms',
        message: 'Unknown platform el7/x86_64; choose from el9/x86_64, el8/x86_64, ubuntu22/amd64.',
      },
    ]);
    expect(problemsOf({ ...valid, platforms: [] })).toEqual([
      { field: 'platforms', message: 'Choose at least one platform.' },
    ]);
  });

  it('when the distribution is not configured, then the configured ones are listed', () => {
    expect(problemsOf({ ...valid, distribution: 'UMD-4' })).toEqual([
      {
        field: 'distribution',
        message: 'The distribution "UMD-4" is not one of UMD-5, CMD-OS-1, CMD-ONE-1.',
      },
    ]);
  });

  it('when several fields are wrong, then every problem is reported at once', () => {
    const problems = problemsOf({
      product: 'Nope',
      version: 'a b',
      releaseNotes: 'notes',
      packages: ['a', 'a'],
      platforms: ['x/y'],
    });
    expect(problems.map((p) => p.field)).toEqual([
      'product',
      'version',
      'releaseNotes',
      'platforms',
      'packages',
    ]);
  });
});

describe('links as Slack sends them', () => {
  it('when a link is wrapped in angle brackets, with or without a label, then the address is kept', () => {
    expect(unwrapSlackLink('<https://x.org/n>')).toBe('https://x.org/n');
    expect(unwrapSlackLink('<https://x.org/n|x.org/n>')).toBe('https://x.org/n');
    expect(unwrapSlackLink(' https://x.org/n ')).toBe('https://x.org/n');
  });

  it('when a link is not http(s) or not a URL, then it is refused', () => {
    expect(parseHttpLink('https://x.org/n')).toBe('https://x.org/n');
    expect(parseHttpLink('mailto:a@b.org')).toBeNull();
    expect(parseHttpLink('https://')).toBeNull();
    expect(parseHttpLink('javascript:alert(1)')).toBeNull();
  });
});

describe('platforms written by another name', () => {
  const umd5 = {
    ...context,
    platforms: ['al9/x86_64'],
    platformAliases: { el9: 'al9', rocky9: 'al9' },
  };

  it('when a provider writes el9/x86_64 or rocky9/x86_64, then the release is filed under al9/x86_64 once', () => {
    const result = validateSubmission({ ...valid, platforms: ['el9/x86_64', 'Rocky9/x86_64'] }, umd5);
    expect(result.ok && result.value.platforms).toEqual(['al9/x86_64']);
    expect(result.ok && result.value.packagesByPlatform).toEqual({
      'al9/x86_64': ['nordugrid-arc', 'nordugrid-arc-client'],
    });
  });

  it('when packages are listed per platform under an alias, then they are kept under the configured name', () => {
    const result = validateSubmission(
      { ...valid, platforms: ['el9/x86_64'], packages: { 'el9/x86_64': ['voms'] } },
      umd5,
    );
    expect(result.ok && result.value.packagesByPlatform).toEqual({ 'al9/x86_64': ['voms'] });
  });

  it('when no alias resolves it, then the platform is refused as written, with the configured ones', () => {
    const result = validateSubmission({ ...valid, platforms: ['el8/x86_64'] }, umd5);
    expect(result.ok ? [] : result.problems).toEqual([
      { field: 'platforms', message: 'Unknown platform el8/x86_64; choose from al9/x86_64.' },
    ]);
  });
});
