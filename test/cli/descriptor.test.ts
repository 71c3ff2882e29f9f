/**
 * EGI's real UMD5 descriptors (test/fixtures/umd5, copied from egi-qc/software-releases, warts included) through
 * `cmd-bot submit --descriptor` and back out with `cmd-bot export descriptor`, with the default settings
 * (PLATFORMS al9/x86_64, the default PLATFORM_ALIASES and DISTRIBUTIONS).
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importProducts } from '../../src/services/index.js';
import { firstLine, OPERATOR, type Workspace, workspace } from './harness.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/umd5');
/** PLATFORMS left unset: the default, UMD 5's al9/x86_64 (the harness otherwise sets the tests' old list). */
const DEFAULTS = { PLATFORMS: '' };
const BY = ['--by', 'U0123ABCD'];

const fixture = (name: string) => join(FIXTURES, name);
const realJson = (name: string) => JSON.parse(readFileSync(fixture(name), 'utf8')) as Record<string, unknown>;

/** What each real file must give: the release read from it, and the warnings it earns. */
const ACCEPTED = {
  'apel-2.1.0-1-el9.json': {
    product: 'apel',
    version: '2.1.0',
    packages: 7,
    first: 'apel-client-2.1.0-1.el9.noarch',
    warnings: ['"documentationLinks" holds "link2", which is not a link (a placeholder?).'],
  },
  'arc6-6.20.1-el9.json': {
    product: 'ARC',
    version: '6.20.1',
    packages: 33,
    first: 'nordugrid-arc-6.20.1-1.el9.x86_64',
    warnings: ['"documentationLinks" holds "link2", which is not a link (a placeholder?).'],
  },
  'top-bdii-1.0.8-el9.json': {
    product: 'bdii-config-top',
    version: '1.1.0',
    packages: 3,
    first: 'bdii-config-top-1.1.0-1.el9.noarch',
    warnings: [
      '"documentationLinks" holds "link2", which is not a link (a placeholder?).',
      'The file is named for version 1.0.8 but holds 1.1.0.',
    ],
  },
  'voms-2.1.0-el9.json': {
    product: 'voms',
    version: '2.1.0',
    packages: 9,
    first: 'voms-2.1.0-1.el9.x86_64',
    warnings: [
      '"contact" is empty: give an address the product team reads.',
      '"technicalContact" is "NA": give an address the product team reads.',
      '"documentationLinks" holds "link2", which is not a link (a placeholder?).',
    ],
  },
  'wn-5.1.0-1-el9.json': {
    product: 'wn',
    version: '5.1.0',
    packages: 1,
    first: 'wn-5.1.0-1.el9.x86_64',
    warnings: [
      '"contact" is "NA": give an address the product team reads.',
      '"technicalContact" is "NA": give an address the product team reads.',
      '"documentationLinks" holds "link2", which is not a link (a placeholder?).',
    ],
  },
} as const;

interface StatusJson {
  readonly id: string;
  readonly product: string;
  readonly version: string;
  readonly distribution: string;
  readonly platforms: readonly string[];
  readonly packagesByPlatform: Readonly<Record<string, readonly string[]>>;
  readonly descriptorWarnings: readonly string[];
  readonly descriptor: Record<string, unknown> | null;
}

const card = (name: string, more: Record<string, unknown> = {}) => ({ name, platforms: [], ...more });

