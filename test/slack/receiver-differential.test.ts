/**
 * cmd-bot's HTTP receiver (src/slack/receiver.ts) beside Bolt's own HTTPReceiver: two plain Bolt Apps, the same
 * signing secret and the same recording listeners, one on each receiver, fed the same requests. For each request
 * the test compares the HTTP answer (status, content-type, body), what the receiver handed the App
 * (`processEvent`), what reached the listeners (kind and body), and whether the request crashed outside any handler.
 *
 * Where cmd-bot's receiver differs on purpose, `EXPECTED_DIFFERENCES` says how and why; every other request must
 * be treated alike. So a new difference, whichever side it comes from (a change to receiver.ts, or a Bolt upgrade:
 * package.json pins Bolt to the minor this passed on), fails here until it is understood and written down.
 *
 * Plain Bolt Apps on both sides, not cmd-bot's (whose DurableAckApp checks payload shapes first): only the
 * receivers differ. Both wait 100 ms, not Bolt's 3001, before answering a request nobody acked; cmd-bot's lets a
 * body take 1 s, not 10 s, to arrive: the answers are the same, only sooner.
 */
import { createHmac } from 'node:crypto';
import { type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AnyMiddlewareArgs,
  App,
  HTTPReceiver,
  type Logger,
  LogLevel,
  type Receiver,
  type ReceiverEvent,
} from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackHttpReceiver } from '../../src/slack/receiver.js';
import {
  blockActionBody,
  eventBody,
  slashCommandBody,
  viewSubmissionBody,
} from '../support/slack-requests.js';

const SECRET = 'differential-signing-secret';
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
/** Bolt's body limit (HTTPModuleFunctions.defaultBodyLimit), which cmd-bot's receiver keeps. */
const FOUR_MB = 4 * 1024 * 1024;
/** How long a request nobody acks waits for its 404, on both sides. */
const UNACKED_MS = 100;
/** How long cmd-bot's receiver lets a request take to arrive. */
const ARRIVAL_DEADLINE_MS = 1000;
/** How long a request is given for an answer before it counts as never answered. */
const NO_ANSWER_MS = 1500;

const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

// ---------------------------------------------------------------------------------------------------------------
// The two sides
// ---------------------------------------------------------------------------------------------------------------

interface Received {
  readonly body: unknown;
  readonly retryNum: number | undefined;
  readonly retryReason: string | undefined;
}

interface Listened {
  readonly kind: string;
  readonly body: unknown;
}

/** A plain Bolt App that notes what its receiver hands it; Bolt's processEvent does the rest. */
class RecordingApp extends App {
  readonly received: Received[] = [];

  override async processEvent(event: ReceiverEvent): Promise<void> {
    // Bolt's receiver also passes `customProperties: {}` and cmd-bot's none: the App builds the same context.
    this.received.push({ body: event.body, retryNum: event.retryNum, retryReason: event.retryReason });
    return super.processEvent(event);
  }
}

const KINDS = ['command', 'action', 'view', 'shortcut', 'options', 'event'] as const;

interface Side {
  readonly app: RecordingApp;
  readonly server: Server;
  readonly port: number;
  readonly listened: Listened[];
}

const healthz = (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('healthy');
};

async function startSide(receiver: Receiver): Promise<Side> {
  const app = new RecordingApp({
    token: 'xoxb-differential',
    botId: 'B0FAKEBOT',
    botUserId: 'U0FAKEBOT',
    receiver,
    logger: silent,
    convoStore: false,
  });
  const listened: Listened[] = [];
  // One global middleware sees every request Bolt dispatches, of whatever kind: what a listener would get.
  app.use(async (args: AnyMiddlewareArgs) => {
    const kind = KINDS.find((key) => key in args) ?? 'unknown';
    listened.push({ kind, body: args.body });
    if ('command' in args && args.command.command === '/explode') throw new Error('the listener failed');
    if ('ack' in args && typeof args.ack === 'function') {
      const ack = args.ack as (response?: unknown) => Promise<void>;
      await ack('command' in args ? { text: `heard ${args.command.command}` } : undefined);
    }
  });
  const server = (await app.start(0)) as Server;
  return { app, server, port: (server.address() as AddressInfo).port, listened };
}

