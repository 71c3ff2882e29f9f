/**
 * One configuration for the bot and the CLI: both read `.env` in the working directory, the environment wins,
 * and every command names the database it opens. The commands that only read never create an empty one.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/config/app.js';
import { withEnvFile } from '../../src/config/env-file.js';
import { tempDir } from '../support/database.js';
import { itSpawns, runCliIn, runInProcess } from './harness.js';

const CARDS = JSON.stringify([{ name: 'ARC', contacts: ['UCONTACT1'], platforms: ['el9/x86_64'] }]);

/** What an operator writes, following the README: the Slack settings and the database. */
function writeDotEnv(dir: string, databasePath: string): string {
  const file = join(dir, '.env');
  writeFileSync(
    file,
    [
      '# cmd-bot settings',
      'SLACK_BOT_TOKEN=xoxb-from-dotenv',
      'SLACK_SIGNING_SECRET="a secret with spaces"',
      'UMD_CHANNEL_ID=C0UMD',
      'UMD_STAFF_USER_IDS=USTAFF1',
      `export DATABASE_PATH=${databasePath}`,
      '',
    ].join('\n'),
  );
  return file;
}

describe('.env for the bot and the command line', () => {
  it('when DATABASE_PATH is only in .env, then the CLI imports into that file and the bot reads the same one', async () => {
    const dir = tempDir('cmd-bot-dotenv-');
    const database = join(dir, 'from-dotenv.sqlite');
    const envFile = writeDotEnv(dir, database);
    const cards = join(dir, 'products.json');
    writeFileSync(cards, CARDS);

    const imported = await runInProcess(['products', 'import', cards], {}, envFile);
    const listed = await runInProcess(['products', 'list', '--json'], {}, envFile);

    expect(imported.code).toBe(0);
    expect(imported.stderr.split('\n')[0]).toBe(`Database: ${database} (DATABASE_PATH in ${envFile})`);
    expect(JSON.parse(listed.stdout).map((card: { name: string }) => card.name)).toEqual(['ARC']);
    expect(existsSync(join(dir, 'data'))).toBe(false);
    // npm start, in the same directory with the same environment (none), opens the same file.
    const config = loadAppConfig(process.env, envFile);
    expect(config.DATABASE_PATH).toBe(database);
    expect(config.SLACK_SIGNING_SECRET).toBe('a secret with spaces');
  });

  it('when the environment sets a key that .env sets too, then the environment wins, for both', () => {
    const dir = tempDir('cmd-bot-dotenv-');
    const envFile = writeDotEnv(dir, join(dir, 'from-dotenv.sqlite'));

    const merged = withEnvFile({ DATABASE_PATH: '/srv/cmd-bot/live.sqlite', LOG_LEVEL: 'warn' }, envFile);

    expect(merged.env).toMatchObject({
      DATABASE_PATH: '/srv/cmd-bot/live.sqlite',
      LOG_LEVEL: 'warn',
      UMD_CHANNEL_ID: 'C0UMD',
    });
    expect([...merged.fromFile].sort()).toEqual([
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'UMD_CHANNEL_ID',
      'UMD_STAFF_USER_IDS',
    ]);
  });

  it('when the database comes from the environment or the default, then the first line says so', async () => {
    const dir = tempDir('cmd-bot-dotenv-');
    const database = join(dir, 'env.sqlite');

    const fromEnv = await runInProcess(['migrate'], { DATABASE_PATH: database });

    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stderr.split('\n')[0]).toBe(`Database: ${database} (DATABASE_PATH)`);
    expect(fromEnv.stdout).toBe(`${database}\n`);
  });

  itSpawns('when cmd-bot runs in a directory with a .env, then it reads it, as npm start does', async () => {
    const dir = tempDir('cmd-bot-dotenv-');
    writeDotEnv(dir, './relative.sqlite');
    writeFileSync(join(dir, 'products.json'), CARDS);

    const imported = await runCliIn(dir, ['products', 'import', 'products.json'], {});
    const defaulted = await runCliIn(tempDir('cmd-bot-no-dotenv-'), ['products', 'list'], {});

    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/^Database: \/.*\/relative\.sqlite \(DATABASE_PATH in \/.*\/\.env\)\n/);
    expect(existsSync(join(dir, 'relative.sqlite'))).toBe(true);
    expect(defaulted.stderr).toMatch(
      /^Database: \/.*\/data\/cmd-bot\.sqlite \(the default; set DATABASE_PATH for another\)\n/,
    );
  });
});

describe('the commands that only read, on a database that does not exist', () => {
  const READERS: readonly (readonly string[])[] = [
    ['status', 'SUB-1'],
    ['list'],
    ['export', '--format', 'json'],
    ['outbox'],
    ['products', 'list'],
    ['report', '--from', '2027-03-01', '--to', '2027-03-31'],
  ];

  it.each(READERS)('when %s is run, then it refuses, names the file and creates nothing', async (...args) => {
    const dir = tempDir('cmd-bot-missing-');
    const database = join(dir, 'typo.sqlite');

    const result = await runInProcess(args, { DATABASE_PATH: database });

    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `Database: ${database} (DATABASE_PATH)\n` +
        `cmd-bot: No database at ${database}; run \`cmd-bot migrate\` or set DATABASE_PATH.\n`,
    });
    expect(existsSync(database)).toBe(false);
  });
});
