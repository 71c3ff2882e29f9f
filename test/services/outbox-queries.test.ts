/**
 * The outbox queries that run all the time (the worker's pass, the health check) on a real file with the real
 * migrations: right answers, and plans that read only the unsent rows, however many were sent before.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '../../src/db/index.js';
import {
  enqueue,
  listPending,
  markDead,
  markRetry,
  markSent,
  outboxCounts,
} from '../../src/db/repositories/outbox.js';
import { openTestStore, type TestStore } from '../support/database.js';

let store: TestStore;
beforeEach(() => {
  store = openTestStore();
});
afterEach(() => store.cleanup());

const row = (n: number) => ({
  key: `notice-${n}`,
  recipientKind: 'user' as const,
  recipient: 'UCONTACT1',
  submissionId: null,
  payload: { kind: 'submitted' } as never,
});

/** Rows 1–40: every third sent, 10 and 20 dead, 5 and 7 waiting for a retry; the rest pending. */
function fill(): void {
  const db = store.handle.db;
  const at = (minute: number) => new Date(Date.UTC(2027, 2, 3, 12, minute));
  for (let n = 1; n <= 40; n++) enqueue(db, [row(n)], at(n));
  markSent(db, [3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39], at(50));
  markDead(db, [10, 20], at(51), 'channel_not_found');
  // A later retry time does not change the order the worker reads them in.
  markRetry(db, [7, 5], at(59), 'ratelimited', 0);
}

describe('the outbox queries', () => {
  it('list the unsent, live rows in id order and count them without the sent ones', () => {
    fill();
    const pending = listPending(store.handle.db).map((r) => r.id);
    const expected = Array.from({ length: 40 }, (_, i) => i + 1).filter(
      (id) => id % 3 !== 0 && id !== 10 && id !== 20,
    );
    expect(pending).toEqual(expected);
    expect(listPending(store.handle.db, 5).map((r) => r.id)).toEqual([1, 2, 4, 5, 7]);
    expect(outboxCounts(store.handle.db)).toEqual({
      pending: expected.length,
      dead: 2,
      oldestPendingAt: new Date(Date.UTC(2027, 2, 3, 12, 1)),
    });
  });

  it('count an empty outbox as nothing pending', () => {
    expect(outboxCounts(store.handle.db)).toEqual({ pending: 0, dead: 0, oldestPendingAt: null });
  });

  it('search the outbox_pending index: no sort of the pending rows, no scan of the sent ones', () => {
    fill();
    // A second connection to the same file that reports every statement it runs.
    const statements: string[] = [];
    const watched = new Database(store.path, { verbose: (sql) => statements.push(String(sql)) });
    try {
      const db = drizzle(watched) as unknown as DB;
      listPending(db);
      outboxCounts(db);
      const reads = statements.filter((sql) => /^\s*select/i.test(sql));
      expect(reads.length).toBe(3);
      for (const sql of reads) {
        const plan = (watched.prepare(`explain query plan ${sql}`).all() as { detail: string }[])
          .map((step) => step.detail)
          .join(' | ');
        expect(plan, sql).toMatch(/SEARCH outbox USING (COVERING )?INDEX outbox_pending/);
        expect(plan, sql).not.toMatch(/TEMP B-TREE|SCAN outbox/);
      }
    } finally {
      watched.close();
    }
  });
});