// ---------------------------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------------------------

type Status = number | 'no answer' | `connection cut (${string})`;

interface Answer {
  readonly status: Status;
  readonly contentType: string | null;
  readonly text: string;
}

interface RequestSpec {
  readonly method?: string;
  readonly path?: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Sent without a content-length (transfer-encoding: chunked). */
  readonly chunked?: boolean;
  /** Only the first half of the body is sent, under a content-length announcing all of it; then nothing. */
  readonly stall?: boolean;
  /** Gives up on the request (its connection is cut). */
  readonly signal?: AbortSignal;
}

/** One request, answered or not within NO_ANSWER_MS; its connection is gone when this resolves. */
function send(port: number, spec: RequestSpec): Promise<Answer> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(answer);
    };
    const headers: Record<string, string> = { connection: 'close', ...spec.headers };
    if (spec.body !== undefined && !spec.chunked)
      headers['content-length'] = String(Buffer.byteLength(spec.body));
    const req = request({
      host: '127.0.0.1',
      port,
      method: spec.method ?? 'POST',
      path: spec.path ?? '/slack/events',
      headers,
      agent: false,
      ...(spec.signal ? { signal: spec.signal } : {}),
    });
    const timer = setTimeout(
      () => finish({ status: 'no answer', contentType: null, text: '' }),
      NO_ANSWER_MS,
    );
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () =>
        finish({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? null, text }),
      );
      res.on('error', () => {});
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish({ status: `connection cut (${error.code ?? error.message})`, contentType: null, text: '' }),
    );
    if (spec.body === undefined) {
      req.end();
    } else if (spec.stall) {
      req.write(spec.body.slice(0, spec.body.length / 2));
    } else {
      req.end(spec.body);
    }
  });
}

const nowSec = () => Math.floor(Date.now() / 1000);

