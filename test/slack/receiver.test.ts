/**
 * cmd-bot's HTTP receiver on its own, under a real Bolt App: Slack's published signature example end to end, the
 * body limit at its edge, its routes, and what it refuses before it reads a body (or all of one). The refusals
 * under the whole bot (forged, stale, future-dated, oversized, malformed, ssl_check) are in
 * test/faults/abuse.test.ts; its memory under many stalled bodies is a figure of `npm run bench`.
 */
import { request } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SlackHttpReceiver,
  type SlackHttpReceiverOptions,
  signatureMatches,
} from '../../src/slack/receiver.js';
import { within } from '../support/app-process.js';

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
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await stop?.();
  stop = null;
});

type AppOptions = Partial<
  Pick<
    SlackHttpReceiverOptions,
    'bodyLimitBytes' | 'arrivalDeadlineMs' | 'unverifiedBodiesLimitBytes' | 'nowMs'
  >
>;

/** A Bolt App on the receiver, its clock at Slack's example; records the commands it ran and the lines logged. */
async function startApp(options: AppOptions = {}) {
  const logged: string[] = [];
  const log = (...messages: unknown[]) => logged.push(messages.join(' '));
  const logger = {
    debug: () => {},
    info: log,
    warn: log,
    error: log,
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

interface HeldRequest {
  /** The status of the server's answer, once it comes. */
  readonly status: Promise<number>;
  /** Resolves when the server has closed the connection. */
  readonly closed: Promise<void>;
}

/**
 * A POST to /slack/events whose head and then `body` are sent, and nothing more: the request stays unfinished
 * unless `body` is all that its headers announce. Tells what the server answers meanwhile and whether it closes.
 */
function holdRequest(port: number, headers: Record<string, string>, body = ''): HeldRequest {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => {}); // the server may cut the connection while the body is on its way
  const head = Object.entries({ host: '127.0.0.1', ...headers }).map(
    ([name, value]) => `${name}: ${value}\r\n`,
  );
  socket.write(`POST /slack/events HTTP/1.1\r\n${head.join('')}\r\n${body}`);
  let received = '';
  return {
    status: new Promise((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        const status = /^HTTP\/1\.1 (\d{3}) /.exec(received)?.[1];
        if (status) resolve(Number(status));
      });
    }),
    closed: new Promise((resolve) => socket.once('close', () => resolve())),
  };
}

/** One chunk of a `transfer-encoding: chunked` body (the terminating empty chunk is never sent here). */
const chunk = (data: string) => `${Buffer.byteLength(data).toString(16)}\r\n${data}\r\n`;

/** Bounds the waits below: a request that is never answered fails its test instead of hanging it. */
const AT_ONCE_MS = 5000;

const FOUR_MB = 4 * 1024 * 1024;
const unsigned = { 'content-type': 'application/x-www-form-urlencoded' };
const signedAt = (timestamp: string) => ({ ...signedHeaders(), 'x-slack-request-timestamp': timestamp });
const refusedUnsigned =
  'Failed to parse and verify the request data: Failed to verify authenticity: header x-slack-signature is missing or repeated';

describe('SlackHttpReceiver reads nothing before it trusts the headers', () => {
  it('when a request without signature headers announces a 4 MB body, then it gets 401 before a byte of the body is sent, and the connection is closed', async () => {
    const app = await startApp();

    const held = holdRequest(app.port, { ...unsigned, 'content-length': String(FOUR_MB) });

    expect(await within(held.status, AT_ONCE_MS, 'no answer')).toBe(401);
    expect(await within(held.closed, AT_ONCE_MS, 'still open')).toBeUndefined();
    expect(app.logged).toContain(refusedUnsigned);
  });

  it('when an unsigned body is streamed past the few KB an SSL check may have, or is not a form, then it gets 401 without the rest being waited for', async () => {
    const app = await startApp();

    const streamed = holdRequest(
      app.port,
      { ...unsigned, 'transfer-encoding': 'chunked' },
      chunk(`ssl_check=1&pad=${'a'.repeat(5000)}`),
    );
    const json = holdRequest(app.port, { 'content-type': 'application/json', 'content-length': '1000' });

    expect(await within(streamed.status, AT_ONCE_MS, 'no answer')).toBe(401);
    expect(await within(json.status, AT_ONCE_MS, 'no answer')).toBe(401);
    expect(await within(Promise.all([streamed.closed, json.closed]), AT_ONCE_MS, 'still open')).toEqual([
      undefined,
      undefined,
    ]);
    expect(app.logged.filter((line) => line === refusedUnsigned)).toHaveLength(2);
  });

  it("when Slack's SSL check arrives unsigned, then it is answered 200 with nothing run; an unsigned form that is no SSL check gets 401", async () => {
    const app = await startApp();

    const sslCheck = await send(app.port, {
      body: 'ssl_check=1&token=xyzz0WbapA4vBCDEFasx0q6G',
      headers: unsigned,
    });
    const command = await send(app.port, { body: BODY, headers: unsigned });

    expect([sslCheck, command]).toEqual([
      { status: 200, text: '' },
      { status: 401, text: '' },
    ]);
    expect(app.commands).toEqual([]);
    expect(app.logged).toContain(refusedUnsigned);
  });

  it('when a request is dated 301 s ahead of or behind the server, or its timestamp is not a number, then it gets 401 before its body is sent, and the connection is closed', async () => {
    const app = await startApp({ nowMs: () => Number(TIMESTAMP) * 1000 });
    const withheld = { 'content-length': String(BODY.length) };

    const ahead = holdRequest(app.port, { ...signedAt(String(Number(TIMESTAMP) + 301)), ...withheld });
    const behind = holdRequest(app.port, { ...signedAt(String(Number(TIMESTAMP) - 301)), ...withheld });
    const notANumber = holdRequest(app.port, { ...signedAt('soon'), ...withheld });

    const answered = Promise.all([ahead.status, behind.status, notANumber.status]);
    expect(await within(answered, AT_ONCE_MS, 'not all answered')).toEqual([401, 401, 401]);
    const closed = Promise.all([ahead.closed, behind.closed, notANumber.closed]);
    expect(await within(closed, AT_ONCE_MS, 'not all closed')).toHaveLength(3);
    expect(app.logged).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Refused a request dated 301 s ahead of this server's clock/),
        'Failed to parse and verify the request data: Failed to verify authenticity: x-slack-request-timestamp must differ from system time by no more than 5 minutes or request is stale',
        'Failed to parse and verify the request data: Failed to verify authenticity: header x-slack-request-timestamp did not have the expected type (soon)',
      ]),
    );
  });

  it("when the timestamp is 301 s away from the server's clock, then it gets 401 either way; 300 s either way is served (whatever the clock's milliseconds)", async () => {
    let nowMs = 0;
    const app = await startApp({ nowMs: () => nowMs });
    const at = async (skewSeconds: number, milliseconds: number) => {
      // The request's timestamp is Slack's example: the clock moves instead.
      nowMs = (Number(TIMESTAMP) - skewSeconds) * 1000 + milliseconds;
      return (await send(app.port, { body: BODY, headers: signedHeaders() })).status;
    };

    const statuses: Record<string, number[]> = {};
    for (const skew of [301, 300, -300, -301]) statuses[skew] = [await at(skew, 0), await at(skew, 999)];

    expect(statuses).toEqual({ 301: [401, 401], 300: [200, 200], '-300': [200, 200], '-301': [401, 401] });
    expect(app.commands).toHaveLength(4);
  });
});

