/**
 * Group commit (src/db/group-commit.ts) on real database files: use cases of one event-loop turn share one
 * commit, each keeps its own all-or-nothing, and nobody is told "durable" about writes that were lost.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  betweenCommits,
  enableGroupCommit,
  immediate,
  onlyCommittedVisible,
  openDatabase,
  readCommitted,
  whenDurable,
} from '../../src/db/index.js';
import { InvalidInputError, registerProduct, submit } from '../../src/services/index.js';
import { ARC_CARD, ARC_RELEASE, CONTACT, openTestStore, STAFF, type TestStore } from '../support/database.js';

let store: TestStore;
let other: Database.Database;
beforeEach(() => {
  store = openTestStore();
  registerProduct(store.ctx, ARC_CARD, STAFF);
  enableGroupCommit(store.handle.db);
  // Another process's view of the file: it sees only what is committed.
  other = new Database(store.path, { readonly: true });
});
afterEach(() => {
  other.close();
  store.cleanup();
});

const committedSubmissions = () =>
  (other.prepare('select count(*) as n from submissions').get() as { n: number }).n;
const release = (version: string) => ({ ...ARC_RELEASE, version });

describe('group commit', () => {
  it('when three submissions come in one turn, then they commit together at the end of it', async () => {
    for (const version of ['1.0.0', '1.0.1', '1.0.2']) submit(store.ctx, release(version), CONTACT);

    // Not yet visible to anyone else: the turn has not ended.
    expect(committedSubmissions()).toBe(0);
    await whenDurable(store.handle.db);
    expect(committedSubmissions()).toBe(3);
    // Each with its history and its card update, as when each committed alone.
    expect(
      (
        other.prepare("select count(*) as n from history where subject_type = 'submission'").get() as {
          n: number;
        }
      ).n,
    ).toBe(3);
    expect((other.prepare('select count(*) as n from outbox').get() as { n: number }).n).toBe(3);
  });

  it('when one use case of the turn fails, then only its own writes are undone', async () => {
    submit(store.ctx, release('2.0.0'), CONTACT);
    expect(() =>
      immediate(store.handle.db, (tx) => {
        tx.$client
          .prepare(
            `insert into history (subject_type, subject_id, event, to_status, actor, at)
             values ('submission', 1, 'half-done', 'open', 'U1', 0)`,
          )
          .run();
        throw new InvalidInputError([{ field: 'version', message: 'no' }]);
      }),
    ).toThrow(InvalidInputError);
    submit(store.ctx, release('2.0.1'), CONTACT);

    await whenDurable(store.handle.db);
    expect(committedSubmissions()).toBe(2);
    const events = other
      .prepare("select event from history where subject_type = 'submission' order by id")
      .all() as { event: string }[];
    expect(events.map((row) => row.event)).toEqual(['submit', 'submit']);
  });

  it('when nothing is waiting, then durable and committed-only views are at once', async () => {
    await whenDurable(store.handle.db);
    await onlyCommittedVisible(store.handle.db);
    submit(store.ctx, release('3.0.0'), CONTACT);
    await onlyCommittedVisible(store.handle.db);
    expect(committedSubmissions()).toBe(1);
  });

  it('when a read waits for a turn whose commit SQLite then gives up, then it goes on and sees only what was committed', async () => {
    submit(store.ctx, release('3.1.0'), CONTACT);
    await whenDurable(store.handle.db);
    submit(store.ctx, release('3.1.1'), CONTACT);

    const read = readCommitted(store.handle.db, () =>
      store.handle.sqlite.prepare('select version from submissions order by id').pluck().all(),
    );
    store.handle.sqlite.exec('ROLLBACK'); // as SQLite does on its own after an I/O error

    expect(await read).toEqual(['3.1.0']);
  });

  it('when SQLite gives up the whole transaction, then the waiting callers hear it and the next turn starts afresh', async () => {
    submit(store.ctx, release('4.0.0'), CONTACT);
    const durable = whenDurable(store.handle.db);
    // What SQLite does on its own after a full disk or an I/O error: the whole transaction is rolled back.
    expect(() =>
      immediate(store.handle.db, (tx) => {
        tx.$client.exec('ROLLBACK');
      }),
    ).toThrow();

    await expect(durable).rejects.toThrow(/rolled back/);
    expect(committedSubmissions()).toBe(0);

    submit(store.ctx, release('4.0.1'), CONTACT);
    await whenDurable(store.handle.db);
    expect(committedSubmissions()).toBe(1);
  });

  it('when the database is closed with writes waiting, then they are committed first', () => {
    const path = store.path;
    submit(store.ctx, release('5.0.0'), CONTACT);
    store.handle.close();
    const reopened = openDatabase(path);
    try {
      expect(
        (reopened.sqlite.prepare('select count(*) as n from submissions').get() as { n: number }).n,
      ).toBe(1);
    } finally {
      reopened.close();
    }
    // cleanup() closes again: closing a closed better-sqlite3 connection is harmless.
  });

  it('when work must run between commits, then it runs at once with no turn open, else right after the commit and before the next turn opens', async () => {
    const seen: string[] = [];
    betweenCommits(store.handle.db, () =>
      seen.push(`idle: in a transaction ${store.handle.sqlite.inTransaction}`),
    );
    submit(store.ctx, release('6.0.0'), CONTACT);
    betweenCommits(store.handle.db, () =>
      seen.push(
        `after: in a transaction ${store.handle.sqlite.inTransaction}, committed ${committedSubmissions()}`,
      ),
    );
    expect(seen).toEqual(['idle: in a transaction false']);
    // A use case right after the commit, in the same turn's microtasks, opens the next group only afterwards.
    const durable = whenDurable(store.handle.db).then(() => submit(store.ctx, release('6.0.1'), CONTACT));
    await durable;
    expect(seen).toEqual(['idle: in a transaction false', 'after: in a transaction false, committed 1']);
    await whenDurable(store.handle.db);
    expect(committedSubmissions()).toBe(2);
  });
});
