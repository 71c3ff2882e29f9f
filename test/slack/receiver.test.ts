/**
 * cmd-bot's HTTP receiver on its own, under a real Bolt App: Slack's published signature example end to end, the
 * body limit at its edge, its routes. The refusals under the whole bot (forged, stale, future-dated, oversized,
 * malformed, ssl_check) are in test/faults/abuse.test.ts.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { SlackHttpReceiver, signatureMatches } from '../../src/slack/receiver.js';

// Slack's example from "Verifying requests from Slack" (2018).
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE_HEX = 'a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

describe('signatureMatches', () => {
  it("when given Slack's example, then it matches", () => {
    expect(signatureMatches(SECRET, TIMESTAMP, BODY, SIGNATURE_HEX)).toBe(true);
  });

  it('when the body, the timestamp or the secret differ by one character, then it does not match', () => {
    expect(signatureMatches(SECRET, TIMESTAMP, `${BODY}x`, SIGNATURE_HEX)).toBe(false);
    expect(signatureMatches(SECRET, '1531420619', BODY, SIGNATURE_HEX)).toBe(false);
    expect(signatureMatches(`${SECRET}x`, TIMESTAMP, BODY, SIGNATURE_HEX)).toBe(false);
  });

  it('when the signature is short, long, empty or not hex, then it does not match (and nothing throws)', () => {
    expect(signatureMatches(SECRET, TIMESTAMP, BODY, SIGNATURE_HEX.slice(0, 62))).toBe(false);
    expect(signatureMatches(SECRET, TIMESTAMP, BODY, `${SIGNATURE_HEX}00`)).toBe(false);
    expect(signatureMatches(SECRET, TIMESTAMP, BODY, '')).toBe(false);
    expect(signatureMatches(SECRET, TIMESTAMP, BODY, `${SIGNATURE_HEX.slice(0, 62)}zz`)).toBe(false);
  });
});

interface Answer {
  readonly status: number;
  readonly text: string;
}

function send(
  port: number,
  options: {
    method?: string;
    path?: string;
    body?: string;
    headers?: Record<string, string>;
    chunked?: boolean;
  },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'POST',
        path: options.path ?? '/slack/events',
        headers: { connection: 'close', ...options.headers },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    if (options.body !== undefined && options.chunked) {
      // No content-length: the limit must be found while reading.
      for (const piece of options.body.match(/.{1,100}/gs) ?? []) req.write(piece);
    } else if (options.body !== undefined) {
      req.setHeader('content-length', Buffer.byteLength(options.body));
      req.write(options.body);
    }
    req.end();
  });
}

const signedHeaders = (signature = `v0=${SIGNATURE_HEX}`) => ({
  'content-type': 'application/x-www-form-urlencoded',
  'x-slack-request-timestamp': TIMESTAMP,
  'x-slack-signature': signature,
});

let stop: (() => Promise<void>) | null = null;
afterEach(async () => {
  await stop?.();
  stop = null;
});

/** A Bolt App on the receiver, its clock at Slack's example; records the commands it ran and the lines logged. */
async function startApp(options: { bodyLimitBytes?: number } = {}) {
  const logged: string[] = [];
  const logger = {
    debug: () => {},
    info: (...messages: unknown[]) => logged.push(messages.join(' ')),
    warn: (...messages: unknown[]) => logged.push(messages.join(' ')),
    error: (...messages: unknown[]) => logged.push(messages.join(' ')),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
  const receiver = new SlackHttpReceiver({
    signingSecret: SECRET,
    logger,
    nowMs: () => Number(TIMESTAMP) * 1000 + 30_000,
    getRoutes: { '/healthz': (_req, res) => res.end('healthy') },
    ...options,
  });
  const app = new App({ token: 'xoxb-test', botId: 'B1', botUserId: 'U1', receiver, logger });
  const commands: string[] = [];
  app.command(/.*/, async ({ command, ack }) => {
    commands.push(command.command);
    await ack({ text: `ran ${command.command}` });
  });
  const server = (await app.start(0)) as { address(): AddressInfo };
  stop = async () => {
    await app.stop();
  };
  return { port: server.address().port, commands, logged };
}

describe('SlackHttpReceiver under a Bolt App', () => {
  it("when Slack's example request arrives (within 5 minutes of its timestamp), then the command listener runs and its ack is the answer", async () => {
    const app = await startApp();

    const answer = await send(app.port, { body: BODY, headers: signedHeaders() });

    expect(answer).toEqual({ status: 200, text: JSON.stringify({ text: 'ran /webhook-collect' }) });
    expect(app.commands).toEqual(['/webhook-collect']);
  });

  it("when Slack's example carries another signature, then it gets 401, nothing runs, and the refusal is logged as Bolt logged it", async () => {
    const app = await startApp();

    const answer = await send(app.port, { body: BODY, headers: signedHeaders(`v0=${'0'.repeat(64)}`) });

    expect(answer).toEqual({ status: 401, text: '' });
    expect(app.commands).toEqual([]);
    expect(app.logged).toContain(
      'Failed to parse and verify the request data: Failed to verify authenticity: signature mismatch',
    );
  });

  it('when a body is exactly at the limit, then it is read; one byte more gets 413, with or without a content-length', async () => {
    const limit = BODY.length + 20;
    const app = await startApp({ bodyLimitBytes: limit });
    const atLimit = `${BODY}&pad=${'a'.repeat(limit - BODY.length - 5)}`;
    expect(atLimit.length).toBe(limit);

    // Signed for the example's body only, so the body at the limit is read and then refused as forged.
    const read = await send(app.port, { body: atLimit, headers: signedHeaders() });
    const declared = await send(app.port, { body: `${atLimit}a`, headers: signedHeaders() });
    const streamed = await send(app.port, { body: `${atLimit}a`, headers: signedHeaders(), chunked: true });

    expect([read.status, declared.status, streamed.status]).toEqual([401, 413, 413]);
    expect(
      app.logged.filter(
        (line) => line === `Request body exceeded the maximum allowed size (limit: ${limit} bytes)`,
      ),
    ).toHaveLength(2);
    expect(app.commands).toEqual([]);
  });

  it('when a client goes away in the middle of its body, then nothing runs, a warning is logged, and the next request is served', async () => {
    const app = await startApp();

    await new Promise<void>((resolve) => {
      const req = request({
        host: '127.0.0.1',
        port: app.port,
        method: 'POST',
        path: '/slack/events',
        headers: { ...signedHeaders(), 'content-length': String(BODY.length) },
      });
      req.on('error', () => resolve());
      req.write(BODY.slice(0, 100), () => setTimeout(() => req.destroy(), 20));
    });
    const next = await send(app.port, { body: BODY, headers: signedHeaders() });

    expect(next.status).toBe(200);
    expect(app.commands).toEqual(['/webhook-collect']); // the whole request, not the cut one
    expect(app.logged).toContain('The request was cut off before its body ended');
    expect(app.logged.filter((line) => line.startsWith('An unexpected error'))).toEqual([]);
  });

  it('when GET /healthz or an unknown path is asked, then the route answers or a 404 is logged; GET /slack/events is a 404 too', async () => {
    const app = await startApp();

    const health = await send(app.port, { method: 'GET', path: '/healthz?probe=1' });
    const unknown = await send(app.port, { method: 'GET', path: '/nowhere' });
    const getEvents = await send(app.port, { method: 'GET', path: '/slack/events' });

    expect([health, unknown.status, getEvents.status]).toEqual([{ status: 200, text: 'healthy' }, 404, 404]);
    expect(app.logged).toContain('Unhandled HTTP request (GET) made to /nowhere');
  });
});