function signatureOf(body: string, timestamp: string, secret = SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

interface SignOptions {
  readonly contentType?: string | null;
  /** Seconds from now the request is dated. */
  readonly skew?: number;
  /** The timestamp header as sent (signed as it is); default now + skew. */
  readonly timestamp?: string;
  readonly secret?: string;
  /** Rewrites the correct signature. */
  readonly signature?: (correct: string) => string;
  readonly extra?: Record<string, string>;
}

/** Slack's headers for `body`, computed at the moment of sending. */
function signed(body: string, options: SignOptions = {}): () => Record<string, string> {
  return () => {
    const timestamp = options.timestamp ?? String(nowSec() + (options.skew ?? 0));
    const correct = signatureOf(body, timestamp, options.secret);
    const contentType = options.contentType === undefined ? FORM : options.contentType;
    const headers: Record<string, string> = {
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': options.signature ? options.signature(correct) : correct,
      ...options.extra,
    };
    if (contentType !== null) headers['content-type'] = contentType;
    return headers;
  };
}

/** No Slack headers; a content-type unless it is null. */
function unsigned(contentType: string | null = FORM): () => Record<string, string> {
  const headers: Record<string, string> = contentType === null ? {} : { 'content-type': contentType };
  return () => headers;
}

// The bodies are built once, so both sides get the very same bytes; the headers at each sending, so both are now.
const COMMAND = slashCommandBody({
  command: '/cmd-status',
  text: 'ARC 6.21.1 – déjà vu',
  user_id: 'U0CONTACT',
});
const EXPLODE = slashCommandBody({ command: '/explode', user_id: 'U0CONTACT' });
const ACTION = blockActionBody({ user_id: 'U0STAFF', action_id: 'ticket_move', value: '{"id":1}' });
const VIEW = viewSubmissionBody({
  user_id: 'U0STAFF',
  callback_id: 'submit_release',
  values: { version: { value: { type: 'plain_text_input', value: '6.21.1' } } },
});
const SHORTCUT = `payload=${encodeURIComponent(
  JSON.stringify({
    type: 'shortcut',
    callback_id: 'new_release',
    trigger_id: '1.2.3',
    user: { id: 'U0STAFF', username: 'staff', team_id: 'T0FAKETEAM' },
    team: { id: 'T0FAKETEAM', domain: 'fake-egi' },
    token: 'fake-verification-token',
    action_ts: '1700000000.000100',
  }),
)}`;
const EVENT = eventBody({ type: 'app_home_opened', user: 'U0CONTACT', channel: 'D0CONTACT', tab: 'home' });
const URL_VERIFICATION = JSON.stringify({ token: 't', challenge: 'the-challenge', type: 'url_verification' });
const SSL_CHECK = 'ssl_check=1&token=fake-verification-token';
const payload = (json: string) => `payload=${encodeURIComponent(json)}`;
/** A command padded to exactly `bytes` bytes. */
function commandOf(bytes: number): string {
  const start = `${COMMAND}&pad=`;
  return start + 'a'.repeat(bytes - Buffer.byteLength(start));
}
const AT_LIMIT = commandOf(FOUR_MB);
const OVER_LIMIT = commandOf(FOUR_MB + 1);

/** One request, its headers made at each sending; or, for a case of several requests, how to send them. */
type Case =
  | {
      readonly name: string;
      readonly request: Omit<RequestSpec, 'headers'> & { readonly headers: () => Record<string, string> };
    }
  | {
      readonly name: string;
      /** The answer to the last of its requests. */
      readonly run: (side: Side) => Promise<Answer>;
    };

/** Four requests each announcing 4 MB, stalled after their headers, and then a good command. */
async function commandBehindFourStalledBodies(side: Side): Promise<Answer> {
  const arrived: IncomingMessage[] = [];
  let allFourArrived: () => void = () => {};
  const fourArrived = new Promise<void>((resolve) => {
    allFourArrived = resolve;
  });
  const onRequest = (req: IncomingMessage) => {
    if (arrived.push(req) === 4) allFourArrived();
  };
  // Both servers take a request's headers in the handler they were created with, before this listener runs.
  side.server.on('request', onRequest);
  try {
    const giveUp = new AbortController();
    const stalled = Array.from({ length: 4 }, () =>
      send(side.port, {
        headers: signed('')(),
        body: 'a'.repeat(FOUR_MB),
        stall: true,
        signal: giveUp.signal,
      }),
    );
    await fourArrived;
    const answer = await send(side.port, { headers: signed(COMMAND)(), body: COMMAND });
    giveUp.abort();
    await Promise.all(stalled);
    // What the stalled bodies held is given back when their requests close, before the next case.
    await Promise.all(
      arrived
        .slice(0, 4)
        .map((req) => (req.closed ? null : new Promise((resolve) => req.once('close', resolve)))),
    );
    return answer;
  } finally {
    side.server.off('request', onRequest);
  }
}

const CASES = [
  // What Slack sends.
  { name: 'a signed slash command', request: { headers: signed(COMMAND), body: COMMAND } },
  { name: 'a signed block action (payload=)', request: { headers: signed(ACTION), body: ACTION } },
  { name: 'a signed view submission (payload=)', request: { headers: signed(VIEW), body: VIEW } },
  { name: 'a signed global shortcut (payload=)', request: { headers: signed(SHORTCUT), body: SHORTCUT } },
  {
    name: 'a signed event callback (JSON)',
    request: { headers: signed(EVENT, { contentType: JSON_TYPE }), body: EVENT },
  },
  {
    name: 'a signed event callback retried (x-slack-retry-num, x-slack-retry-reason)',
    request: {
      headers: signed(EVENT, {
        contentType: JSON_TYPE,
        extra: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' },
      }),
      body: EVENT,
    },
  },
  {
    name: 'a signed url_verification',
    request: { headers: signed(URL_VERIFICATION, { contentType: JSON_TYPE }), body: URL_VERIFICATION },
  },
  { name: "Slack's SSL check, unsigned", request: { headers: unsigned(), body: SSL_CHECK } },
  { name: "Slack's SSL check, signed", request: { headers: signed(SSL_CHECK), body: SSL_CHECK } },
  {
    name: 'an unsigned SSL check sent chunked',
    request: { headers: unsigned(), body: SSL_CHECK, chunked: true },
  },
  {
    name: 'an SSL check smuggling a command, with a forged signature',
    request: {
      headers: signed(SSL_CHECK, { signature: () => `v0=${'0'.repeat(64)}` }),
      body: `${SSL_CHECK}&${COMMAND}`,
    },
  },
  {
    name: 'a signed JSON body holding ssl_check "1"',
    request: {
      headers: signed('{"ssl_check":"1","type":"event_callback"}', { contentType: JSON_TYPE }),
      body: '{"ssl_check":"1","type":"event_callback"}',
    },
  },
  {
    name: 'a signed slash command sent chunked',
    request: { headers: signed(COMMAND), body: COMMAND, chunked: true },
  },
  {
    name: 'a signed slash command whose listener throws before its ack',
    request: { headers: signed(EXPLODE), body: EXPLODE },
  },

  // Signatures and timestamps.
  {
    name: 'a slash command with a forged signature',
    request: { headers: signed(COMMAND, { signature: () => `v0=${'0'.repeat(64)}` }), body: COMMAND },
  },
  {
    name: 'a slash command signed with another secret',
    request: { headers: signed(COMMAND, { secret: 'another-secret' }), body: COMMAND },
  },
  {
    name: 'a slash command whose signature is cut short',
    request: { headers: signed(COMMAND, { signature: (s) => s.slice(0, -2) }), body: COMMAND },
  },
  {
    name: 'a slash command signed v1=',
    request: { headers: signed(COMMAND, { signature: (s) => s.replace('v0=', 'v1=') }), body: COMMAND },
  },
  {
    name: 'a slash command signed in upper-case hex',
    request: {
      headers: signed(COMMAND, { signature: (s) => `v0=${s.slice(3).toUpperCase()}` }),
      body: COMMAND,
    },
  },
  {
    name: 'a slash command whose signature has "=" and more after it',
    request: { headers: signed(COMMAND, { signature: (s) => `${s}=more` }), body: COMMAND },
  },
  {
    name: 'a slash command without x-slack-signature',
    request: {
      headers: () => {
        const { 'x-slack-signature': _, ...rest } = signed(COMMAND)();
        return rest;
      },
      body: COMMAND,
    },
  },
  {
    name: 'a slash command without x-slack-request-timestamp',
    request: {
      headers: () => {
        const { 'x-slack-request-timestamp': _, ...rest } = signed(COMMAND)();
        return rest;
      },
      body: COMMAND,
    },
  },
  { name: 'a slash command without either header', request: { headers: unsigned(), body: COMMAND } },
  {
    name: 'an event callback without either header',
    request: { headers: unsigned(JSON_TYPE), body: EVENT },
  },
  {
    name: 'a slash command dated 301 s ago',
    request: { headers: signed(COMMAND, { skew: -301 }), body: COMMAND },
  },
  {
    name: 'a slash command dated 290 s ago',
    request: { headers: signed(COMMAND, { skew: -290 }), body: COMMAND },
  },
  {
    name: 'a slash command dated 290 s ahead',
    request: { headers: signed(COMMAND, { skew: 290 }), body: COMMAND },
  },
  // 310 s, not 301: Bolt's clock cannot be set, and a second may pass between signing and checking. The edge
  // itself (301 s refused, 300 s served, either way) is in test/slack/receiver.test.ts, on a set clock.
  {
    name: 'a slash command dated 310 s ahead',
    request: { headers: signed(COMMAND, { skew: 310 }), body: COMMAND },
  },
  {
    name: 'a slash command dated "Infinity"',
    request: { headers: signed(COMMAND, { timestamp: 'Infinity' }), body: COMMAND },
  },
  {
    name: 'a slash command whose timestamp is no number',
    request: { headers: signed(COMMAND, { timestamp: 'soon' }), body: COMMAND },
  },
  {
    name: 'a slash command whose timestamp has a leading zero, signed as sent',
    request: { headers: () => signed(COMMAND, { timestamp: `0${nowSec()}` })(), body: COMMAND },
  },

  // Bodies.
  {
    name: 'a signed body that is not JSON (application/json)',
    request: { headers: signed('not json', { contentType: JSON_TYPE }), body: 'not json' },
  },
  {
    name: 'a signed form whose payload is not JSON',
    request: { headers: signed(payload('{not json')), body: payload('{not json') },
  },
  {
    name: 'a signed form whose payload is null',
    request: { headers: signed(payload('null')), body: payload('null') },
  },
  {
    name: 'a signed form whose payload is 5',
    request: { headers: signed(payload('5')), body: payload('5') },
  },
  {
    name: 'a signed form whose payload is a JSON string',
    request: { headers: signed(payload('"x"')), body: payload('"x"') },
  },
  {
    name: 'a signed JSON array',
    request: { headers: signed('[]', { contentType: JSON_TYPE }), body: '[]' },
  },
  {
    name: 'a signed JSON object of no kind Bolt knows',
    request: {
      headers: signed('{"type":"nothing_known"}', { contentType: JSON_TYPE }),
      body: '{"type":"nothing_known"}',
    },
  },
  { name: 'a signed empty form', request: { headers: signed(''), body: '' } },
  {
    name: 'a signed empty JSON body',
    request: { headers: signed('', { contentType: JSON_TYPE }), body: '' },
  },
  {
    name: 'a signed form with two payloads',
    request: { headers: signed(`${ACTION}&${ACTION}`), body: `${ACTION}&${ACTION}` },
  },
  {
    name: 'a signed slash command sent as application/x-www-form-urlencoded; charset=utf-8',
    request: { headers: signed(COMMAND, { contentType: `${FORM}; charset=utf-8` }), body: COMMAND },
  },
  {
    name: 'a signed event callback sent as application/json; charset=utf-8',
    request: { headers: signed(EVENT, { contentType: `${JSON_TYPE}; charset=utf-8` }), body: EVENT },
  },
  {
    name: 'a signed event callback without a content-type',
    request: { headers: signed(EVENT, { contentType: null }), body: EVENT },
  },
  {
    name: 'a signed slash command sent as text/plain',
    request: { headers: signed(COMMAND, { contentType: 'text/plain' }), body: COMMAND },
  },
  {
    name: 'an unsigned SSL check sent as application/x-www-form-urlencoded; charset=utf-8',
    request: { headers: unsigned(`${FORM}; charset=utf-8`), body: SSL_CHECK },
  },
  {
    name: 'an unsigned JSON body holding ssl_check "1"',
    request: { headers: unsigned(JSON_TYPE), body: '{"ssl_check":"1"}' },
  },

  // Sizes and stalls.
  {
    name: 'a signed slash command of exactly 4 MB',
    request: { headers: signed(AT_LIMIT), body: AT_LIMIT },
  },
  {
    name: 'a signed slash command one byte over 4 MB',
    request: { headers: signed(OVER_LIMIT), body: OVER_LIMIT },
  },
  {
    name: 'a signed slash command one byte over 4 MB, sent chunked',
    request: { headers: signed(OVER_LIMIT), body: OVER_LIMIT, chunked: true },
  },
  {
    name: 'an unsigned form one byte over 4 MB',
    request: { headers: unsigned(), body: OVER_LIMIT },
  },
  {
    name: 'an unsigned SSL check padded to 5000 bytes',
    request: { headers: unsigned(), body: `${SSL_CHECK}&pad=${'a'.repeat(5000 - SSL_CHECK.length - 5)}` },
  },
  {
    name: 'a signed slash command whose body stops half-way',
    request: { headers: signed(COMMAND), body: COMMAND, stall: true },
  },
  {
    name: 'a signed slash command while four stalled bodies announce 4 MB each',
    run: commandBehindFourStalledBodies,
  },

  // Routes.
  {
    name: 'a signed slash command to /slack/events?from=test',
    request: { path: '/slack/events?from=test', headers: signed(COMMAND), body: COMMAND },
  },
  {
    name: 'a signed slash command to /slack/events/',
    request: { path: '/slack/events/', headers: signed(COMMAND), body: COMMAND },
  },
  {
    name: 'a signed slash command to /elsewhere',
    request: { path: '/elsewhere', headers: signed(COMMAND), body: COMMAND },
  },
  {
    name: 'a signed slash command to http://example.org/slack/events (a request line in absolute form)',
    request: { path: 'http://example.org/slack/events', headers: signed(COMMAND), body: COMMAND },
  },
  {
    name: 'a signed slash command to /slack/events#fragment',
    request: { path: '/slack/events#fragment', headers: signed(COMMAND), body: COMMAND },
  },
  { name: 'GET /slack/events', request: { method: 'GET', headers: unsigned(null) } },
  { name: 'GET /healthz', request: { method: 'GET', path: '/healthz', headers: unsigned(null) } },
  {
    name: 'GET /healthz?probe=1',
    request: { method: 'GET', path: '/healthz?probe=1', headers: unsigned(null) },
  },
  { name: 'HEAD /healthz', request: { method: 'HEAD', path: '/healthz', headers: unsigned(null) } },
  { name: 'POST /healthz', request: { path: '/healthz', headers: unsigned(), body: SSL_CHECK } },
  { name: 'GET /nowhere', request: { method: 'GET', path: '/nowhere', headers: unsigned(null) } },
] as const satisfies readonly Case[];

type CaseName = (typeof CASES)[number]['name'];

// ---------------------------------------------------------------------------------------------------------------
// What differs, on purpose
// ---------------------------------------------------------------------------------------------------------------

/** What a side did with a request, in short: its status, the kinds that reached the listeners, a crash. */
interface Summary {
  readonly status: Status;
  readonly reached: readonly string[];
  readonly crash?: string;
}

interface Difference {
  readonly cmdBot: Summary;
  readonly bolt: Summary;
  /** Why cmd-bot's receiver does otherwise, and where that is written down. */
  readonly why: string;
}

const NOT_AN_OBJECT =
  'cmd-bot refuses a body that is not a JSON object with 400 at once; Bolt hands it to its App, which finds no ' +
  'kind in it and leaves it unanswered until the unacked-request 404 (receiver.ts header, src/slack/README.md)';

const EXPECTED_DIFFERENCES: Partial<Record<CaseName, Difference>> = {
  'a slash command dated 310 s ahead': {
    cmdBot: { status: 401, reached: [] },
    bolt: { status: 200, reached: ['command'] },
    why:
      'Slack\'s rule bounds the timestamp both ways; Bolt 5.1 refuses only the past (receiver.ts header: "refused ' +
      'only timestamps too old, not ones too far ahead"; src/slack/README.md: "more than five minutes from the ' +
      'server\'s clock either way")',
  },
  'a slash command dated "Infinity"': {
    cmdBot: { status: 401, reached: [] },
    bolt: { status: 200, reached: ['command'] },
    why:
      'the same rule at its far end: Bolt reads "Infinity" as a number that is not too old, so a request signed ' +
      'with it never goes stale; cmd-bot wants a finite number within 5 minutes either way (receiver.ts header)',
  },
  'a signed form whose payload is null': {
    cmdBot: { status: 400, reached: [] },
    bolt: {
      status: 'no answer',
      reached: [],
      crash: "TypeError: Cannot read properties of null (reading 'ssl_check')",
    },
    why:
      'a body that is not a JSON object gets 400; under Bolt, null "threw outside any handler" (receiver.ts ' +
      'header): an unhandled rejection, and the request is never answered',
  },
  'a signed form whose payload is 5': {
    cmdBot: { status: 400, reached: [] },
    bolt: { status: 404, reached: [] },
    why: NOT_AN_OBJECT,
  },
  'a signed form whose payload is a JSON string': {
    cmdBot: { status: 400, reached: [] },
    bolt: { status: 404, reached: [] },
    why: NOT_AN_OBJECT,
  },
  'a signed JSON array': {
    cmdBot: { status: 400, reached: [] },
    bolt: { status: 404, reached: [] },
    why: NOT_AN_OBJECT,
  },
  'an unsigned form one byte over 4 MB': {
    cmdBot: { status: 401, reached: [] },
    bolt: { status: 413, reached: [] },
    why:
      'cmd-bot reads nothing of an unsigned body but an SSL check of at most 4 KiB, and refuses the rest with 401 ' +
      'before reading; Bolt reads up to 4 MB before it looks at the headers (receiver.ts header, issue 13)',
  },
  'an unsigned SSL check padded to 5000 bytes': {
    cmdBot: { status: 401, reached: [] },
    bolt: { status: 200, reached: [] },
    why:
      "an unsigned body is read only if it is a form of at most SSL_CHECK_LIMIT_BYTES (4 KiB); Slack's own SSL " +
      'check is about 50 bytes (receiver.ts header)',
  },
  'a signed slash command whose body stops half-way': {
    cmdBot: { status: 408, reached: [] },
    bolt: { status: 'no answer', reached: [] },
    why:
      'a request must arrive within the arrival deadline (10 s; 1 s here) or gets 408 and its connection is closed; ' +
      'Bolt waits for as long as Node lets the connection stay (receiver.ts header, src/slack/README.md)',
  },
  'a signed slash command while four stalled bodies announce 4 MB each': {
    cmdBot: { status: 503, reached: [] },
    bolt: { status: 200, reached: ['command'] },
    why:
      "bodies not yet verified may hold at most 16 MiB at once; while a flood fills it, Slack's own requests are " +
      'refused too (receiver.ts header: "Its price"; src/slack/README.md)',
  },
  'a slash command signed in upper-case hex': {
    cmdBot: { status: 200, reached: ['command'] },
    bolt: { status: 401, reached: [] },
    why:
      'found by this test (src/slack/README.md): cmd-bot compares the signature as bytes (hex read ' +
      'either case), Bolt as a lower-case string. Only a holder of the secret can make either; Slack sends lower case',
  },
  'a slash command whose signature has "=" and more after it': {
    cmdBot: { status: 401, reached: [] },
    bolt: { status: 200, reached: ['command'] },
    why:
      'found by this test (src/slack/README.md): Bolt splits the header on "=" and ignores what follows ' +
      'the second, cmd-bot takes everything after "v0=" as the signature. Slack never sends more',
  },
  'a slash command whose timestamp has a leading zero, signed as sent': {
    cmdBot: { status: 200, reached: ['command'] },
    bolt: { status: 401, reached: [] },
    why:
      'found by this test (src/slack/README.md): cmd-bot checks the signature over the header as sent ' +
      "(Slack's guide), Bolt over the number it read from it. Slack sends whole seconds without a leading zero",
  },
  'a signed slash command to http://example.org/slack/events (a request line in absolute form)': {
    cmdBot: { status: 404, reached: [] },
    bolt: { status: 200, reached: ['command'] },
    why:
      'found by this test (src/slack/README.md): Bolt reads the path with a URL object, which takes ' +
      'the path out of an absolute request line (as proxies send); cmd-bot takes the request line as the path. ' +
      'Slack sends the path alone',
  },
  'a signed slash command to /slack/events#fragment': {
    cmdBot: { status: 404, reached: [] },
    bolt: { status: 200, reached: ['command'] },
    why:
      'found by this test (src/slack/README.md): Bolt reads the path with a URL object, which drops a ' +
      '"#…" the request line carries; cmd-bot cuts only at "?". Clients never send a fragment',
  },
};

// ---------------------------------------------------------------------------------------------------------------
// The comparison
// ---------------------------------------------------------------------------------------------------------------

interface Outcome extends Answer {
  readonly received: readonly Received[];
  readonly listened: readonly Listened[];
  /** Errors that escaped every handler (unhandled rejections) while the request was served. */
  readonly crashes: readonly string[];
}

let cmdBot: Side;
let bolt: Side;
const crashes: string[] = [];
// With a listener of its own here, vitest leaves unhandled rejections to this file: each is part of an outcome.
const onUnhandledRejection = (reason: unknown) => crashes.push(String(reason));

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandledRejection);
  cmdBot = await startSide(
    new SlackHttpReceiver({
      signingSecret: SECRET,
      logger: silent,
      getRoutes: { '/healthz': healthz },
      processBeforeResponse: true,
      unhandledRequestTimeoutMs: UNACKED_MS,
      arrivalDeadlineMs: ARRIVAL_DEADLINE_MS,
    }),
  );
  bolt = await startSide(
    new HTTPReceiver({
      signingSecret: SECRET,
      logger: silent,
      customRoutes: [{ path: '/healthz', method: ['GET', 'HEAD'], handler: healthz }],
      processBeforeResponse: true,
      unhandledRequestTimeoutMillis: UNACKED_MS,
    }),
  );
});

