/**
 * cmd-bot in Socket Mode (SLACK_APP_TOKEN set): the same app, reached over a WebSocket instead of HTTP. The fake
 * Web API hands out a local fake Socket Mode server (apps.connections.open, reached through SLACK_API_URL); a
 * request arrives as an envelope, and the app's ack, with its message, comes back on the socket.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appConfigSchema } from '../../src/config/app.js';
import { findSubmission } from '../../src/db/repositories/submissions.js';
import { type RunningBot, startCmdBot } from '../../src/server.js';
import { registerProduct } from '../../src/services/index.js';
import { buttonValue } from '../support/blocks.js';
import { botEnv, CONTACT_ID, STAFF_ID, UMD_CHANNEL } from '../support/bot.js';
import { tempDir } from '../support/database.js';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.js';
import {
  answerConnectionsOpen,
  type FakeSocketMode,
  startFakeSocketMode,
} from '../support/fake-socket-mode.js';
import { blockActionBody, slashCommandBody } from '../support/slack-requests.js';

const APP_TOKEN = 'xapp-1-A0FAKEAPP-1-test';

let slack: FakeSlack;
let socketMode: FakeSocketMode;
let bot: RunningBot;
let dir: string;

beforeEach(async () => {
  slack = await startFakeSlack();
  socketMode = await startFakeSocketMode();
  answerConnectionsOpen(slack, socketMode);
  dir = tempDir('cmd-bot-socket-');
  const config = appConfigSchema.parse(
    botEnv(slack.url, join(dir, 'cmd-bot.sqlite'), { SLACK_APP_TOKEN: APP_TOKEN, LOG_LEVEL: 'warn' }),
  );
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  bot = await startCmdBot(config, { outboxPaceMs: 0, logDestination: quiet });
  registerProduct(
    bot.ctx,
    { name: 'ARC', contacts: [CONTACT_ID], platforms: ['el9/x86_64'] },
    { userId: STAFF_ID, staff: true },
  );
  await socketMode.connected();
});

afterEach(async () => {
  await bot.stop();
  await socketMode.close();
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

const slashCommand = (text: string, userId = CONTACT_ID) =>
  Object.fromEntries(
    new URLSearchParams(slashCommandBody({ command: '/cmd-submit', text, user_id: userId })),
  );

describe('Socket Mode', () => {
  it('when cmd-bot starts with an app token, then it opens its connection with that token, through SLACK_API_URL', () => {
    const opened = slack.callsTo('apps.connections.open');
    expect(opened).toHaveLength(1);
    expect(opened[0]?.args.token).toBe(APP_TOKEN);
  });

  it('when PORT is 0, then /healthz answers on the port the bot reports, and nothing else is served there', async () => {
    expect(bot.port).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${bot.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, database: 'ok', outbox: { pending: 0, dead: 0 } });

    const events = await fetch(`http://127.0.0.1:${bot.port}/slack/events`, { method: 'POST', body: '{}' });
    expect(events.status).toBe(404);
  });

  it('when a provider submits one line over the socket, then the ack names SUB-1, the release is stored and the UMD card is posted', async () => {
    const ack = await socketMode.send(
      'slash_commands',
      slashCommand('ARC 6.21.1 https://x.org/6.21.1 nordugrid-arc'),
    );

    expect(ack).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('as *SUB-1*') });
    expect(findSubmission(bot.ctx.db, 1)).toMatchObject({ version: '6.21.1', submittedBy: CONTACT_ID });
    await slack.waitFor((calls) =>
      calls.some((call) => call.method === 'chat.postMessage' && call.args.channel === UMD_CHANNEL),
    );
  });

  it('when the line lacks its packages, then the ack says what to fix and nothing is stored', async () => {
    const ack = await socketMode.send('slash_commands', slashCommand('ARC 6.21.1 https://x.org/6.21.1'));

    expect(ack).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Give at least one package.'),
    });
    expect(findSubmission(bot.ctx.db, 1)).toBeNull();
  });

  it('when someone outside the UMD team clicks Inject on the card, then the click is acked on the socket, they are told why, and nothing moves', async () => {
    await socketMode.send('slash_commands', slashCommand('ARC 6.21.1 https://x.org/6.21.1 nordugrid-arc'));
    const calls = await slack.waitFor((seen) =>
      seen.some((call) => call.method === 'chat.postMessage' && call.args.channel === UMD_CHANNEL),
    );
    const card = calls.find(
      (call) => call.method === 'chat.postMessage' && call.args.channel === UMD_CHANNEL,
    );
    const inject = buttonValue(card?.args.blocks, 'move:inject', 'submission:SUB-1');
    const click = blockActionBody({
      user_id: CONTACT_ID,
      action_id: 'move:inject',
      value: inject,
      block_id: 'submission:SUB-1',
      response_url: slack.responseUrl('click'),
    });

    await socketMode.send('interactive', JSON.parse(new URLSearchParams(click).get('payload') ?? '{}'));

    await slack.waitFor((seen) => seen.some((call) => call.method === 'response_url:click'));
    expect(slack.callsTo('response_url:click').map((call) => call.args.text)).toEqual([
      'Only the UMD team can use “Inject”.',
    ]);
    expect(findSubmission(bot.ctx.db, 1)?.state.status).toBe('open');
  });
});
