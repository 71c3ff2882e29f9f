/**
 * The outbox worker against a fake Slack Web API: retries, Retry-After, pacing, dead letters, ordering, card
 * edits, and no second post of a message Slack already holds.
 */

import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { enableGroupCommit, immediate } from '../../src/db/index.js';
import { saveCard } from '../../src/db/repositories/cards.js';
import { enqueue, listOutbox, markAttempt, type NewOutboxRow } from '../../src/db/repositories/outbox.js';
import { listTicketsOfSubmission } from '../../src/db/repositories/tickets.js';
import { createLogger } from '../../src/logging.js';
import { Mrkdwn } from '../../src/mrkdwn.js';
import { type MessageRenderer, OutboxWorker } from '../../src/outbox/worker.js';
import { inject, registerProduct, submit } from '../../src/services/index.js';
import { createRenderer } from '../../src/slack/render.js';
import { ARC_CARD, ARC_RELEASE, CONTACT, openTestStore, STAFF, type TestStore } from '../support/database.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';

let store: TestStore;
let slack: FakeSlack;

beforeEach(async () => {
  store = openTestStore({ start: '2027-03-01T09:00:00Z' });
  slack = await startFakeSlack();
});
afterEach(async () => {
  vi.restoreAllMocks();
  store.cleanup();
  await slack.close();
});

function worker(options: { paceMs?: number; maxAttempts?: number; render?: MessageRenderer } = {}) {
  return new OutboxWorker({
    db: store.handle.db,
    client: new webApi.WebClient('xoxb-test', {
      slackApiUrl: slack.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    }),
    logger: createLogger('silent'),
    clock: store.clock,
    render: options.render ?? {
      card: (id) => ({
        text: `card of SUB-${id}`,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `card ${id}` } }],
      }),
      threadReply: (lines) => ({ text: lines.map((line) => line.markup).join('\n') }),
      notice: (row) => ({ text: row.payload.text.markup }),
    },
    teamChannels: { umd: 'C0UMDTEAM', early_adopters: 'C0EARLYAD' },
    paceMs: options.paceMs ?? 0,
    maxAttempts: options.maxAttempts ?? 8,
  });
}

const notice = (
  key: string,
  recipient: string,
  text = key,
  submissionId: number | null = null,
): NewOutboxRow => ({
  key,
  recipientKind: recipient.startsWith('U') ? 'user' : 'channel',
  recipient,
  submissionId,
  payload: { topic: 'test', text: Mrkdwn.escape(text) },
});

const posts = () => slack.callsTo('chat.postMessage');
const postedKeys = () =>
  posts().map(
    (call) => (call.args.metadata as { event_payload: { outbox_key: string } }).event_payload.outbox_key,
  );
const advance = (ms: number) => store.clock.set(new Date(store.clock.now().getTime() + ms));