describe('SlackHttpReceiver bounds the bodies it reads', () => {
  it('when a streamed body passes the limit and its client then stalls, then it gets 413 at once and the connection is cut', async () => {
    const app = await startApp({ bodyLimitBytes: 1000 });

    const held = holdRequest(
      app.port,
      { ...signedHeaders(), 'transfer-encoding': 'chunked' },
      chunk('a'.repeat(1001)),
    );

    expect(await within(held.status, AT_ONCE_MS, 'no answer')).toBe(413);
    expect(await within(held.closed, AT_ONCE_MS, 'still open')).toBeUndefined();
    expect(app.logged).toContain('Request body exceeded the maximum allowed size (limit: 1000 bytes)');
  });

  it('when a body stops arriving, then it gets 408 once the arrival deadline has passed, the connection is cut, and nothing runs', async () => {
    const app = await startApp({ arrivalDeadlineMs: 300 });
    const started = performance.now();

    const held = holdRequest(
      app.port,
      { ...signedHeaders(), 'content-length': String(BODY.length) },
      BODY.slice(0, 100),
    );

    expect(await within(held.status, AT_ONCE_MS, 'no answer')).toBe(408);
    expect(await within(held.closed, AT_ONCE_MS, 'still open')).toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(app.logged).toContain('The request was cut off: its body did not arrive within 300 ms');
    expect(app.commands).toEqual([]);
    const next = await send(app.port, { body: BODY, headers: signedHeaders() });
    expect(next.status).toBe(200);
  });

  it('when bodies not yet verified hold as much as the receiver allows, then a request that needs more gets 503 and is cut, announced or streamed; once they are gone, there is room again', async () => {
    // The receiver reads its clock as it checks a request's headers, in the same step as it sets room aside for
    // its body: once the clock is read, the first request has its room.
    let clockRead = () => {};
    const firstChecked = new Promise<void>((resolve) => {
      clockRead = resolve;
    });
    const app = await startApp({
      unverifiedBodiesLimitBytes: 10_000,
      arrivalDeadlineMs: 1000,
      nowMs: () => {
        clockRead();
        return Number(TIMESTAMP) * 1000;
      },
    });
    const announcing8000 = { ...signedHeaders(), 'content-length': '8000' };
    const streamed = { ...signedHeaders(), 'transfer-encoding': 'chunked' };

    // 8000 bytes are set aside for the first; it sends 6000 and stalls.
    const first = holdRequest(app.port, announcing8000, 'a'.repeat(6000));
    await within(firstChecked, AT_ONCE_MS, 'not checked');
    const announced = holdRequest(app.port, announcing8000);
    const growing = holdRequest(app.port, streamed, chunk('a'.repeat(3000)));
    const refused = await within(Promise.all([announced.status, growing.status]), AT_ONCE_MS, 'no answer');
    const closed = await within(Promise.all([announced.closed, growing.closed]), AT_ONCE_MS, 'still open');
    // The first is cut at the deadline, and what it had set aside is free again.
    const cut = await within(first.status, AT_ONCE_MS, 'no answer');
    const padded = `${BODY}&pad=${'a'.repeat(6000)}`;
    const afterwards = await send(app.port, { body: padded, headers: signedHeaders() });

    expect(refused).toEqual([503, 503]);
    expect(closed).toHaveLength(2);
    expect(
      app.logged.filter(
        (line) =>
          line ===
          'Refused a request with 503: the bodies being read and not yet verified would hold more than 10000 bytes',
      ),
    ).toHaveLength(2);
    expect(cut).toBe(408);
    expect(afterwards.status).toBe(401); // read whole and found forged, not refused for want of room
    expect(app.logged.at(-1)).toBe(
      'Failed to parse and verify the request data: Failed to verify authenticity: signature mismatch',
    );
  });
});
