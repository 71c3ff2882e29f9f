/**
 * The outbox planner (src/outbox/planner.ts) with literal rows: what one pass sends now, in which order and
 * batches, and how long a paced channel makes the rest wait.
 */
import { describe, expect, it } from 'vitest';
import type { OutboxRow } from '../../src/db/repositories/outbox.js';
import { Mrkdwn } from '../../src/mrkdwn.js';
import { type PassInput, type Plan, planPass } from '../../src/outbox/planner.js';

const NOW = new Date('2027-03-01T09:00:00Z');
const inMs = (ms: number) => new Date(NOW.getTime() + ms);
const UMD = 'C0UMDTEAM';

function row(
  id: number,
  recipientKind: OutboxRow['recipientKind'],
  recipient: string,
  submissionId: number | null,
  fields: Partial<OutboxRow> = {},
): OutboxRow {
  return {
    id,
    key: `row-${id}`,
    recipientKind,
    recipient,
    submissionId,
    payload: { topic: 'test', text: Mrkdwn.escape(`row ${id}`) },
    attempts: 0,
    nextAttemptAt: NOW,
    lastAttemptAt: null,
    sentAt: null,
    deadAt: null,
    lastError: null,
    createdAt: NOW,
    ...fields,
  };
}

const notice = (id: number, channel: string, submissionId: number | null, fields: Partial<OutboxRow> = {}) =>
  row(id, channel.startsWith('U') ? 'user' : 'channel', channel, submissionId, fields);
const card = (id: number, submissionId: number, fields: Partial<OutboxRow> = {}) =>
  row(id, 'card', String(submissionId), submissionId, fields);
/** A card row with nothing for the thread (a refresh after a stale click). */
const refresh = (id: number, submissionId: number) =>
  card(id, submissionId, { payload: { topic: 'card_refresh', text: Mrkdwn.escape('') } });
/** A row that failed and waits for its retry. */
const failed = { attempts: 1, lastAttemptAt: NOW, nextAttemptAt: inMs(15_000), lastError: 'HTTP 500' };

function plan(rows: readonly OutboxRow[], input: Partial<PassInput> = {}): Plan {
  return planPass({
    rows,
    now: NOW,
    sinceLastPost: () => undefined,
    paceMs: 0,
    cardChannels: new Map(),
    teamChannels: { umd: UMD, early_adopters: 'C0EARLYAD' },
    ...input,
  });
}
const sent = (result: Plan) => result.sends.map((batch) => batch.map((r) => r.id));

describe('order', () => {
  it('when every row is due, then each goes in the order it was queued', () => {
    const result = plan([notice(1, 'C0ONE', 1), notice(2, 'UCONTACT1', 1), notice(3, 'C0TWO', null)]);

    expect(sent(result)).toEqual([[1], [2], [3]]);
    expect(result.paceWaitMs).toBeNull();
  });

  it('when a row waits for its retry, then the later rows of its submission wait too, and other submissions go on', () => {
    const result = plan([
      notice(1, 'C0ONE', 1, failed),
      card(2, 1),
      notice(3, 'C0ONE', 1),
      notice(4, 'C0TWO', 2),
      notice(5, 'C0TWO', null),
    ]);

    expect(sent(result)).toEqual([[4], [5]]);
    expect(result.paceWaitMs).toBeNull();
  });

  it('when a notice is held on purpose (no attempt yet), then the later rows of its submission still go', () => {
    const held = notice(1, 'C0ARCTEAM', 1, { nextAttemptAt: inMs(4 * 3_600_000) });

    expect(sent(plan([held, card(2, 1), notice(3, 'UCONTACT1', 1)]))).toEqual([[2], [3]]);
  });

  it('when a row was rate limited, then it is left until Retry-After has run out', () => {
    // A rate limit gives its attempt back: the row has no more attempts than before.
    const limited = notice(1, 'C0ONE', null, { nextAttemptAt: inMs(30_000), lastAttemptAt: NOW });

    expect(sent(plan([limited, notice(2, 'C0TWO', null)]))).toEqual([[2]]);
    expect(sent(plan([limited], { now: inMs(30_000) }))).toEqual([[1]]);
  });

  it('when a row waits for its retry but has no submission, then it holds back nothing', () => {
    expect(sent(plan([notice(1, 'C0ONE', null, failed), notice(2, 'C0ONE', null)]))).toEqual([[2]]);
  });
});

