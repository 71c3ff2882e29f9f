/**
 * The checks `openDatabase` makes before anyone uses a file (src/db/usable.ts, migrate.ts), and the write probe
 * /healthz runs, on real files with the real migrations. A read-only file needs a process that file permissions
 * bind: test/faults/unusable-database.test.ts and test/cli/migrate.test.ts start one.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DatabaseSchemaMismatchError,
  DatabaseTooNewError,
  enableGroupCommit,
  immediate,
  openDatabase,
  probeWritable,
  whenDurable,
} from '../../src/db/index.js';
import { recordNewerMigration, tempDir } from '../support/database.js';

let dir: string;
let path: string;
beforeEach(() => {
  dir = tempDir('cmd-bot-usable-');
  path = join(dir, 'cmd-bot.sqlite');
  openDatabase(path).close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Changes the file behind cmd-bot's back, as a person with the sqlite3 shell would. */
function alter(sql: string): void {
  const sqlite = new Database(path);
  try {
    sqlite.exec(sql);
  } finally {
    sqlite.close();
  }
}

const openingError = (): unknown => {
  try {
    openDatabase(path).close();
  } catch (error) {
    return error;
  }
  return undefined;
};

const count = (sqlite: Database.Database, table: string) =>
  (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

describe('opening a database this cmd-bot must not use', () => {
  it('when the file records a migration this code does not have, then opening is refused and applies nothing', () => {
    const newer = recordNewerMigration(path);
    const journal = JSON.parse(
      readFileSync(new URL('../../drizzle/meta/_journal.json', import.meta.url), 'utf8'),
    );

    const error = openingError();

    expect(error).toBeInstanceOf(DatabaseTooNewError);
    expect(error).toMatchObject({
      code: 'DATABASE_TOO_NEW',
      message: `DATABASE_PATH ${path} was written by a newer cmd-bot (migration ${newer}, made ${new Date(newer).toISOString()}); upgrade cmd-bot or restore a backup.`,
    });
    const sqlite = new Database(path, { readonly: true });
    expect(count(sqlite, '__drizzle_migrations')).toBe(journal.entries.length + 1);
    sqlite.close();
  });

  it('when a column the code uses was renamed, then opening is refused naming the table and the column', () => {
    alter('alter table tickets rename column platform to target_platform');

    const error = openingError();

    expect(error).toBeInstanceOf(DatabaseSchemaMismatchError);
    expect(error).toMatchObject({ code: 'DATABASE_SCHEMA_MISMATCH', missing: ['column tickets.platform'] });
    expect((error as Error).message).toBe(
      `DATABASE_PATH ${path} differs from what this cmd-bot's migrations make (missing: column tickets.platform); it was changed outside cmd-bot, so restore a backup.`,
    );
  });

  it('when a table the code uses was dropped, then opening is refused naming it', () => {
    alter('drop table digests');

    expect(openingError()).toMatchObject({ missing: ['table digests'] });
  });

  it('when a table has a column the code does not know, then it opens: nothing reads it', () => {
    alter('alter table products add column notes text');

    expect(openingError()).toBeUndefined();
  });

  it('when a recorded migration has another hash (its file got other line endings), then it opens', () => {
    alter(
      "update __drizzle_migrations set hash = 'crlf' where id = (select min(id) from __drizzle_migrations)",
    );

    expect(openingError()).toBeUndefined();
  });
});

describe('the write probe of /healthz', () => {
  let handle: ReturnType<typeof openDatabase>;
  beforeEach(() => {
    handle = openDatabase(path);
  });
  afterEach(() => handle.close());

  it('when it runs, then it leaves nothing behind: no row, nothing in the log, no open transaction', async () => {
    const log = statSync(`${path}-wal`).size;

    await probeWritable(handle);

    expect(count(handle.sqlite, 'write_probe')).toBe(0);
    expect(statSync(`${path}-wal`).size).toBe(log);
    expect(handle.sqlite.inTransaction).toBe(false);
  });

  it("when the turn's changes wait for their group commit, then it waits for that commit and does not make it", async () => {
    enableGroupCommit(handle.db);
    immediate(handle.db, (tx) =>
      tx.$client.prepare("insert into digests (day, sent_at) values ('2027-03-01', 0)").run(),
    );
    const order: string[] = [];

    await Promise.all([
      whenDurable(handle.db).then(() => order.push('group committed')),
      probeWritable(handle).then(() => order.push('probed')),
    ]);

    expect(order).toEqual(['group committed', 'probed']);
    const other = new Database(path, { readonly: true });
    expect([count(other, 'digests'), count(other, 'write_probe')]).toEqual([1, 0]);
    other.close();
  });

  it('when another process holds the write lock, then it fails within a second, and succeeds once the lock is free', async () => {
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const started = performance.now();

    const locked = await probeWritable(handle).catch((error: unknown) => error);
    const waited = performance.now() - started;
    other.exec('ROLLBACK');
    other.close();

    expect(locked).toMatchObject({ code: 'SQLITE_BUSY', message: 'database is locked' });
    expect(waited).toBeLessThan(3000);
    await expect(probeWritable(handle)).resolves.toBeUndefined();
    // The bot's own writes still wait the full busy timeout.
    expect(handle.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
  });
});