const noLateCrash = () => expect(crashes, 'a crash after its request was over').toEqual([]);
beforeEach(noLateCrash);

afterAll(async () => {
  await Promise.all([cmdBot?.app.stop(), bolt?.app.stop()]);
  process.off('unhandledRejection', onUnhandledRejection);
  noLateCrash();
});

/** One side's outcome of a case; the sides are asked one after the other, so a crash is told to its side. */
async function outcomeOf(side: Side, testCase: Case): Promise<Outcome> {
  side.app.received.length = 0;
  side.listened.length = 0;
  crashes.length = 0;
  const answer =
    'run' in testCase
      ? await testCase.run(side)
      : await send(side.port, { ...testCase.request, headers: testCase.request.headers() });
  // An unhandled rejection is reported once the tick that made it is over.
  await new Promise((resolve) => setImmediate(resolve));
  return {
    ...answer,
    received: [...side.app.received],
    listened: [...side.listened],
    crashes: crashes.splice(0).map((reason) => reason.split('\n')[0] ?? reason),
  };
}

function summary(outcome: Outcome): Summary {
  const [crash] = outcome.crashes;
  return {
    status: outcome.status,
    reached: outcome.listened.map((listened) => listened.kind),
    ...(crash ? { crash } : {}),
  };
}

const alike = CASES.filter((testCase) => !(testCase.name in EXPECTED_DIFFERENCES));
const different = CASES.filter((testCase) => testCase.name in EXPECTED_DIFFERENCES);

