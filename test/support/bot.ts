/**
 * The real cmd-bot (Bolt, database, outbox worker) on an ephemeral port, talking to a local fake Slack Web
 * API, with helpers that POST correctly signed requests the way Slack does.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type AppConfig, appConfigSchema } from '../../src/config/app.js';
import { type RunningBot, startCmdBot } from '../../src/server.js';
import { type Caller, registerProduct } from '../../src/services/index.js';
import { TEST_PLATFORMS, type TestClock, tempDir, testClock } from './database.js';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';
import {
  blockActionBody,
  eventBody,
  postToSlackApp,
  slashCommandBody,
  viewSubmissionBody,
} from './slack-requests.js';

export const SECRET = 'test-signing-secret-0123456789';
export const UMD_CHANNEL = 'C0UMDTEAM';
export const EA_CHANNEL = 'C0EARLYAD';
export const STAFF_ID = 'USTAFF1';
export const STAFF_2_ID = 'USTAFF2';
export const CONTACT_ID = 'UCONTACT1';
export const STRANGER_ID = 'USTRANGER';

/**
 * The settings of a test bot that talks to the fake Slack at `slackUrl` and keeps its database at `databasePath`:
 * the UMD channel and one staff member, logs at info (a spawned app's port is read from its start-up line), no
 * daily digest whatever the time of day. `more` adds or overrides.
 */
export function botEnv(
  slackUrl: string,
  databasePath: string,
  more: Record<string, string> = {},
): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slackUrl,
    PORT: '0',
    DATABASE_PATH: databasePath,
    UMD_CHANNEL_ID: UMD_CHANNEL,
    UMD_STAFF_USER_IDS: STAFF_ID,
    LOG_LEVEL: 'info',
    DIGEST_TIME: '23:59',
    ...TEST_PLATFORMS,
    ...more,
  };
}

export interface TestBot {
  readonly bot: RunningBot;
  readonly slack: FakeSlack;
  readonly clock: TestClock;
  readonly url: string;
  readonly dir: string;
  command(userId: string, command: string, text?: string): Promise<Response>;
  click(userId: string, actionId: string, value: string, extra?: { responseUrl?: string }): Promise<Response>;
  submitView(
    userId: string,
    callbackId: string,
    privateMetadata: string,
    values: Record<string, Record<string, unknown>>,
  ): Promise<Response>;
  event(event: Record<string, unknown>): Promise<Response>;
  /** Sends everything the outbox holds now, and waits for it. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

type Response = Awaited<ReturnType<typeof postToSlackApp>>;

export async function startTestBot(
  options: {
    env?: Record<string, string>;
    processBeforeResponse?: boolean;
    start?: string;
    seedProducts?: boolean;
  } = {},
): Promise<TestBot> {
  const slack = await startFakeSlack({ usergroupMembers: { S0STAFF: [STAFF_2_ID] } });
  const dir = tempDir('cmd-bot-e2e-');
  const clock = testClock(options.start ?? '2027-03-01T09:00:00Z');
  const config: AppConfig = appConfigSchema.parse({
    ...botEnv(slack.url, join(dir, 'cmd-bot.sqlite')),
    EARLY_ADOPTERS_CHANNEL_ID: EA_CHANNEL,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const bot = await startCmdBot(config, {
    clock,
    processBeforeResponse: options.processBeforeResponse ?? true,
    outboxPollMs: 60_000,
    // Pacing (one message a second per channel) has its own test; here it would only slow every flow down.
    outboxPaceMs: 0,
  });
  if (options.seedProducts !== false) {
    const staff: Caller = { userId: STAFF_ID, staff: true };
    registerProduct(
      bot.ctx,
      {
        name: 'ARC',
        team: 'NorduGrid',
        contacts: [CONTACT_ID],
        contactChannel: 'C0ARCTEAM',
        platforms: ['el9/x86_64', 'el8/x86_64'],
        earlyAdopterSites: ['SITE-A'],
      },
      staff,
    );
  }
  const url = `http://127.0.0.1:${bot.port}/slack/events`;
  const post = (body: string) => postToSlackApp(url, SECRET, body);
  return {
    bot,
    slack,
    clock,
    url,
    dir,
    command: (userId, command, text = '') =>
      post(
        slashCommandBody({
          command,
          text,
          user_id: userId,
          response_url: slack.responseUrl(`cmd-${userId}`),
        }),
      ),
    click: (userId, actionId, value, extra = {}) =>
      post(
        blockActionBody({
          user_id: userId,
          action_id: actionId,
          value,
          channel_id: UMD_CHANNEL,
          response_url: extra.responseUrl ?? slack.responseUrl(`click-${userId}`),
        }),
      ),
    submitView: (userId, callbackId, privateMetadata, values) =>
      post(
        viewSubmissionBody({
          user_id: userId,
          callback_id: callbackId,
          private_metadata: privateMetadata,
          values,
        }),
      ),
    event: (event) => post(eventBody(event)),
    drain: () => bot.worker.drain(),
    stop: async () => {
      await bot.stop();
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** View-state values as Slack sends them, from plain field values. */
export const field = {
  text: (value: string) => ({ value: { type: 'plain_text_input', value } }),
  select: (value: string) => ({ value: { type: 'static_select', selected_option: { value } } }),
  radio: (value: string) => ({ value: { type: 'radio_buttons', selected_option: { value } } }),
  multi: (values: string[]) => ({
    value: { type: 'multi_static_select', selected_options: values.map((value) => ({ value })) },
  }),
  checks: (values: string[]) => ({
    value: { type: 'checkboxes', selected_options: values.map((value) => ({ value })) },
  }),
  user: (value: string | null) => ({ value: { type: 'users_select', selected_user: value } }),
};