describe('retries', () => {
  it('when Slack answers 429 with Retry-After, then 500 twice, then OK, then the notice is delivered once, no sooner than asked', async () => {
    enqueue(store.handle.db, [notice('n1', 'C0PROVIDER')], store.clock.now());
    const answers = [{ status: 429, headers: { 'retry-after': '30' } }, { status: 500 }, { status: 500 }];
    slack.respondWith('chat.postMessage', (_args, index) => answers[index]);
    const w = worker();

    await w.runOnce(); // 429
    expect(listOutbox(store.handle.db)[0]).toMatchObject({
      attempts: 0,
      nextAttemptAt: new Date('2027-03-01T09:00:30Z'),
    });
    advance(29_000);
    await w.runOnce(); // not due yet: Retry-After honoured
    expect(posts()).toHaveLength(1);
    advance(1_000);
    await w.runOnce(); // 500
    expect(listOutbox(store.handle.db)[0]).toMatchObject({ attempts: 1, lastError: 'HTTP 500' });
    advance(15_000);
    await w.runOnce(); // 500 again, backoff doubles
    expect(listOutbox(store.handle.db)[0]?.nextAttemptAt).toEqual(
      new Date(store.clock.now().getTime() + 30_000),
    );
    advance(30_000);
    await w.runOnce(); // OK
    await w.runOnce();
    await w.runOnce();

    expect(posts()).toHaveLength(4);
    expect(listOutbox(store.handle.db)[0]?.sentAt).not.toBeNull();
    // After the failures, the worker looked in the channel first; the message is there once.
    const history = await new webApi.WebClient('xoxb', { slackApiUrl: slack.url }).conversations.history({
      channel: 'C0PROVIDER',
    });
    expect(history.messages).toHaveLength(1);
  });

  it('when two notices go to one channel, then they are at least a second apart, and another channel does not wait', async () => {
    enqueue(
      store.handle.db,
      [notice('a', 'C0PROVIDER'), notice('b', 'C0PROVIDER'), notice('c', 'C0OTHER')],
      store.clock.now(),
    );
    await worker({ paceMs: 1_000 }).drain();

    expect(postedKeys()).toEqual(['a', 'c', 'b']);
    const at = Object.fromEntries(posts().map((call, i) => [postedKeys()[i], call.at]));
    expect((at.b ?? 0) - (at.a ?? 0)).toBeGreaterThanOrEqual(950);
    expect((at.c ?? 0) - (at.a ?? 0)).toBeLessThan(500);
  });

  it('when the first notice after start-up goes to a channel, then it does not wait a pace', async () => {
    // As in a process started a moment ago: performance.now() counts from start-up.
    const realNow = performance.now.bind(performance);
    const startedAt = realNow();
    vi.spyOn(performance, 'now').mockImplementation(() => realNow() - startedAt + 5);
    enqueue(store.handle.db, [notice('first', 'C0PROVIDER')], store.clock.now());

    const drainedFrom = Date.now();
    await worker({ paceMs: 1_000 }).drain();

    expect(postedKeys()).toEqual(['first']);
    expect((posts()[0]?.at ?? Number.POSITIVE_INFINITY) - drainedFrom).toBeLessThan(500);
  });
});

describe('a channel that always fails', () => {
  it('when a channel keeps failing, then its notices end dead and the UMD channel is warned once', async () => {
    enqueue(store.handle.db, [notice('x1', 'C0GONE'), notice('x2', 'C0GONE')], store.clock.now());
    slack.respondWith('chat.postMessage', (args) =>
      args.channel === 'C0GONE' ? { body: { ok: false, error: 'channel_not_found' } } : undefined,
    );
    const w = worker({ maxAttempts: 3 });
    for (let i = 0; i < 6; i++) {
      await w.runOnce();
      advance(60_000);
    }

    const rows = listOutbox(store.handle.db);
    expect(
      rows.filter((row) => row.deadAt !== null).map((row) => [row.key, row.attempts, row.lastError]),
    ).toEqual([
      ['x1', 3, 'Slack said channel_not_found'],
      ['x2', 3, 'Slack said channel_not_found'],
    ]);
    const warnings = posts().filter((call) => call.args.channel === 'C0UMDTEAM');
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]?.args.text)).toContain(
      'could not deliver notices to <#C0GONE> after 3 attempts',
    );
  });
});

describe('exactly once', () => {
  it('when an earlier attempt reached Slack but was not recorded as sent, then the worker finds it and does not post again', async () => {
    enqueue(store.handle.db, [notice('k1', 'UCONTACT9')], store.clock.now());
    const w = worker();
    // The first attempt: Slack accepts the message, but the process "dies" before marking the row sent.
    slack.respondWith('chat.postMessage', () => undefined);
    const row = listOutbox(store.handle.db)[0];
    if (!row) throw new Error('no row');
    await new webApi.WebClient('xoxb', { slackApiUrl: slack.url }).chat.postMessage({
      channel: 'UCONTACT9',
      text: 'k1',
      metadata: { event_type: 'cmd_bot_notice', event_payload: { outbox_key: 'k1' } },
    });
    markAttempt(store.handle.db, [row.id], store.clock.now());

    await w.drain();

    expect(postedKeys()).toEqual(['k1']);
    expect(listOutbox(store.handle.db)[0]?.sentAt).not.toBeNull();
  });
});

