import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.js';
import {
  enqueue,
  findOutboxRow,
  markAttempt,
  markDead,
  markRetry,
  markSent,
} from '../../src/db/repositories/outbox.js';
import { Mrkdwn } from '../../src/mrkdwn.js';
import { type Workspace, workspace } from './harness.js';

const LONG_ERROR =
  'An API error occurred: ratelimited while posting to the channel, and the rest of this message is long\nat WebClient.call';

/**
 * Four notices queued on 2 March 2026: 1 pending after two failed attempts, 2 held until 2099, 3 dead after
 * eight attempts, 4 sent.
 */
function seed(dbPath: string): void {
  const handle = openDatabase(dbPath);
  try {
    const { db } = handle;
    const at = new Date('2026-03-02T10:00:00Z');
    enqueue(
      db,
      [
        {
          key: 'SUB-1:v2:delayed:channel:C0456EFGH',
          recipientKind: 'channel',
          recipient: 'C0456EFGH',
          submissionId: 1,
          payload: { topic: 'delayed', text: Mrkdwn.escape('TKT-1 is delayed.'), submissionId: 1 },
        },
        {
          key: 'SUB-1:v3:reminder:team_channel:umd',
          recipientKind: 'team_channel',
          recipient: 'umd',
          submissionId: 1,
          payload: { topic: 'reminder', text: Mrkdwn.escape('SUB-1 is due soon.'), submissionId: 1 },
          notBefore: new Date('2099-01-01T08:00:00Z'),
        },
        {
          key: 'TKT-2:v4:verification_failed:user:U0123ABCD',
          recipientKind: 'user',
          recipient: 'U0123ABCD',
          submissionId: 1,
          payload: {
            topic: 'verification_failed',
            text: Mrkdwn.escape('TKT-2 failed verification.'),
            submissionId: 1,
          },
        },
        {
          key: 'SUB-1:v1:card',
          recipientKind: 'card',
          recipient: '1',
          submissionId: 1,
          payload: { topic: 'card_update', text: Mrkdwn.escape('Submitted.'), submissionId: 1 },
        },
      ],
      at,
    );
    markAttempt(db, [1], new Date('2026-03-02T10:00:01Z'));
    markAttempt(db, [1], new Date('2026-03-02T10:00:05Z'));
    markRetry(db, [1], new Date('2026-03-02T10:00:09Z'), LONG_ERROR, 0);
    for (let i = 0; i < 8; i++) markAttempt(db, [3], new Date('2026-03-02T10:01:00Z'));
    markDead(db, [3], new Date('2026-03-02T10:30:00Z'), 'An API error occurred: channel_not_found');
    markSent(db, [4], new Date('2026-03-02T10:00:02Z'));
  } finally {
    handle.close();
  }
}

interface RowJson {
  readonly id: number;
  readonly key: string;
  readonly recipientKind: string;
  readonly recipient: string;
  readonly topic: string;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly deadAt: string | null;
  readonly sentAt: string | null;
  readonly lastError: string | null;
  readonly createdAt: string;
}

