import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importProducts } from '../../src/services/index.js';
import { ARC_CARD, DCACHE_CARD, firstLine, OPERATOR, type Workspace, workspace } from './harness.js';

interface StatusJson {
  readonly id: string;
  readonly product: string;
  readonly version: string;
  readonly distribution: string;
  readonly security: boolean;
  readonly status: string;
  readonly releaseNotes: string;
  readonly submittedBy: string;
  readonly platforms: readonly string[];
  readonly packagesByPlatform: Readonly<Record<string, readonly string[]>>;
  readonly injectionDeadline: string;
}

// The tests share one database and run concurrently, so each reads the ids it was given.
describe.concurrent('cmd-bot submit', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = workspace();
    ws.services('2026-11-02T10:00:00Z', (ctx) => importProducts(ctx, [ARC_CARD, DCACHE_CARD], OPERATOR));
  });
  afterAll(() => ws.cleanup());

  it('when given product, version, notes and packages, then it prints the new SUB id first and records the release for the card platforms', async () => {
    const result = await ws.run([
      'submit',
      '--product',
      'arc',
      '--version',
      '6.21.1',
      '--notes',
      'https://www.nordugrid.org/arc/releases/6.21.1',
      '--package',
      'nordugrid-arc',
      'nordugrid-arc-client',
      '--package',
      'nordugrid-arc-hed',
      '--by',
      'U0123ABCD',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^SUB-\d+\n$/);
    const id = firstLine(result.stdout);
    expect(result.stderr).toMatch(
      new RegExp(
        `^Submitted ARC 6\\.21\\.1 for UMD-5 as ${id}, .* Injection due \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC \\(.* Europe/Amsterdam\\)`,
      ),
    );

    const status = await ws.json<StatusJson>(['status', id, '--json']);
    const packages = ['nordugrid-arc', 'nordugrid-arc-client', 'nordugrid-arc-hed'];
    expect(status).toMatchObject({
      id,
      product: 'ARC',
      version: '6.21.1',
      distribution: 'UMD-5',
      security: false,
      status: 'open',
      submittedBy: 'U0123ABCD',
      platforms: ['el9/x86_64', 'el8/x86_64'],
      packagesByPlatform: { 'el9/x86_64': packages, 'el8/x86_64': packages },
    });
    expect(new Date(status.injectionDeadline).toISOString()).toBe(status.injectionDeadline);
  });

  it('when the packages come from a file with --platform, --dist and --security, then they are all recorded', async () => {
    const list = ws.file('packages.txt', '# dCache 9.2\ndcache\n\n  dcache-srmclient  \n# end\n');
    const result = await ws.run([
      'submit',
      '--product',
      'dCache',
      '--version',
      '9.2.1',
      '--notes',
      'https://www.dcache.org/9.2.1',
      '--packages-file',
      list,
      '--platform',
      'el9/x86_64',
      '--platform',
      'ubuntu22/amd64',
      '--dist',
      'CMD-OS-1',
      '--security',
      '--comment',
      'fixes a CVE',
      '--by',
      'U0123ABCD',
    ]);
    expect(result.code).toBe(0);
    const id = firstLine(result.stdout);
    expect(id).toMatch(/^SUB-\d+$/);
    const status = await ws.json<StatusJson>(['status', id, '--json']);
    expect(status).toMatchObject({
      distribution: 'CMD-OS-1',
      security: true,
      platforms: ['el9/x86_64', 'ubuntu22/amd64'],
      packagesByPlatform: {
        'el9/x86_64': ['dcache', 'dcache-srmclient'],
        'ubuntu22/amd64': ['dcache', 'dcache-srmclient'],
      },
    });
  });

  it('when given a UMD5 descriptor with two targets and --dist, then each platform gets its own packages and every field is kept', async () => {
    const descriptor = ws.file(
      'arc-7.json',
      JSON.stringify({
        name: 'ARC',
        version: '7.0.0',
        releaseNotes: 'https://www.nordugrid.org/arc/releases/7.0.0',
        maintainer: 'ignored',
        target: [
          {
            platform: 'el9',
            arch: 'x86_64',
            rpms: ['nordugrid-arc-7.0.0-1.el9.x86_64.rpm'],
            repo: 'ignored',
          },
          {
            platform: 'el8',
            arch: 'x86_64',
            rpms: [
              'https://download.nordugrid.org/el8/nordugrid-arc-7.0.0-1.el8.x86_64.rpm',
              'extra.el8.rpm',
            ],
          },
        ],
      }),
    );
    const result = await ws.run([
      'submit',
      '--descriptor',
      descriptor,
      '--dist',
      'UMD-5',
      '--by',
      'U0123ABCD',
    ]);
    expect(result.code).toBe(0);
    const id = firstLine(result.stdout);
    const status = await ws.json<StatusJson>(['status', id, '--json']);
    expect(status).toMatchObject({
      product: 'ARC',
      version: '7.0.0',
      releaseNotes: 'https://www.nordugrid.org/arc/releases/7.0.0',
      platforms: ['el9/x86_64', 'el8/x86_64'],
      packagesByPlatform: {
        'el9/x86_64': ['nordugrid-arc-7.0.0-1.el9.x86_64'],
        'el8/x86_64': ['nordugrid-arc-7.0.0-1.el8.x86_64', 'extra.el8'],
      },
    });
    // A descriptor without contacts is accepted, with the warnings on stderr.
    expect(result.stderr).toContain('"contact" is missing: nobody can be reached from this descriptor.');
  });

  it('when the release is wrong (unknown product, bad version, duplicate, bad descriptor), then it exits 1 saying what to fix', async () => {
    const release = (product: string, version: string) => [
      'submit',
      '--product',
      product,
      '--version',
      version,
      '--notes',
      'https://example.org/notes',
      '--package',
      'pkg',
      '--by',
      'U0123ABCD',
    ];
    const badDescriptor = ws.file(
      'bad.json',
      JSON.stringify({ name: 'ARC', version: 7, target: [{ platform: 'el9', rpms: [] }, 'el8'] }),
    );
    const earlier = await ws.run(release('ARC', '5.4.4'));
    expect(earlier.code).toBe(0);
    const [unknown, badVersion, duplicate, descriptor] = await Promise.all([
      ws.run(release('NoSuchProduct', '1.0')),
      ws.run(release('ARC', '6.21 final')),
      ws.run(release('ARC', '5.4.4')),
      ws.run(['submit', '--descriptor', badDescriptor, '--by', 'U0123ABCD']),
    ]);
    for (const result of [unknown, badVersion, duplicate, descriptor]) {
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
    }
    expect(unknown.stderr).toMatch(
      /^cmd-bot: The product "NoSuchProduct" is not registered\. Known products: ARC, dCache/,
    );
    expect(badVersion.stderr).toMatch(/^cmd-bot: The version must not contain spaces/);
    expect(duplicate.stderr).toMatch(
      new RegExp(
        `^cmd-bot: ARC 5\\.4\\.4 for UMD-5 is already submitted as ${firstLine(earlier.stdout)} \\(Open\\)`,
      ),
    );
    expect(descriptor.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('bad.json is not a usable product descriptor:'),
      'cmd-bot:   "version" must be the version being released as text, such as "6.20.1".',
      'cmd-bot:   The descriptor has no "releaseNotes": give the link to the release notes.',
      'cmd-bot:   The descriptor has no "distributionType" (such as "UMD" with "distributionVersion" "5.0.0"): add them to the file, for one of UMD-5, CMD-OS-1, CMD-ONE-1 (the command line\'s --dist also gives it).',
      'cmd-bot:   target[0].arch must be the architecture as text, such as "x86_64".',
      "cmd-bot:   target[0].rpms must be a list of the packages' rpm URLs (or names), at least one.",
      'cmd-bot:   target[1] must be an object with platform, arch and rpms.',
    ]);
  });

  it('when the command line is wrong (no --by, bad --by, both or neither package option, mixed forms), then it exits 2 with a hint', async () => {
    const base = ['submit', '--product', 'ARC', '--version', '9.9', '--notes', 'https://example.org/n'];
    const results = await Promise.all([
      ws.run([...base, '--package', 'pkg']),
      ws.run([...base, '--package', 'pkg', '--by', 'alice']),
      ws.run([...base, '--package', 'pkg', '--packages-file', 'list.txt', '--by', 'U0123ABCD']),
      ws.run([...base, '--by', 'U0123ABCD']),
      ws.run(['submit', '--descriptor', 'd.json', '--version', '1', '--by', 'U0123ABCD']),
      ws.run(['submit', '--product', 'ARC', '--package', 'pkg', '--by', 'U0123ABCD']),
    ]);
    const [noBy, badBy, both, neither, mixed, missing] = results;
    for (const result of results) {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('(run cmd-bot submit --help for usage)');
    }
    expect(noBy?.stderr).toContain("required option '--by <USER_ID>' not specified");
    expect(badBy?.stderr).toContain('Slack user id');
    expect(both?.stderr).toContain('either with --package');
    expect(neither?.stderr).toContain('either with --package');
    expect(mixed?.stderr).toContain('drop --version');
    expect(missing?.stderr).toContain('give --version, --notes');
    // Nothing of it was recorded.
    const rows = await ws.json<{ version: string }[]>(['list', '--json']);
    expect(rows.filter((row) => row.version === '9.9')).toEqual([]);
  });
});
