/**
 * GET /metrics: Prometheus text on the port of /healthz, over HTTP and in Socket Mode, read back with a strict
 * parser of the exposition format; the values follow what the bot did, and no label names a person, a channel
 * or an item.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appConfigSchema } from '../../src/config/app.js';
import { METRIC_NAMES } from '../../src/metrics/index.js';
import { type RunningBot, startCmdBot } from '../../src/server.js';
import { registerProduct, submit } from '../../src/services/index.js';
import { buttonValue } from '../support/blocks.js';
import {
  botEnv,
  CONTACT_ID,
  SECRET,
  STAFF_ID,
  STRANGER_ID,
  startTestBot,
  type TestBot,
  UMD_CHANNEL,
} from '../support/bot.js';
import { ARC_RELEASE, tempDir } from '../support/database.js';
import { type Exposition, parseExposition, sampleValue } from '../support/exposition.js';
import { startFakeSlack } from '../support/fake-slack.js';
import { answerConnectionsOpen, startFakeSocketMode } from '../support/fake-socket-mode.js';
import { postToSlackApp, slashCommandBody } from '../support/slack-requests.js';

const ONE_LINE = 'ARC 6.21.1 https://www.nordugrid.org/arc/6.21.1 nordugrid-arc platforms=el9/x86_64';
/** A Slack id (user, workspace, channel, DM, group, team, user group) as a label value must never be. */
const SLACK_ID = /^[UWCDGTS][A-Z0-9]{6,}$/;

/** The type each metric of the issue must be exposed as. */
const EXPECTED_TYPES: Readonly<Record<string, string>> = {
  [METRIC_NAMES.outboxPending]: 'gauge',
  [METRIC_NAMES.outboxDead]: 'gauge',
  [METRIC_NAMES.outboxOldestPendingSeconds]: 'gauge',
  [METRIC_NAMES.tickets]: 'gauge',
  [METRIC_NAMES.submissions]: 'gauge',
  [METRIC_NAMES.overdueItems]: 'gauge',
  [METRIC_NAMES.delayCheckDurationSeconds]: 'histogram',
  [METRIC_NAMES.delayCheckLastSuccessTimestampSeconds]: 'gauge',
  [METRIC_NAMES.slackApiCallsTotal]: 'counter',
  [METRIC_NAMES.requestsTotal]: 'counter',
};

let t: TestBot | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await t?.stop();
  t = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function scrape(port: number): Promise<{ status: number; contentType: string | null; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: await response.text(),
  };
}

async function metricsOf(port: number): Promise<Exposition> {
  const { status, text } = await scrape(port);
  expect(status).toBe(200);
  return parseExposition(text);
}

/** The card the bot posted to the UMD channel for SUB-1. */
function postedCard(bot: TestBot) {
  const card = bot.slack
    .callsTo('chat.postMessage')
    .find((call) => call.args.channel === UMD_CHANNEL && String(call.args.text).includes('SUB-1'));
  if (!card) throw new Error('no card for SUB-1 was posted');
  return card;
}