describe('cards and order', () => {
  beforeEach(() => {
    registerProduct(store.ctx, ARC_CARD, STAFF);
    submit(store.ctx, ARC_RELEASE, CONTACT);
  });

  it('when several updates of one card are pending, then the card is edited once and one thread reply lists them', async () => {
    saveCard(store.handle.db, 1, 'C0UMDTEAM', '1700000000.000001', store.clock.now());
    const card = (key: string, text: string): NewOutboxRow => ({
      key,
      recipientKind: 'card',
      recipient: '1',
      submissionId: 1,
      payload: { topic: 'card_update', text: Mrkdwn.escape(text) },
    });
    enqueue(store.handle.db, [card('c2', 'second'), card('c3', 'third')], store.clock.now());
    // The submit's own card row is first in line; the card exists already, so all three become one edit.
    await worker().drain();

    expect(slack.callsTo('chat.update')).toHaveLength(1);
    const replies = posts().filter((call) => call.args.thread_ts === '1700000000.000001');
    expect(replies).toHaveLength(1);
    expect(String(replies[0]?.args.text).split('\n')).toHaveLength(3);
  });

  it('when a message of a submission fails, then its later messages wait, while other submissions go on', async () => {
    enqueue(
      store.handle.db,
      [
        notice('s1-first', 'C0ONE', 'first', 1),
        notice('s1-second', 'C0ONE', 'second', 1),
        notice('other', 'C0TWO', 'other', null),
      ],
      store.clock.now(),
    );
    slack.respondWith('chat.postMessage', (args, index) =>
      args.channel === 'C0UMDTEAM' ? undefined : index === 1 ? { status: 500 } : undefined,
    );
    const w = worker();
    await w.runOnce();
    // The card (first in line for SUB-1) went out, 's1-first' failed, 's1-second' waited, 'other' went on.
    expect(postedKeys()).toEqual(['card:1', 's1-first', 'other']);
    advance(15_000);
    await w.drain();
    expect(postedKeys()).toEqual(['card:1', 's1-first', 'other', 's1-first', 's1-second']);
  });
});

describe('with group commit (the running bot)', () => {
  it('when a notice is queued in a turn whose commit SQLite then gives up, then it never reaches Slack', async () => {
    enableGroupCommit(store.handle.db);
    const w = worker();
    immediate(store.handle.db, (tx) => enqueue(tx, [notice('lost', 'C0PROVIDER')], store.clock.now()));
    const pass = w.runOnce(); // must not read the queue before the turn's commit
    store.handle.sqlite.exec('ROLLBACK'); // as SQLite does on its own after an I/O error

    await expect(pass).rejects.toThrow(/rolled back/); // the running bot logs it and passes again later
    expect(await w.runOnce()).toBe(0);
    expect(posts()).toEqual([]);
  });

  it('when a notice is queued in a turn, then it goes out once that turn has committed', async () => {
    enableGroupCommit(store.handle.db);
    const w = worker();
    immediate(store.handle.db, (tx) => enqueue(tx, [notice('kept', 'C0PROVIDER')], store.clock.now()));

    expect(await w.runOnce()).toBe(1);
    expect(postedKeys()).toEqual(['kept']);
  });

  it('when a use case changes a submission while its card is being sent, and that turn is then lost, then the card never shows the change', async () => {
    registerProduct(store.ctx, ARC_CARD, STAFF);
    submit(store.ctx, ARC_RELEASE, CONTACT); // committed: SUB-1's card is queued
    enableGroupCommit(store.handle.db);
    const render = createRenderer(store.ctx);
    // The moment the worker records its attempt on the card row, staff inject SUB-1 in the very next microtask
    // (as a request handler's continuation can run), and SQLite then loses that turn (as after an I/O error).
    let injected = false;
    store.handle.sqlite.function('attempt_recorded', () => {
      if (!injected) {
        injected = true;
        queueMicrotask(() => {
          inject(store.ctx, 1, { expectedVersion: 1 }, STAFF);
          queueMicrotask(() => store.handle.sqlite.exec('ROLLBACK'));
        });
      }
      return null;
    });
    store.handle.sqlite.exec(
      'create temp trigger attempt_recorded after update of attempts on outbox begin select attempt_recorded(); end',
    );

    expect(await worker({ render }).runOnce()).toBe(1);

    expect(injected).toBe(true);
    expect(listTicketsOfSubmission(store.handle.db, 1)).toEqual([]); // the injection never happened
    const card = posts()[0]?.args;
    expect(postedKeys()).toEqual(['card:1']);
    expect({ text: card?.text, blocks: card?.blocks }).toEqual(render.card(1));
  });
});
