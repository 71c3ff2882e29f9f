import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/database.js';
import { itSpawns, runCli, runCliIn } from './harness.js';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/cmd-bot.js', import.meta.url));

describe('the cmd-bot command', () => {
  it('when run with --help, then it describes itself and exits 0', async () => {
    const { stdout } = await run(process.execPath, [bin, '--help']);
    expect(stdout).toContain('Usage: cmd-bot');
    expect(stdout).toContain("EGI's software provisioning process");
  });

  it('when given an unknown command, then it exits 2 and says how to get help', async () => {
    const failure = await run(process.execPath, [bin, 'no-such-command']).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('cmd-bot --help');
  });
});

describe.concurrent('cmd-bot usage and exit codes', () => {
  it('when any command is given --help, then it prints its usage and options on stdout and exits 0', async () => {
    const commands: [string[], string[]][] = [
      [['migrate'], ['DATABASE_PATH']],
      [['products'], ['import', 'list']],
      [
        ['products', 'import'],
        ['<FILE>', '--by <USER_ID>'],
      ],
      [['products', 'list'], ['--json']],
      [
        ['submit'],
        ['--product <P>', '--version <V>', '--notes <URL>', '--package <PKG...>', '--packages-file <FILE>'],
      ],
      [
        ['submit'],
        ['--platform <P...>', '--dist <D>', '--security', '--descriptor <FILE>', '--by <USER_ID>'],
      ],
      [['status'], ['<ID>', '--json']],
      [['list'], ['--status <S>', '--overdue', '--json']],
      [['check'], ['--at <ISO-TIME>', '--dry-run', '--allow-future']],
      [['export'], ['--format <FORMAT>', '"csv"', '"json"', 'descriptor']],
      [
        ['export', 'descriptor'],
        ['<SUB_ID>', '--out <DIR>'],
      ],
      [['backup'], ['<FILE>', '--force']],
      [['release'], ['create', 'show', 'export']],
      [
        ['release', 'create'],
        ['<NAME>', '--date <DATE>', '--security', '--by <USER_ID>'],
      ],
      [
        ['release', 'show'],
        ['<NAME>', '--json'],
      ],
      [
        ['release', 'export'],
        ['<NAME>', '--format <FORMAT>', '"json"', '"md"', '--products-dir <DIR>'],
      ],
    ];
    const results = await Promise.all(commands.map(([args]) => runCli([...args, '--help'], {})));
    results.forEach((result, index) => {
      const [args, expected] = commands[index] as [string[], string[]];
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: cmd-bot ${args.join(' ')}`);
      for (const text of expected) expect(result.stdout).toContain(text);
    });
    const top = await runCli(['--help'], {});
    for (const name of [
      'migrate',
      'products',
      'submit',
      'status',
      'list',
      'check',
      'export',
      'backup',
      'release',
    ]) {
      expect(top.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    }
  });

  it('when an option is unknown or an argument missing, then it exits 2 and points at the help of that command', async () => {
    const [unknownOption, missingArgument, noSubcommand] = await Promise.all([
      runCli(['list', '--bogus'], {}),
      runCli(['backup'], {}),
      runCli(['products'], {}),
    ]);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("error: unknown option '--bogus'");
    expect(unknownOption.stderr).toContain('(run cmd-bot list --help for usage)');
    expect(missingArgument.code).toBe(2);
    expect(missingArgument.stderr).toContain("missing required argument 'FILE'");
    expect(noSubcommand.code).toBe(2);
    expect(noSubcommand.stderr).toContain('Usage: cmd-bot products');
  });

  it('when the configuration is wrong, then it exits 1 and lists every problem', async () => {
    const dir = tempDir();
    try {
      const result = await runCli(['list'], {
        DATABASE_PATH: join(dir, 'db.sqlite'),
        CMD_TIMEZONE: 'Mars/Olympus',
        INJECTION_WORKING_DAYS: 'five',
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('cmd-bot: The configuration has 2 problem(s):');
      expect(result.stderr).toContain('CMD_TIMEZONE: is not an IANA time zone');
      expect(result.stderr).toContain('INJECTION_WORKING_DAYS: must be a whole number');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  itSpawns(
    'when DATABASE_PATH is empty, then the default data/cmd-bot.sqlite under the working directory is used',
    async () => {
      const dir = tempDir();
      try {
        const result = await runCliIn(dir, ['migrate'], { DATABASE_PATH: '' });
        expect(result.code).toBe(0);
        expect(result.stdout).toBe(`${join(dir, 'data', 'cmd-bot.sqlite')}\n`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
