/** `cmd-bot migrate` on a database this cmd-bot must not use: it says why and exits 1, touching nothing. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.js';
import { recordNewerMigration } from '../support/database.js';
import { makeReadOnly, UNPRIVILEGED } from '../support/unprivileged.js';
import { itSpawns, withWorkspace } from './harness.js';

describe.concurrent('cmd-bot migrate on a database it must not use', () => {
  // FIXED (src/db/migrate.ts): a database with a migration the code does not have was reported "up to date".
  it('when the database has a migration newer than this cmd-bot, then it says so and exits 1', () =>
    withWorkspace(async (ws) => {
      openDatabase(ws.dbPath).close();
      const newer = recordNewerMigration(ws.dbPath);

      const result = await ws.run(['migrate']);

      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr:
          `cmd-bot: DATABASE_PATH ${ws.dbPath} was written by a newer cmd-bot (migration ${newer}, made ` +
          `${new Date(newer).toISOString()}); upgrade cmd-bot or restore a backup.\n`,
      });
    }));

  // FIXED (src/db/usable.ts): a database file the user cannot write was reported "up to date".
  itSpawns(
    'when the database file is read-only, then it names the file and the permission to give, and exits 1',
    () =>
      withWorkspace(async (ws) => {
        openDatabase(ws.dbPath).close();
        makeReadOnly(ws.dbPath);

        const result = await ws.run(['migrate'], {}, UNPRIVILEGED);

        expect(result).toEqual({
          code: 1,
          stdout: '',
          stderr:
            `cmd-bot: DATABASE_PATH ${ws.dbPath} cannot be written (SQLite: attempt to write a readonly database); ` +
            "give the bot's user write permission on the file and its folder.\n",
        });
      }),
  );

  itSpawns(
    'when the database file is read-only, then the commands that only read still work, backup included',
    () =>
      withWorkspace(async (ws) => {
        openDatabase(ws.dbPath).close();
        makeReadOnly(ws.dbPath);
        const copy = join(ws.dir, 'copy.sqlite');

        const [list, exported, products, backup] = await Promise.all([
          ws.run(['list'], {}, UNPRIVILEGED),
          ws.run(['export', '--format', 'json'], {}, UNPRIVILEGED),
          ws.run(['products', 'list'], {}, UNPRIVILEGED),
          ws.run(['backup', copy], {}, UNPRIVILEGED),
        ]);

        expect([list.code, exported.code, products.code, backup.code], backup.stderr).toEqual([0, 0, 0, 0]);
        expect(list.stderr).toBe('Nothing matches.\n');
        expect(backup.stdout).toBe(`${copy}\n`);
      }),
  );
});