describe('GET /metrics over HTTP', () => {
  it('when a release is submitted, Inject is clicked and the delay check runs, then /metrics answers 200 in prom-client’s content type, parses, and carries every metric with HELP and TYPE and the right values', async () => {
    t = await startTestBot();
    await t.command(CONTACT_ID, '/cmd-submit', ONE_LINE);
    await t.drain();
    await t.click(STAFF_ID, 'move:inject', buttonValue(postedCard(t).args.blocks, 'move:inject'));
    // Past SUB-1's injection limit (the end of its 5th working day, 2027-03-08T23:00Z): the check flags it.
    t.clock.set('2027-03-09T12:00:00Z');
    const checkedFrom = Date.now() / 1000;
    t.bot.scheduler.runCheck('test');
    const checkedBy = Date.now() / 1000;
    await t.drain();

    const { status, contentType, text } = await scrape(t.bot.port);

    expect(status).toBe(200);
    expect(contentType).toBe(new Registry().contentType);
    const metrics = parseExposition(text);
    for (const [name, type] of Object.entries(EXPECTED_TYPES)) {
      expect(metrics.type.get(name), name).toBe(type);
      expect(metrics.help.get(name), name).toMatch(/\w/);
    }
    // The process's default metrics are there too.
    expect(metrics.type.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(metrics.type.get('nodejs_eventloop_lag_seconds')).toBe('gauge');

    expect(sampleValue(metrics, 'cmd_bot_submissions', { status: 'open' })).toBe(1);
    expect(sampleValue(metrics, 'cmd_bot_submissions', { status: 'solved' })).toBe(0);
    expect(sampleValue(metrics, 'cmd_bot_tickets', { status: 'unverified' })).toBe(0);
    expect(sampleValue(metrics, 'cmd_bot_overdue_items')).toBe(1);
    expect(sampleValue(metrics, 'cmd_bot_requests_total', { kind: 'command', outcome: 'ok' })).toBe(1);
    expect(sampleValue(metrics, 'cmd_bot_requests_total', { kind: 'action', outcome: 'ok' })).toBe(1);
    expect(sampleValue(metrics, 'cmd_bot_requests_total', { kind: 'view', outcome: 'ok' })).toBe(0);
    // The card and the overdue notice (outbox), and the Inject form (a listener's client).
    expect(
      sampleValue(metrics, 'cmd_bot_slack_api_calls_total', { method: 'chat.postMessage', outcome: 'ok' }),
    ).toBe(t.slack.callsTo('chat.postMessage').length);
    expect(t.slack.callsTo('chat.postMessage').length).toBeGreaterThanOrEqual(2);
    expect(
      sampleValue(metrics, 'cmd_bot_slack_api_calls_total', { method: 'views.open', outcome: 'ok' }),
    ).toBe(1);
    expect(
      sampleValue(metrics, 'cmd_bot_slack_api_calls_total', { method: 'auth.test', outcome: 'ok' }),
    ).toBe(1);
    // The check at start-up and ours.
    expect(sampleValue(metrics, 'cmd_bot_delay_check_duration_seconds_count')).toBe(2);
    expect(sampleValue(metrics, 'cmd_bot_delay_check_duration_seconds_bucket', { le: '+Inf' })).toBe(2);
    const lastSuccess = sampleValue(metrics, 'cmd_bot_delay_check_last_success_timestamp_seconds');
    expect(lastSuccess).toBeGreaterThanOrEqual(checkedFrom);
    expect(lastSuccess).toBeLessThanOrEqual(checkedBy);
    expect(sampleValue(metrics, 'cmd_bot_outbox_pending')).toBe(0);
    expect(sampleValue(metrics, 'cmd_bot_outbox_dead')).toBe(0);
    expect(sampleValue(metrics, 'cmd_bot_outbox_oldest_pending_seconds')).toBe(0);
  });

  it('when people, channels and items went through the bot, then no label value is a Slack id or names a SUB- or TKT-', async () => {
    t = await startTestBot();
    await t.command(CONTACT_ID, '/cmd-submit', ONE_LINE);
    await t.drain();
    await t.click(STRANGER_ID, 'move:inject', buttonValue(postedCard(t).args.blocks, 'move:inject'));
    await t.command(STAFF_ID, '/cmd-status', 'SUB-1');
    await t.event({ type: 'app_home_opened', user: CONTACT_ID, tab: 'home', channel: 'D0CONTACT1' });

    const metrics = await metricsOf(t.bot.port);

    const values = metrics.samples.flatMap((sample) => Object.values(sample.labels));
    expect(values.length).toBeGreaterThan(100);
    expect(values.filter((value) => SLACK_ID.test(value) || /SUB-|TKT-/.test(value))).toEqual([]);
    expect(sampleValue(metrics, 'cmd_bot_requests_total', { kind: 'event', outcome: 'ok' })).toBe(1);
  });

  it('when a request is unreadable, no listener takes it, or its listener throws, then it is counted with that outcome', async () => {
    t = await startTestBot();
    const truncatedClick = `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: CONTACT_ID } }))}`;
    await postToSlackApp(t.url, SECRET, truncatedClick);
    await t.command(CONTACT_ID, '/cmd-retired');
    await postToSlackApp(t.url, SECRET, JSON.stringify({ type: 'no_such_kind' }));
    // Slack refuses the Home tab: the App Home listener's views.publish throws.
    t.slack.respondWith('views.publish', () => ({ body: { ok: false, error: 'not_enabled' } }));
    await t.event({ type: 'app_home_opened', user: CONTACT_ID, tab: 'home', channel: 'D0CONTACT1' });

    const metrics = await metricsOf(t.bot.port);

    const requests = (kind: string, outcome: string) =>
      sampleValue(metrics, 'cmd_bot_requests_total', { kind, outcome });
    expect(requests('action', 'unreadable')).toBe(1);
    expect(requests('command', 'unhandled')).toBe(1);
    expect(requests('other', 'unreadable')).toBe(1);
    expect(requests('event', 'error')).toBe(1);
    expect(requests('command', 'ok')).toBe(0);
    expect(requests('event', 'ok')).toBe(0);
    expect(
      sampleValue(metrics, 'cmd_bot_slack_api_calls_total', {
        method: 'views.publish',
        outcome: 'slack_error',
      }),
    ).toBe(1);
  });

  it('when Slack rate-limits the card, then the card stays pending, its age shows, and the call counts as rate_limited', async () => {
    t = await startTestBot();
    t.slack.respondWith('chat.postMessage', () => ({ status: 429, headers: { 'retry-after': '30' } }));
    await t.command(CONTACT_ID, '/cmd-submit', ONE_LINE);
    await t.drain();
    t.clock.set('2027-03-01T09:01:30Z');

    const metrics = await metricsOf(t.bot.port);

    expect(sampleValue(metrics, 'cmd_bot_outbox_pending')).toBe(1);
    expect(sampleValue(metrics, 'cmd_bot_outbox_oldest_pending_seconds')).toBe(90);
    expect(
      sampleValue(metrics, 'cmd_bot_slack_api_calls_total', {
        method: 'chat.postMessage',
        outcome: 'rate_limited',
      }),
    ).toBe(t.slack.callsTo('chat.postMessage').length);
    expect(t.slack.callsTo('chat.postMessage').length).toBeGreaterThanOrEqual(1);
  });

  it('when a use case’s writes wait for the turn’s group commit, then a scrape waits for the commit, counts them, and leaves no transaction open', async () => {
    t = await startTestBot();
    const db = t.bot.ctx.db;
    submit(t.bot.ctx, { ...ARC_RELEASE, platforms: ['el9/x86_64'] }, { userId: CONTACT_ID, staff: false });
    expect(db.$client.inTransaction).toBe(true);

    const text = await t.bot.metrics.exposition();

    expect(db.$client.inTransaction).toBe(false);
    expect(sampleValue(parseExposition(text), 'cmd_bot_submissions', { status: 'open' })).toBe(1);
  });

  it('when METRICS is false, then /metrics is 404 and /healthz still answers', async () => {
    t = await startTestBot({ env: { METRICS: 'false' } });

    expect((await scrape(t.bot.port)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${t.bot.port}/healthz`)).status).toBe(200);
  });
});

describe('GET /metrics in Socket Mode', () => {
  async function startSocketBot(
    env: Record<string, string> = {},
  ): Promise<{ bot: RunningBot; send: (text: string) => Promise<unknown> }> {
    const slack = await startFakeSlack();
    const socketMode = await startFakeSocketMode();
    answerConnectionsOpen(slack, socketMode);
    const dir = tempDir('cmd-bot-metrics-');
    const config = appConfigSchema.parse(
      botEnv(slack.url, join(dir, 'cmd-bot.sqlite'), { SLACK_APP_TOKEN: 'xapp-1-A0FAKEAPP-1-test', ...env }),
    );
    const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
    const bot = await startCmdBot(config, { outboxPaceMs: 0, logDestination: quiet });
    cleanups.push(async () => {
      await bot.stop();
      await socketMode.close();
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    });
    registerProduct(
      bot.ctx,
      { name: 'ARC', contacts: [CONTACT_ID], platforms: ['el9/x86_64'] },
      { userId: STAFF_ID, staff: true },
    );
    await socketMode.connected();
    const send = (text: string) =>
      socketMode.send(
        'slash_commands',
        Object.fromEntries(
          new URLSearchParams(slashCommandBody({ command: '/cmd-submit', text, user_id: CONTACT_ID })),
        ),
      );
    return { bot, send };
  }

  it('when a provider submits over the socket, then /metrics on the health port parses and counts the submission and the command', async () => {
    const { bot, send } = await startSocketBot();
    await send(ONE_LINE);

    // The ack goes back on the socket before the listener has returned; the request is counted when it has.
    const metrics = await vi.waitFor(async () => {
      const read = await metricsOf(bot.port);
      expect(sampleValue(read, 'cmd_bot_requests_total', { kind: 'command', outcome: 'ok' })).toBe(1);
      return read;
    }, 10_000);
    expect(sampleValue(metrics, 'cmd_bot_submissions', { status: 'open' })).toBe(1);
    for (const name of Object.keys(EXPECTED_TYPES)) expect(metrics.type.has(name), name).toBe(true);
  });

  it('when METRICS is false, then the health port answers /metrics with 404', async () => {
    const { bot } = await startSocketBot({ METRICS: 'false' });

    expect((await scrape(bot.port)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${bot.port}/healthz`)).status).toBe(200);
  });
});
