import type { AddressInfo } from 'node:net';
import { App, LogLevel, verifySlackRequest, webApi } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_IDS, type FakeSlack, startFakeSlack } from './fake-slack.js';
import {
  blockActionBody,
  eventBody,
  postToSlackApp,
  sign,
  slashCommandBody,
  viewSubmissionBody,
} from './slack-requests.js';

const { WebClient, ErrorCode } = webApi;

describe('sign', () => {
  // Slack's published example from "Verifying requests from Slack" (2018).
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const timestamp = 1531420618;
  const body =
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  const expected = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

  it("when given Slack's test vector, then it returns Slack's signature, which Bolt accepts", () => {
    const signature = sign(secret, body, timestamp);
    expect(signature).toBe(expected);
    expect(() =>
      verifySlackRequest({
        signingSecret: secret,
        body,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: timestamp * 1000,
      }),
    ).not.toThrow();
  });

  it('when the body changes by one character, then Bolt rejects the signature', () => {
    expect(() =>
      verifySlackRequest({
        signingSecret: secret,
        body: `${body}x`,
        headers: { 'x-slack-signature': expected, 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: timestamp * 1000,
      }),
    ).toThrow();
  });
});

describe('fake Slack Web API', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack({ usergroupMembers: { S0STAFF: ['U1', 'U2'] } });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  const client = () => new WebClient('xoxb-test', { slackApiUrl: fake.url, retryConfig: { retries: 0 } });

  it('when a WebClient posts blocks, then the fake records them parsed and answers with a unique ts', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*SUB-12* submitted' } }];
    const first = await client().chat.postMessage({ channel: 'C123', text: 'SUB-12 submitted', blocks });
    const second = await client().chat.postMessage({ channel: 'U777', text: 'hello' });

    expect(first.ok).toBe(true);
    expect(first.channel).toBe('C123');
    expect(second.channel).toMatch(/^D/);
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.args).toMatchObject({
      channel: 'C123',
      text: 'SUB-12 submitted',
      blocks,
      token: 'xoxb-test',
    });
  });

  it('when a test overrides a method with a 429 and Retry-After, then the client gets a rate-limit error', async () => {
    fake.respondWith('chat.postMessage', () => ({ status: 429, headers: { 'Retry-After': '7' } }));
    const limited = new WebClient('xoxb-test', {
      slackApiUrl: fake.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });

    await expect(limited.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
  });

  it('when an override returns undefined, then the default answer is used', async () => {
    fake.respondWith('views.open', (_args, i) =>
      i === 0 ? { body: { ok: false, error: 'expired_trigger_id' } } : undefined,
    );

    await expect(client().views.open({ trigger_id: 't1', view: modal() })).rejects.toMatchObject({
      data: { error: 'expired_trigger_id' },
    });
    const opened = await client().views.open({ trigger_id: 't2', view: modal() });
    expect(opened.view?.id).toMatch(/^V/);
    expect(opened.view?.callback_id).toBe('submit');
  });

  it('when asked for user groups, then it answers the configured members or no_such_subteam', async () => {
    const staff = await client().usergroups.users.list({ usergroup: 'S0STAFF' });
    expect(staff.users).toEqual(['U1', 'U2']);
    await expect(client().usergroups.users.list({ usergroup: 'S0NONE' })).rejects.toMatchObject({
      data: { error: 'no_such_subteam' },
    });
  });

  it('when the awaited call arrives later, then waitFor resolves; when it never does, it rejects listing the calls', async () => {
    const waiting = fake.waitFor((calls) => calls.some((c) => c.method === 'users.info'));
    await client().auth.test();
    await client().users.info({ user: 'U9' });
    const calls = await waiting;
    expect(calls.map((c) => c.method)).toEqual(['auth.test', 'users.info']);

    await expect(fake.waitFor((calls) => calls.length > 5, 50)).rejects.toThrow(
      /2 call\(s\) seen:[\s\S]*users\.info/,
    );
  });

  it('when a delay is set, then the call is recorded at once but answered only after the delay', async () => {
    fake.setDelay(400);
    const started = Date.now();
    const posting = client().chat.postMessage({ channel: 'C1', text: 'slow' });
    const [call] = await fake.waitFor((calls) => calls.length === 1);
    const recordedAfter = (call?.at ?? Number.POSITIVE_INFINITY) - started;
    await posting;

    expect(recordedAfter).toBeLessThan(400);
    expect(Date.now() - started).toBeGreaterThanOrEqual(395);
  });

  it('when something posts to a response_url, then the post is recorded under that id', async () => {
    const response = await fetch(fake.responseUrl('cmd-1'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'done' }),
    });
    expect(response.status).toBe(200);
    expect(fake.callsTo('response_url:cmd-1')[0]?.args).toEqual({ response_type: 'ephemeral', text: 'done' });
  });
});

