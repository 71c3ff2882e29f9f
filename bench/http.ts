/** Load against the app on loopback with autocannon, and the baseline: a bare Bolt app that only acks. */
import { createHmac } from 'node:crypto';
import { App, HTTPReceiver } from '@slack/bolt';
import autocannon from 'autocannon';

export const SECRET = 'bench-signing-secret-0123456789';

export function signedHeaders(body: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`,
  };
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly total: number;
}

/** `body(i)` gives the i-th request's form body; each request is signed as Slack would sign it. */
export async function load(url: string, body: (i: number) => string, options: { connections?: number; seconds?: number } = {}): Promise<LoadResult> {
  let i = 0;
  const result = await autocannon({
    url,
    connections: options.connections ?? 20,
    duration: options.seconds ?? 8,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const text = body(i++);
          return { ...request, body: text, headers: { ...request.headers, ...signedHeaders(text) } };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

/** The baseline: Bolt with the same receiver settings, whose listeners only ack. */
export async function startBareBolt(): Promise<{ url: string; stop: () => Promise<void> }> {
  const receiver = new HTTPReceiver({ signingSecret: SECRET, endpoints: '/slack/events' });
  const app = new App({ token: 'xoxb-bench', botId: 'B0BENCH', botUserId: 'U0BENCH', receiver });
  app.command(/.*/, async ({ ack }) => ack());
  app.action(/.*/, async ({ ack }) => ack());
  app.view(/.*/, async ({ ack }) => ack());
  const server = (await app.start(0)) as { address(): { port: number } };
  return { url: `http://127.0.0.1:${server.address().port}/slack/events`, stop: async () => void (await app.stop()) };
}

export function commandBody(command: string, text: string, userId: string): string {
  return new URLSearchParams({
    token: 'x',
    team_id: 'T0BENCH',
    channel_id: 'C0BENCH',
    user_id: userId,
    user_name: userId.toLowerCase(),
    command,
    text,
    response_url: 'http://127.0.0.1:9/response',
    trigger_id: '1.2.3',
  }).toString();
}

export function viewSubmissionBody(userId: string, callbackId: string, privateMetadata: string, values: object): string {
  const payload = {
    type: 'view_submission',
    team: { id: 'T0BENCH' },
    user: { id: userId, team_id: 'T0BENCH' },
    api_app_id: 'A0BENCH',
    token: 'x',
    trigger_id: '1.2.3',
    view: { id: 'V0BENCH', type: 'modal', callback_id: callbackId, private_metadata: privateMetadata, state: { values } },
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