describe.concurrent('UMD5 descriptors in and out (cmd-bot submit --descriptor, export descriptor)', () => {
  let ws: Workspace;
  const run = (args: readonly string[]) => ws.run(args, DEFAULTS);
  const status = async (id: string) => {
    const result = await run(['status', id, '--json']);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as StatusJson;
  };
  const submitted = new Map<string, Promise<{ id: string; stderr: string }>>();
  /** Each real file is submitted once (a second time would be a duplicate); the tests that need it share it. */
  const submitOnce = (name: string) => {
    let result = submitted.get(name);
    if (!result) {
      result = run(['submit', '--descriptor', fixture(name), ...BY]).then((done) => {
        expect(done.code, done.stderr).toBe(0);
        return { id: firstLine(done.stdout), stderr: done.stderr };
      });
      submitted.set(name, result);
    }
    return result;
  };

  beforeAll(() => {
    ws = workspace();
    ws.services('2026-11-02T10:00:00Z', (ctx) =>
      importProducts(
        ctx,
        [
          card('apel'),
          card('ARC'),
          card('HTCondor-CE'),
          card('bdii-config-top'),
          card('voms'),
          card('wn'),
          card('cASO', {
            team: 'IFCA',
            supportEmail: 'caso@example.org',
            description: 'Cloud accounting extractor',
            documentationLinks: ['https://caso.readthedocs.io/en/latest/'],
          }),
        ],
        OPERATOR,
      ),
    );
  });
  afterAll(() => ws.cleanup());

  it('the fixtures are the real files of ../shared/egi/umd5, every one of them covered here', () => {
    expect(readdirSync(FIXTURES).sort()).toEqual(
      [...Object.keys(ACCEPTED), 'htcondor-ce-23.0-el9.duplicate-rpm.json'].sort(),
    );
  });

  for (const [name, expected] of Object.entries(ACCEPTED)) {
    it(`when ${name} is submitted, then it is filed under UMD-5 on al9/x86_64 with package names from the rpm URLs, and warned about exactly`, async () => {
      const result = await submitOnce(name);
      // Warnings on stderr, after the confirmation.
      const stderr = result.stderr.split('\n');
      expect(stderr.slice(stderr.findIndex((line) => line.startsWith('Warnings about ')) + 1, -1)).toEqual(
        expected.warnings.map((warning) => `  ${warning}`),
      );
      const view = await status(result.id);
      expect(view).toMatchObject({
        product: expected.product,
        version: expected.version,
        distribution: 'UMD-5',
        platforms: ['al9/x86_64'],
        descriptorWarnings: expected.warnings,
      });
      const packages = view.packagesByPlatform['al9/x86_64'] ?? [];
      expect(packages).toHaveLength(expected.packages);
      expect(packages[0]).toBe(expected.first);
      for (const pkg of packages) expect(pkg).not.toMatch(/^https?:|\.rpm$|\//);
      // Every field is kept, the ones cmd-bot does not use too (dummy, softwareConfigurationLink).
      expect(view.descriptor).toEqual(realJson(name));
    });
  }

  it('when a real descriptor was imported, then export descriptor gives back the same JSON, for each file', async () => {
    await Promise.all(
      Object.keys(ACCEPTED).map(async (name) => {
        const { id } = await submitOnce(name);
        const exported = await run(['export', 'descriptor', id]);
        expect(exported.code, exported.stderr).toBe(0);
        expect(JSON.parse(exported.stdout), name).toEqual(realJson(name));
      }),
    );
  });

  it('when the same rpm is listed twice on a target (htcondor-ce 23.0.13, as once committed), then it is refused naming it', async () => {
    const result = await run([
      'submit',
      '--descriptor',
      fixture('htcondor-ce-23.0-el9.duplicate-rpm.json'),
      ...BY,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'htcondor-ce-23.0-el9.duplicate-rpm.json is not a usable product descriptor:',
    );
    expect(result.stderr).toContain(
      'target[0].rpms lists htcondor-ce-pbs-23.0.13-1.el9.noarch twice; list each package once',
    );
  });

  /** A real file changed in one way. */
  const variant = (
    file: string,
    change: (json: Record<string, unknown>) => void,
    from = 'apel-2.1.0-1-el9.json',
  ) => {
    const json = realJson(from);
    change(json);
    return ws.file(file, JSON.stringify(json));
  };

  it('when a value read from the file is refused by the submission (a version too long), then the refusal names the file and its field', async () => {
    const file = variant('long-version.json', (json) => {
      json.version = `2.1.0-${'x'.repeat(70)}`;
    });
    const result = await run(['submit', '--descriptor', file, ...BY]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('long-version.json is not a usable product descriptor:');
    expect(result.stderr).toContain('cmd-bot:   "version": The version must be at most 64 characters.');
  });

  it('when the distribution is CMD-OS 1.x, then it is filed under CMD-OS-1, never the default; an unconfigured one is refused naming the configured', async () => {
    const cmdOs = variant('apel-cmd-os.json', (json) => {
      json.version = '2.1.1';
      json.distributionType = 'CMD-OS';
      json.distributionVersion = '1.3.0';
    });
    const cmdOs2 = variant('apel-cmd-os-2.json', (json) => {
      json.version = '2.1.2';
      json.distributionType = 'CMD-OS';
      json.distributionVersion = '2.0.0';
    });
    const disagree = variant('apel-disagree.json', (json) => {
      json.version = '2.1.3';
    });
    const [filed, refused, conflicting] = await Promise.all([
      run(['submit', '--descriptor', cmdOs, ...BY]),
      run(['submit', '--descriptor', cmdOs2, ...BY]),
      run(['submit', '--descriptor', disagree, '--dist', 'CMD-OS-1', ...BY]),
    ]);
    expect(filed.code, filed.stderr).toBe(0);
    expect((await status(firstLine(filed.stdout))).distribution).toBe('CMD-OS-1');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      '"distributionType" "CMD-OS" with "distributionVersion" "2.0.0" is CMD-OS-2, which is not configured here (UMD-5, CMD-OS-1, CMD-ONE-1).',
    );
    expect(conflicting.code).toBe(1);
    expect(conflicting.stderr).toContain('The descriptor is for UMD-5, not CMD-OS-1');
  });

  it('when a target names el9, rocky9 or alma9, then PLATFORM_ALIASES files it under al9; el8 is refused even through the aliases', async () => {
    const rocky = variant('apel-rocky.json', (json) => {
      json.version = '2.1.4';
      (json.target as Record<string, unknown>[])[0] = { ...(json.target as object[])[0], platform: 'rocky9' };
    });
    const el8 = variant('apel-el8.json', (json) => {
      json.version = '2.1.5';
      (json.target as Record<string, unknown>[])[0] = { ...(json.target as object[])[0], platform: 'el8' };
    });
    const [aliased, unknown] = await Promise.all([
      run(['submit', '--descriptor', rocky, ...BY]),
      run(['submit', '--descriptor', el8, ...BY]),
    ]);
    expect(aliased.code, aliased.stderr).toBe(0);
    expect((await status(firstLine(aliased.stdout))).platforms).toEqual(['al9/x86_64']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'target[0]: el8/x86_64 is not a configured platform, nor a name PLATFORM_ALIASES gives one; configured: al9/x86_64.',
    );
  });

  it('when the name, version or target is missing, then each is refused naming the field, and nothing is stored', async () => {
    const missing = variant('apel-missing.json', (json) => {
      delete json.name;
      delete json.version;
      delete json.target;
    });
    const empty = variant('apel-empty-target.json', (json) => {
      json.target = [];
    });
    const [bothMissing, emptyTarget] = await Promise.all([
      run(['submit', '--descriptor', missing, ...BY]),
      run(['submit', '--descriptor', empty, ...BY]),
    ]);
    expect(bothMissing.code).toBe(1);
    expect(bothMissing.stderr).toContain('The descriptor has no "name": give the product\'s name as text');
    expect(bothMissing.stderr).toContain('The descriptor has no "version": give the version being released');
    expect(bothMissing.stderr).toContain('The descriptor has no "target": list each platform');
    expect(emptyTarget.code).toBe(1);
    expect(emptyTarget.stderr).toContain('"target" must be a list of at least one platform');
  });

  it('when the release notes name another version or product, or the version fields disagree, then it is accepted with those warnings', async () => {
    const odd = variant('apel-odd.json', (json) => {
      json.version = '2.1.6';
      json.releaseNotes = 'https://italiangrid.github.io/voms/release-notes/voms-core/2.0.9/';
      json.majorVersion = '3';
    });
    const result = await run(['submit', '--descriptor', odd, ...BY]);
    expect(result.code, result.stderr).toBe(0);
    expect((await status(firstLine(result.stdout))).descriptorWarnings).toEqual([
      '"documentationLinks" holds "link2", which is not a link (a placeholder?).',
      '"releaseNotes" names version 2.0.9, not 2.1.6: check the link.',
      '"releaseNotes" names the product voms, not apel: check the link.',
      '"majorVersion", "minorVersion" and "revisionVersion" (3.1.0) disagree with "version" 2.1.6.',
    ]);
  });

  it('when a release typed by hand is exported, then one descriptor per platform is written from it and its Product ID card', async () => {
    // The CLI runs on the real clock: its release date is today's in CMD_TIMEZONE (the default, Amsterdam), read
    // before and after in case the day turns meanwhile.
    const today = () => DateTime.now().setZone('Europe/Amsterdam').toISODate();
    const days = [today()];
    const typed = await run([
      'submit',
      '--product',
      'cASO',
      '--version',
      '1.4.0',
      '--notes',
      'https://appdb.egi.eu/caso/1.4.0',
      '--package',
      'caso',
      '--platform',
      'el9/x86_64',
      '--dist',
      'CMD-OS-1',
      ...BY,
    ]);
    expect(typed.code, typed.stderr).toBe(0);
    const id = firstLine(typed.stdout);
    const exported = await run(['export', 'descriptor', id]);
    days.push(today());
    expect(exported.code, exported.stderr).toBe(0);
    const descriptor = JSON.parse(exported.stdout);
    expect(days).toContain(descriptor.releaseDate);
    expect(descriptor).toEqual({
      name: 'cASO',
      version: '1.4.0',
      currentState: 'Production',
      technology_provider: 'IFCA',
      contact: 'caso@example.org',
      technicalContact: 'caso@example.org',
      description: 'Cloud accounting extractor',
      releaseDate: descriptor.releaseDate,
      majorVersion: '1',
      minorVersion: '4',
      revisionVersion: '0',
      releaseNotes: 'https://appdb.egi.eu/caso/1.4.0',
      changeLog: 'https://appdb.egi.eu/caso/1.4.0',
      documentationLinks: ['https://caso.readthedocs.io/en/latest/'],
      repositoryURL: 'sw/production/cmd-os/1',
      distributionType: 'CMD-OS',
      distributionVersion: '1.0.0',
      capabilities: [],
      target: [{ platform: 'al9', arch: 'x86_64', repositoryURL: 'sw/production/cmd-os/1', rpms: ['caso'] }],
    });
  });

  it('when a submission has two platforms, then --out DIR is needed and gets one file per platform', async () => {
    const two = ws.file(
      'two-targets.json',
      JSON.stringify({
        ...realJson('wn-5.1.0-1-el9.json'),
        version: '5.1.1',
        majorVersion: '5',
        minorVersion: '1',
        revisionVersion: '1',
        target: [
          { platform: 'al9', arch: 'x86_64', rpms: ['https://x.example/wn-5.1.1-1.el9.x86_64.rpm'] },
          { platform: 'al9', arch: 'aarch64', rpms: ['https://x.example/wn-5.1.1-1.el9.aarch64.rpm'] },
        ],
      }),
    );
    const env = { ...DEFAULTS, PLATFORMS: 'al9/x86_64,al9/aarch64' };
    const submittedTwo = await ws.run(['submit', '--descriptor', two, ...BY], env);
    expect(submittedTwo.code, submittedTwo.stderr).toBe(0);
    const id = firstLine(submittedTwo.stdout);
    const withoutOut = await ws.run(['export', 'descriptor', id], env);
    expect(withoutOut.code).toBe(2);
    expect(withoutOut.stderr).toContain('has 2 target platforms, one descriptor each: give --out DIR');
    const dir = join(ws.dir, 'out');
    mkdirSync(dir);
    const written = await ws.run(['export', 'descriptor', id, '--out', dir], env);
    expect(written.code, written.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['wn-5.1.1-al9-aarch64.json', 'wn-5.1.1-al9-x86_64.json']);
    const x86 = JSON.parse(readFileSync(join(dir, 'wn-5.1.1-al9-x86_64.json'), 'utf8'));
    expect(x86.target).toEqual([
      { platform: 'al9', arch: 'x86_64', rpms: ['https://x.example/wn-5.1.1-1.el9.x86_64.rpm'] },
    ]);
    expect(x86.technology_provider).toBe('EGI');
  });
});