describe('card batches', () => {
  it("when several card rows of a submission are pending, then they go as one batch up to the submission's next other message", () => {
    const result = plan([
      card(1, 1),
      card(2, 1),
      notice(3, 'UCONTACT1', 1),
      card(4, 1),
      card(5, 2),
      card(6, 1),
    ]);

    expect(sent(result)).toEqual([[1, 2], [3], [4, 6], [5]]);
  });

  it('when a later card row of the submission is not due, then it still joins the batch of the due one', () => {
    // Card rows of one submission are tried together, so they fail and wait together.
    expect(sent(plan([card(1, 1), card(2, 1, { nextAttemptAt: inMs(60_000) })]))).toEqual([[1, 2]]);
  });
});

describe('pacing', () => {
  const pace = { paceMs: 1_000 };

  it('when a channel was posted to less than a pace ago, then its rows and their submission wait, and the wait says when it is free', () => {
    const result = plan([notice(1, 'C0ONE', 1), notice(2, 'C0TWO', 1), notice(3, 'C0TWO', 2)], {
      ...pace,
      sinceLastPost: (channel) => (channel === 'C0ONE' ? 400 : undefined),
    });

    expect(sent(result)).toEqual([[3]]);
    expect(result.paceWaitMs).toBe(600);
  });

  it('when two rows go to one channel, then the second waits a whole pace (counted from an answer still to come), and another channel does not', () => {
    const result = plan([notice(1, 'C0ONE', null), notice(2, 'C0ONE', null), notice(3, 'C0TWO', null)], pace);

    expect(sent(result)).toEqual([[1], [3]]);
    expect(result.paceWaitMs).toBe(1_000);
  });

  it('when a channel has not been posted to since start-up, or a pace ago or more, then its row goes at once', () => {
    const result = plan([notice(1, 'C0ONE', null), notice(2, 'C0TWO', null)], {
      ...pace,
      sinceLastPost: (channel) => (channel === 'C0TWO' ? 1_000 : undefined),
    });

    expect(sent(result)).toEqual([[1], [2]]);
    expect(result.paceWaitMs).toBeNull();
  });

  it('when several channels wait, then the wait is the shortest', () => {
    const since: Record<string, number> = { C0ONE: 100, C0TWO: 700 };
    const result = plan([notice(1, 'C0ONE', null), notice(2, 'C0TWO', null)], {
      ...pace,
      sinceLastPost: (channel) => since[channel],
    });

    expect(sent(result)).toEqual([]);
    expect(result.paceWaitMs).toBe(300);
  });

  it("when cards are posted, then they are paced in their channel; a card not posted yet counts as the UMD channel's", () => {
    const result = plan([card(1, 1), card(2, 2), notice(3, 'C0POSTED', null)], {
      ...pace,
      cardChannels: new Map([[2, 'C0POSTED']]),
    });

    // SUB-1's first post takes the UMD channel's turn; SUB-2's card lives in C0POSTED, so the notice there waits.
    expect(sent(result)).toEqual([[1], [2]]);
    expect(result.paceWaitMs).toBe(1_000);
  });

  it("when a posted card only changes (nothing for its thread), then the edit does not take its channel's turn", () => {
    const posted = new Map([
      [1, UMD],
      [2, UMD],
    ]);
    const result = plan([refresh(1, 1), refresh(2, 2), row(3, 'team_channel', 'umd', null)], {
      ...pace,
      cardChannels: posted,
    });

    expect(sent(result)).toEqual([[1], [2], [3]]);
  });

  it('when a team channel is not configured, then its row is not paced (sending it fails and says why)', () => {
    const result = plan(
      [row(1, 'team_channel', 'early_adopters', null), row(2, 'team_channel', 'early_adopters', null)],
      {
        ...pace,
        teamChannels: { umd: UMD },
      },
    );

    expect(sent(result)).toEqual([[1], [2]]);
  });

  it('when pacing is off, then nothing waits', () => {
    const result = plan([notice(1, 'C0ONE', null), notice(2, 'C0ONE', null)], { sinceLastPost: () => 0 });

    expect(sent(result)).toEqual([[1], [2]]);
    expect(result.paceWaitMs).toBeNull();
  });
});