describe('signed requests to a Bolt app backed by the fake', () => {
  const secret = 'test-signing-secret';
  let fake: FakeSlack;
  let app: App;
  let appUrl: string;
  const seen: Record<string, unknown>[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack();
    app = new App({
      token: 'xoxb-test',
      signingSecret: secret,
      botId: FAKE_IDS.botId,
      botUserId: FAKE_IDS.botUserId,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
    });
    app.command('/cmd-help', async ({ ack, command, respond }) => {
      await ack();
      seen.push({ command: command.command, text: command.text });
      await respond({ text: `help for ${command.user_id}` });
    });
    app.action('approve', async ({ ack, body }) => {
      await ack();
      seen.push({ action: body.type });
    });
    app.view('submit', async ({ ack, view }) => {
      await ack();
      seen.push({ view: view.state.values });
    });
    app.event('app_home_opened', async ({ event, client }) => {
      await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [] } });
    });
    const server = await app.start(0);
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(async () => {
    await app.stop();
    await fake.close();
  });

  it('when a signed slash command arrives, then Bolt acks it and the handler can respond', async () => {
    const body = slashCommandBody({
      command: '/cmd-help',
      text: 'a b & c',
      user_id: 'U1',
      response_url: fake.responseUrl('help'),
    });
    const res = await postToSlackApp(appUrl, secret, body);
    expect(res.status).toBe(200);
    const calls = await fake.waitFor((c) => c.some((call) => call.method === 'response_url:help'));
    expect(calls.at(-1)?.args).toMatchObject({ text: 'help for U1' });
    expect(seen).toContainEqual({ command: '/cmd-help', text: 'a b & c' });
  });

  it('when the signature is wrong or stale, then Bolt answers 401', async () => {
    const body = slashCommandBody({ command: '/cmd-help', user_id: 'U1' });
    expect((await postToSlackApp(appUrl, 'wrong-secret', body)).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 600;
    expect((await postToSlackApp(appUrl, secret, body, { timestampSec: stale })).status).toBe(401);
  });

  it('when the content-type carries a charset, then Bolt cannot parse the form and answers 400', async () => {
    const body = slashCommandBody({ command: '/cmd-help', user_id: 'U1' });
    const res = await postToSlackApp(appUrl, secret, body, {
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
    });
    expect(res.status).toBe(400);
  });

  it('when a click, a modal submission and an event arrive, then each reaches its listener', async () => {
    const click = await postToSlackApp(
      appUrl,
      secret,
      blockActionBody({ user_id: 'U1', action_id: 'approve', value: 'SUB-1' }),
    );
    const values = { title: { input: { type: 'plain_text_input', value: 'x' } } };
    const submit = await postToSlackApp(
      appUrl,
      secret,
      viewSubmissionBody({ user_id: 'U1', callback_id: 'submit', values }),
    );
    const event = await postToSlackApp(
      appUrl,
      secret,
      eventBody({ type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home', event_ts: '1.2' }),
    );

    expect([click.status, submit.status, event.status]).toEqual([200, 200, 200]);
    expect(seen).toContainEqual({ action: 'block_actions' });
    expect(seen).toContainEqual({ view: values });
    const calls = await fake.waitFor((c) => c.some((call) => call.method === 'views.publish'));
    expect(calls.find((c) => c.method === 'views.publish')?.args).toMatchObject({
      user_id: 'U1',
      view: { type: 'home', blocks: [] },
    });
  });
});

function modal() {
  return {
    type: 'modal' as const,
    callback_id: 'submit',
    title: { type: 'plain_text' as const, text: 'Submit' },
    blocks: [],
  };
}
