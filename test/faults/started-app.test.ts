/**
 * `npm start` (dist/main.js) in its own process, configured by environment, against a fake Slack: what only a
 * real process shows (how it starts while Slack is having trouble, that one request cannot end it, and how it
 * stops).
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppProcess, postSigned, spawnApp, within } from '../support/app-process.js';
import { botEnv, CONTACT_ID } from '../support/bot.js';
import { tempDir } from '../support/database.js';
import { type FakeSlack, type SlackCall, startFakeSlack } from '../support/fake-slack.js';
import { slashCommandBody } from '../support/slack-requests.js';

let slack: FakeSlack;
let dir: string;
let app: AppProcess | undefined;

beforeEach(async () => {
  slack = await startFakeSlack();
  dir = tempDir('cmd-bot-started-');
});
afterEach(async () => {
  await app?.kill();
  app = undefined;
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<AppProcess> {
  app = await spawnApp({
    cwd: dir,
    env: botEnv(slack.url, join(dir, 'cmd-bot.sqlite')),
  });
  return app;
}

const help = async (started: AppProcess) =>
  ((await started.post(slashCommandBody({ command: '/cmd-help', user_id: CONTACT_ID }))).json ?? {}) as {
    text?: string;
  };
const authTests = (calls: SlackCall[]) => calls.filter((call) => call.method === 'auth.test');

describe('start-up while Slack is having trouble', () => {
  it('when Slack is fine at start, then the started app answers /cmd-help', async () => {
    const started = await start();
    expect(started.port, started.output()).toBeGreaterThan(0);
    expect((await help(started)).text).toBe('How to use cmd-bot');
  });

  // Start-up asks auth.test itself, with retries, and gives Bolt the bot's ids: Bolt never calls it again.
  it('when auth.test fails while the app starts, then the app keeps running and answers once Slack is back', async () => {
    slack.respondWith('auth.test', () => ({ status: 503 }));
    const started = await start();
    await slack.waitFor((calls) => authTests(calls).length >= 2, 5000);
    slack.reset(); // Slack is back.

    expect(await within(started.exited, 1000, 'still running'), started.output()).toBe('still running');
    expect((await help(started)).text).toBe('How to use cmd-bot');
  });
});

describe('a signed body whose payload is JSON null', () => {
  // FIXED twice. Under Bolt's receiver (@slack/bolt 5.1.0, receivers/HTTPReceiver.js line ~345) a body that
  // parses to null (`payload=null`, or a JSON body `null`) was an unhandled rejection ("Cannot read properties of
  // null (reading 'ssl_check')") that ended Node 20's process: one signed request took the bot down. src/main.ts
  // logs unhandled rejections since, and cmd-bot's own receiver (src/slack/receiver.ts) refuses such a body with
  // 400 before Bolt sees it. This runs against the real process, so that a crash would show as one.
  it('when a correctly signed body is payload=null, then it gets 400 and the app keeps running', async () => {
    const started = await start();
    expect(started.port, started.output()).toBeGreaterThan(0);

    const answer = await postSigned(started.url, 'payload=null', { timeoutMs: 3000 });

    expect(answer.status).toBe(400);
    expect(await within(started.exited, 1000, 'still running'), started.output().slice(-400)).toBe(
      'still running',
    );
    expect(started.output()).toContain('Malformed request body: not a JSON object');
    expect(started.output()).not.toContain('unhandled rejection');
  });
});

describe('stopping', () => {
  // The bot's WAL checkpoints run on a thread of its own (src/db/checkpointer.ts); stopping waits for that thread
  // before it closes the database, and the last connection to close copies the WAL into the file and removes it.
  it('when the app gets SIGTERM after a submission, then it stops cleanly: exit 0, logged, the WAL folded into the file', async () => {
    const started = await start();
    expect(started.port, started.output()).toBeGreaterThan(0);
    const submitted = await started.post(
      slashCommandBody({
        command: '/cmd-submit',
        text: 'ARC 7.1.0 https://example.org/notes pkg-a',
        user_id: CONTACT_ID,
      }),
    );
    expect(submitted.status).toBe(200);
    const database = join(dir, 'cmd-bot.sqlite');
    expect(existsSync(`${database}-wal`)).toBe(true);

    process.kill(started.pid, 'SIGTERM');

    expect(await within(started.exited, 5000, 'still running'), started.output().slice(-600)).toBe(0);
    expect(started.logs().map((line) => line.msg)).toContain('cmd-bot stopped');
    expect(existsSync(`${database}-wal`)).toBe(false);
  });
});