describe("requests cmd-bot's receiver and Bolt's HTTPReceiver treat alike", () => {
  it.each(alike.map((testCase) => [testCase.name, testCase] as const))(
    'when %s arrives, then both answer it alike and pass the same on to the listeners',
    async (_name, testCase) => {
      const ours = await outcomeOf(cmdBot, testCase);
      const boltOutcome = await outcomeOf(bolt, testCase);

      expect(ours).toEqual(boltOutcome);
    },
  );
});

describe("requests cmd-bot's receiver treats otherwise, each for a stated reason", () => {
  it.each(different.map((testCase) => [testCase.name, testCase] as const))(
    'when %s arrives, then each side does what EXPECTED_DIFFERENCES says',
    async (name, testCase) => {
      const expected = EXPECTED_DIFFERENCES[name] as Difference;

      const ours = await outcomeOf(cmdBot, testCase);
      const boltOutcome = await outcomeOf(bolt, testCase);

      expect({ cmdBot: summary(ours), bolt: summary(boltOutcome) }).toEqual({
        cmdBot: expected.cmdBot,
        bolt: expected.bolt,
      });
      // Where both pass a request on, they pass on the same.
      if (ours.listened.length > 0 && boltOutcome.listened.length > 0) {
        expect(ours.listened).toEqual(boltOutcome.listened);
      }
    },
  );

  it('when the table of differences is read, then each names a request sent here and gives its reason', () => {
    const names = new Set<string>(CASES.map((testCase) => testCase.name));
    for (const [name, difference] of Object.entries(EXPECTED_DIFFERENCES)) {
      expect(names.has(name), name).toBe(true);
      expect(difference?.why, name).not.toBe('');
    }
  });
});
