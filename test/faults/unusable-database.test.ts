/**
 * `npm start` (node dist/main.js) on a database it cannot use: it stops at once with one line that names the file
 * and what to do, instead of starting and failing every submission (or writing into a newer release's data).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.js';
import { type AppProcess, spawnApp } from '../support/app-process.js';
import { botEnv } from '../support/bot.js';
import { recordNewerMigration, tempDir } from '../support/database.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import { makeReadOnly, type ProcessUser, UNPRIVILEGED } from '../support/unprivileged.js';

let slack: FakeSlack;
let dir: string;
let dbPath: string;
const apps: AppProcess[] = [];

beforeEach(async () => {
  slack = await startFakeSlack();
  dir = tempDir('cmd-bot-unusable-');
  dbPath = join(dir, 'cmd-bot.sqlite');
  openDatabase(dbPath).close();
});

afterEach(async () => {
  for (const app of apps.splice(0)) await app.kill();
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(user?: ProcessUser): Promise<{ code: number | null; output: string }> {
  const app = await spawnApp({
    cwd: dir,
    env: botEnv(slack.url, dbPath),
    ...(user ? { user } : {}),
  });
  apps.push(app);
  // A bot that started anyway is the failure this file is about: say so rather than wait for its exit.
  expect(app.port, `it started: ${app.output()}`).toBe(0);
  return { code: await app.exited, output: app.output() };
}

describe('npm start on a database it cannot use', () => {
  // FIXED (src/db/usable.ts): the bot started, /healthz said ok, and every submission failed.
  it('when the database file is read-only, then it stops with one line naming the file and the permission', async () => {
    makeReadOnly(dbPath);

    const started = await start(UNPRIVILEGED);

    expect(started).toEqual({
      code: 1,
      output:
        `cmd-bot cannot start. DATABASE_PATH ${dbPath} cannot be written (SQLite: attempt to write a readonly ` +
        "database); give the bot's user write permission on the file and its folder.\n",
    });
  });

  // FIXED (src/db/migrate.ts): the bot started silently on a newer release's database.
  it('when the database has a migration newer than this cmd-bot, then it stops and says to upgrade or restore', async () => {
    const newer = recordNewerMigration(dbPath);

    const started = await start();

    expect(started).toEqual({
      code: 1,
      output:
        `cmd-bot cannot start. DATABASE_PATH ${dbPath} was written by a newer cmd-bot (migration ${newer}, made ` +
        `${new Date(newer).toISOString()}); upgrade cmd-bot or restore a backup.\n`,
    });
  });

  // FIXED (src/db/usable.ts): the bot started on a schema its migrations did not make.
  it('when a column the code uses was renamed, then it stops naming the table and the column', async () => {
    const sqlite = new Database(dbPath);
    sqlite.exec('alter table tickets rename column platform to target_platform');
    sqlite.close();

    const started = await start();

    expect(started).toEqual({
      code: 1,
      output:
        `cmd-bot cannot start. DATABASE_PATH ${dbPath} differs from what this cmd-bot's migrations make ` +
        '(missing: column tickets.platform); it was changed outside cmd-bot, so restore a backup.\n',
    });
  });
});