// The listing tests only read, and the refused retries change nothing, so they share one database.
describe.concurrent('cmd-bot outbox', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = workspace();
    seed(ws.dbPath);
  });
  afterAll(() => ws.cleanup());

  it('when run without options, then it lists the pending notices, and the counts on stderr', async () => {
    const [text, json] = await Promise.all([ws.run(['outbox']), ws.run(['outbox', '--json'])]);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ID\s+KEY\s+RECIPIENT\s+TOPIC\s+ATTEMPTS\s+NEXT ATTEMPT \(UTC\)\s+LAST ERROR$/);
    expect(lines[1]).toMatch(
      /^1\s+SUB-1:v2:delayed:channel:C0456EFGH\s+channel:C0456EFGH\s+delayed\s+2\s+2026-03-02 10:00 UTC\s+An API error occurred: ratelimited.*…$/,
    );
    expect((lines[1] ?? '').length).toBeLessThan(200);
    expect(lines[2]).toMatch(/^2\s+\S+\s+team_channel:umd\s+reminder\s+0\s+2099-01-01 08:00 UTC\s+-$/);
    expect(text.stdout).not.toContain('verification_failed');
    expect(text.stdout).not.toContain('card_update');
    expect(text.stderr).toMatch(
      /^Outbox: 2 pending, the oldest queued \d+d \d+h ago \(2026-03-02 10:00 UTC\); 1 dead \(see cmd-bot outbox --dead\)\.\n$/,
    );

    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as RowJson[];
    expect(rows.map((row) => row.id)).toEqual([1, 2]);
    expect(rows[0]).toMatchObject({
      key: 'SUB-1:v2:delayed:channel:C0456EFGH',
      recipientKind: 'channel',
      recipient: 'C0456EFGH',
      topic: 'delayed',
      attempts: 2,
      nextAttemptAt: '2026-03-02T10:00:09.000Z',
      createdAt: '2026-03-02T10:00:00.000Z',
      deadAt: null,
      sentAt: null,
      lastError: LONG_ERROR,
    });
    expect(rows[1]?.nextAttemptAt).toBe('2099-01-01T08:00:00.000Z');
  });

  it('when run with --dead, then it lists the dead notices with their last error', async () => {
    const [text, json] = await Promise.all([
      ws.run(['outbox', '--dead']),
      ws.run(['outbox', '--dead', '--json']),
    ]);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^ID\s+KEY\s+RECIPIENT\s+TOPIC\s+ATTEMPTS\s+DEAD SINCE \(UTC\)\s+LAST ERROR$/);
    expect(lines[1]).toMatch(
      /^3\s+TKT-2:v4:verification_failed:user:U0123ABCD\s+user:U0123ABCD\s+verification_failed\s+8\s+2026-03-02 10:30 UTC\s+An API error occurred: channel_not_found$/,
    );
    expect(text.stderr).toContain('1 dead notice; send one again with cmd-bot outbox --retry ID.');

    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as RowJson[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: 3,
      attempts: 8,
      deadAt: '2026-03-02T10:30:00.000Z',
      lastError: 'An API error occurred: channel_not_found',
    });
  });

  it('when asked to retry a sent notice, an unknown id or not a number, then it refuses and changes nothing', async () => {
    const [sent, missing, notNumber, both] = await Promise.all([
      ws.run(['outbox', '--retry', '4']),
      ws.run(['outbox', '--retry', '99']),
      ws.run(['outbox', '--retry', 'abc']),
      ws.run(['outbox', '--dead', '--retry', '3']),
    ]);
    expect(sent.code).toBe(1);
    expect(sent.stderr).toMatch(
      /^cmd-bot: Outbox row 4 \(card_update to card:1\) was already sent at 2026-03-02 10:00 UTC/,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cmd-bot: There is no outbox row 99.');
    expect(notNumber.code).toBe(2);
    expect(notNumber.stderr).toContain("option '--retry <ID>' argument 'abc' is invalid");
    expect(notNumber.stderr).toContain('(run cmd-bot outbox --help for usage)');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('cannot be used with');
    for (const result of [sent, missing, notNumber, both]) expect(result.stdout).toBe('');

    const handle = openDatabase(ws.dbPath);
    try {
      expect(findOutboxRow(handle.db, 3)).toMatchObject({
        attempts: 8,
        deadAt: new Date('2026-03-02T10:30:00Z'),
      });
      expect(findOutboxRow(handle.db, 4)?.sentAt).toEqual(new Date('2026-03-02T10:00:02Z'));
    } finally {
      handle.close();
    }
  });

  it('when given --help, or a database that does not exist, then it explains the three forms or refuses', async () => {
    const [help, noDatabase] = await Promise.all([
      ws.run(['outbox', '--help']),
      ws.run(['outbox'], { DATABASE_PATH: `${ws.dir}/missing/cmd-bot.sqlite` }),
    ]);
    expect(help.code).toBe(0);
    for (const text of [
      'Usage: cmd-bot outbox',
      '--dead',
      '--retry <ID>',
      '--json',
      'cmd-bot outbox [--json]',
      'cmd-bot outbox --dead [--json]',
      'cmd-bot outbox --retry ID',
      'next\n                                   poll',
    ]) {
      expect(help.stdout).toContain(text);
    }
    expect(help.stdout).toMatch(
      /sent twice: the process dies between Slack accepting the\s+message and the row being marked sent/,
    );
    expect(help.stdout).toMatch(/recent history/);
    expect(noDatabase.code).toBe(1);
    expect(noDatabase.stderr).toContain('cmd-bot: No database at');
  });
});

describe('cmd-bot outbox --retry', () => {
  it('when a dead notice is retried, then it is pending again, due at once with no attempts counted', async () => {
    const ws = workspace();
    try {
      seed(ws.dbPath);
      const before = Date.now();
      const retried = await ws.run(['outbox', '--retry', '3', '--json']);
      expect(retried.code).toBe(0);
      expect(retried.stderr).toContain(
        'Re-queued outbox row 3: verification_failed to user:U0123ABCD (key TKT-2:v4:verification_failed:user:U0123ABCD).',
      );
      expect(retried.stderr).toContain(
        'It was dead since 2026-03-02 10:30 UTC after 8 attempts (last error: An API error occurred: channel_not_found).',
      );
      expect(retried.stderr).toMatch(/a running cmd-bot sends it at its next poll/);
      expect(JSON.parse(retried.stdout)).toMatchObject({ id: 3, attempts: 0, deadAt: null, lastError: null });

      const handle = openDatabase(ws.dbPath);
      try {
        const row = findOutboxRow(handle.db, 3);
        expect(row).toMatchObject({ attempts: 0, deadAt: null, sentAt: null, lastError: null });
        expect(row?.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect(row?.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
      } finally {
        handle.close();
      }

      // A pending row can be hurried along too; the dead one now shows among the pending.
      const [pending, list] = await Promise.all([
        ws.run(['outbox', '--retry', '1']),
        ws.json<RowJson[]>(['outbox', '--json']),
      ]);
      expect(pending.code).toBe(0);
      expect(pending.stderr).toContain(
        'It was pending, 2 attempts so far, next attempt 2026-03-02 10:00 UTC (last error: An API error occurred:',
      );
      expect(list.map((row) => row.id)).toContain(3);
    } finally {
      ws.cleanup();
    }
  });
});
