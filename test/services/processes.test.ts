/**
 * Real processes on one database file: a process killed in the middle of a use case leaves nothing behind,
 * and two processes moving the same ticket at the same moment produce exactly one change.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { historyOf } from '../../src/db/repositories/audit.js';
import { listOutbox } from '../../src/db/repositories/outbox.js';
import { findSubmission } from '../../src/db/repositories/submissions.js';
import { findTicket, listTicketsOfSubmission } from '../../src/db/repositories/tickets.js';
import { inject, registerProduct, startVerification, submit } from '../../src/services/index.js';
import {
  ARC_CARD,
  ARC_RELEASE,
  CONTACT,
  OTHER_STAFF,
  openTestStore,
  STAFF,
  type TestStore,
} from '../support/database.js';
import { runWorker } from '../support/processes.js';

let store: TestStore;
beforeEach(() => {
  store = openTestStore({ start: '2027-03-01T09:00:00Z' });
  registerProduct(store.ctx, ARC_CARD, STAFF);
  submit(store.ctx, ARC_RELEASE, CONTACT);
});
afterEach(() => store.cleanup());

describe('a process killed in the middle of a use case', () => {
  it('when the process dies after the tickets are written but before the commit, then nothing of the injection remains', async () => {
    const outboxBefore = listOutbox(store.handle.db).length;
    const killed = await runWorker({
      dbPath: store.path,
      at: '2027-03-02T09:00:00Z',
      action: 'inject',
      args: { submissionId: 1, expectedVersion: 1, caller: STAFF },
      crashAt: 'inject:tickets-created',
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.reply).toBeNull();

    expect(findSubmission(store.handle.db, 1)?.state).toMatchObject({ status: 'open', version: 1 });
    expect(listTicketsOfSubmission(store.handle.db, 1)).toEqual([]);
    expect(historyOf(store.handle.db, 'submission', 1).map((h) => h.event)).toEqual(['submit']);
    expect(listOutbox(store.handle.db)).toHaveLength(outboxBefore);

    // The database is not locked or damaged: the same injection then succeeds.
    const retried = await runWorker({
      dbPath: store.path,
      at: '2027-03-02T09:05:00Z',
      action: 'inject',
      args: { submissionId: 1, expectedVersion: 1, caller: STAFF },
    });
    expect(retried.reply).toMatchObject({ ok: true });
    expect(listTicketsOfSubmission(store.handle.db, 1)).toHaveLength(2);
  });
});

describe('two processes at the same moment', () => {
  it('when two staff members start verification of one ticket at once, then exactly one wins and the other is told who moved it', async () => {
    inject(store.ctx, 1, { expectedVersion: 1 }, STAFF);
    const startAt = Date.now() + 700;
    const move = (caller: typeof STAFF) =>
      runWorker({
        dbPath: store.path,
        at: '2027-03-02T09:00:00Z',
        action: 'move',
        args: { ticketId: 1, event: { type: 'start_verification', expectedVersion: 1 }, caller },
        startAt,
      });

    const replies = (await Promise.all([move(STAFF), move(OTHER_STAFF)])).map((outcome) => outcome.reply);

    expect(replies.filter((reply) => reply?.ok)).toHaveLength(1);
    const loser = replies.find((reply) => !reply?.ok);
    expect(loser).toMatchObject({ code: 'REFUSED_OUTDATED' });
    expect(loser?.message).toMatch(/^The ticket was moved by USTAFF[12] to Verification/);
    expect(findTicket(store.handle.db, 1)?.state.version).toBe(2);
    expect(
      historyOf(store.handle.db, 'ticket', 1).filter((h) => h.event === 'start_verification'),
    ).toHaveLength(1);
  });

  it('when two processes run the delay check at the same time, then each overdue ticket is delayed and notified once', async () => {
    inject(store.ctx, 1, { expectedVersion: 1 }, STAFF);
    startVerification(store.ctx, 1, { expectedVersion: 1 }, STAFF);
    const startAt = Date.now() + 700;
    const check = () =>
      runWorker({ dbPath: store.path, at: '2027-04-15T09:00:00Z', action: 'check', startAt });

    const replies = (await Promise.all([check(), check()])).map((outcome) => outcome.reply);

    expect(replies.every((reply) => reply?.ok)).toBe(true);
    const delayedCounts = replies
      .map((reply) => (reply?.result as { delayed: unknown[] } | undefined)?.delayed.length ?? -1)
      .sort();
    expect(delayedCounts).toEqual([0, 2]);
    expect(historyOf(store.handle.db, 'ticket', 1).filter((h) => h.event === 'delay')).toHaveLength(1);
    const delayNotices = listOutbox(store.handle.db).filter((row) => row.payload.topic === 'delayed');
    expect(delayNotices).toHaveLength(2 * 3); // two tickets × (two contacts + the contact channel)
  });
});
