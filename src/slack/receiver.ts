/**
 * The HTTP receiver: Slack's requests at POST /slack/events, and the bot's own routes (GET /healthz, /metrics). It does
 * what Bolt's HTTPReceiver does, in the order Slack's "verifying requests" guide gives, and then hands the event
 * to Bolt's App through Bolt's own ack (HTTPResponseAck: one ack per request, the 3 s unacknowledged-request
 * answer, processBeforeResponse), so listeners see exactly what they saw under Bolt's receiver.
 *
 * Why not Bolt's: on every request it parsed a form body twice, compared the signature with tsscmp (two more
 * HMACs and 32 random bytes, where `timingSafeEqual` is as safe), built a URL object to read the path, and
 * refused only timestamps too old, not ones too far ahead (Slack's rule is both ways). Measured under the
 * benchmark's load, that was about a fifth of a bare Bolt request. Its log lines begin as Bolt's do ("Failed to
 * parse and verify the request data: Failed to verify authenticity: …"), so that what operators grep for still
 * matches; the reason after it can be worded differently (a missing header is named as missing).
 *
 * Bodies that are not a JSON object (`payload=null`, `payload=5`, a JSON string) are refused with 400 here; Bolt
 * let them through to its App, which left them unanswered for 3 s (or, for null, threw outside any handler).
 *
 * Nothing is read before it is trusted. Bolt read a whole body, up to 4 MB, before it looked at the signature
 * headers: 150 connections that each sent nearly 4 MB without them and then stalled held 600 MB of the bot's
 * memory for as long as they stayed (issue 13; `npm run bench` measures it). Here:
 * - The headers are checked first. Missing signature headers (unless the request may be an SSL check, below), a
 *   timestamp that is not a number or more than 5 minutes from this server's clock either way (the same bound
 *   both ways, in whole seconds of the clock as Bolt counts), or a signature of an unknown version get 401
 *   before a byte of the body is read. A request refused before its body has all arrived is answered with
 *   `connection: close`, on which Node ends the connection and destroys the socket once the answer is out (it
 *   drops what comes in meanwhile: under 200 KB a connection, on loopback), where draining the rest would let a
 *   client send as much as it liked. Destroying the socket at once was tried: it saved little memory, and the
 *   reset lost the answer for a few clients in 150.
 * - Unsigned, a request can only be Slack's SSL check (`ssl_check=1&token=…`, about 50 bytes), which needs no
 *   signature under Bolt either: only a form body of at most SSL_CHECK_LIMIT_BYTES is read from it, and anything
 *   else (another content type, a longer body, a form that is no SSL check) gets 401.
 * - A body is counted as its chunks arrive: past the limit (Bolt's 4 MB) it gets 413 and its connection is cut.
 * - A signed-looking body can only be found forged once it has all arrived, so two bounds keep such bodies from
 *   holding memory or sockets. The whole request must arrive within ARRIVAL_DEADLINE_MS (Slack sends its few KB
 *   at once, and gives up on an answer after 3 s), or it gets 408 and its connection is closed: that is Node's
 *   own `requestTimeout`, which one server timer checks for every connection, so no request pays for a timer of
 *   its own. And all bodies not yet verified may hold at most UNVERIFIED_BODIES_LIMIT_BYTES at once, across
 *   connections: a request that announces more than the room left gets 503 before its body is read, and one
 *   without a content-length when a chunk would pass it; either way its connection is cut. The deadline bounds
 *   for how long memory is held, not how much (that grows with the number of connections); the cap bounds how
 *   much. Its price: while a flood fills it, Slack's own requests are refused too (Slack retries events), but the
 *   bot's memory stays where it was.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import {
  type App,
  HTTPModuleFunctions,
  HTTPResponseAck,
  type Logger,
  type Receiver,
  type ReceiverEvent,
} from '@slack/bolt';

/** Slack's limit on the age of a request, either way. */
export const MAX_SKEW_SECONDS = 5 * 60;
/** Bolt's limit, kept: Slack's own requests are far smaller. */
export const BODY_LIMIT_BYTES = HTTPModuleFunctions.defaultBodyLimit;
/**
 * The most read of an unsigned body. Slack's SSL check is about 50 bytes; the rest is room for what Bolt also
 * answers as one (an SSL check carrying other fields). 150 connections fill 600 KB with it.
 */
export const SSL_CHECK_LIMIT_BYTES = 4 * 1024;
/** How long a request, headers and body, may take to arrive. */
export const ARRIVAL_DEADLINE_MS = 10_000;
/** The bytes of all bodies being read and not yet verified, at once: four at the body limit. */
export const UNVERIFIED_BODIES_LIMIT_BYTES = 4 * BODY_LIMIT_BYTES;
const FORM = 'application/x-www-form-urlencoded';
const VERIFY_FAILED = 'Failed to parse and verify the request data: Failed to verify authenticity';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface SlackHttpReceiverOptions {
  readonly signingSecret: string;
  readonly logger: Logger;
  /** Routes besides /slack/events, by path, answered for GET and HEAD. */
  readonly getRoutes?: Readonly<Record<string, Route>>;
  /** Tests may finish each request's work before the HTTP reply; production answers first (Slack's 3 s). */
  readonly processBeforeResponse?: boolean;
  readonly bodyLimitBytes?: number;
  /** How long a request, headers and body, may take to arrive (ARRIVAL_DEADLINE_MS; tests set less). */
  readonly arrivalDeadlineMs?: number;
  /** The most bytes held at once by bodies not yet verified, all connections together (16 MiB by default). */
  readonly unverifiedBodiesLimitBytes?: number;
  /** When a request nobody acked is answered 404 (Bolt's 3001 ms; tests set less). */
  readonly unhandledRequestTimeoutMs?: number;
  /** The clock the timestamp is checked against (tests). */
  readonly nowMs?: () => number;
}

/** Why a request was refused before it reached Bolt: the status it gets and the line logged. */
class Refusal extends Error {
  constructor(
    readonly status: 400 | 401 | 408 | 413 | 503,
    message: string,
  ) {
    super(message);
  }
}

export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;
  private server: Server | undefined;
  private readonly logger: Logger;
  private readonly bodyLimit: number;
  private readonly tooLarge: () => Refusal;
  private readonly arrivalDeadlineMs: number;
  private readonly bodies: UnverifiedBodies;
  private readonly now: () => number;
  private readonly getRoutes: ReadonlyMap<string, Route>;

  constructor(private readonly options: SlackHttpReceiverOptions) {
    if (!options.signingSecret) throw new Error('SlackHttpReceiver needs the signing secret');
    this.logger = options.logger;
    this.getRoutes = new Map(Object.entries(options.getRoutes ?? {}));
    const bodyLimit = options.bodyLimitBytes ?? BODY_LIMIT_BYTES;
    this.bodyLimit = bodyLimit;
    this.tooLarge = () =>
      new Refusal(413, `Request body exceeded the maximum allowed size (limit: ${bodyLimit} bytes)`);
    this.arrivalDeadlineMs = options.arrivalDeadlineMs ?? ARRIVAL_DEADLINE_MS;
    this.bodies = new UnverifiedBodies(
      options.unverifiedBodiesLimitBytes ?? UNVERIFIED_BODIES_LIMIT_BYTES,
      this.arrivalDeadlineMs,
    );
    this.now = options.nowMs ?? Date.now;
  }

  init(app: App): void {
    this.app = app;
  }

  start(port: number): Promise<Server> {
    const deadline = this.arrivalDeadlineMs;
    const server = createServer(
      {
        // Node answers 408 and closes the connection of a request that has not all arrived by then (its headers
        // too: headersTimeout follows); its one timer looks at every connection this often.
        requestTimeout: deadline,
        connectionsCheckingInterval: Math.ceil(Math.min(1000, deadline / 4)),
      },
      (req, res) => this.route(req, res),
    );
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeIdleConnections();
    });
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    if (path === '/slack/events' && req.method === 'POST') {
      this.receive(req, res).catch((error: unknown) => this.failed(error, res));
      return;
    }
    const route = this.getRoutes.get(path);
    if (route && (req.method === 'GET' || req.method === 'HEAD')) {
      route(req, res);
      return;
    }
    this.logger.info(`Unhandled HTTP request (${req.method}) made to ${url}`);
    req.resume();
    res.writeHead(404);
    res.end();
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Record<string, unknown>;
    let raw: Buffer;
    try {
      const signature = req.headers['x-slack-signature'];
      const timestamp = req.headers['x-slack-request-timestamp'];
      if (typeof signature === 'string' && typeof timestamp === 'string') {
        this.checkSignedHeaders(req, signature, timestamp);
        raw = await this.bodies.read(req, this.bodyLimit, this.tooLarge);
        body = this.verifiedBody(req, raw.toString(), signature, timestamp);
      } else {
        const missing = typeof signature !== 'string' ? 'x-slack-signature' : 'x-slack-request-timestamp';
        const unsigned = () => new Refusal(401, `${VERIFY_FAILED}: header ${missing} is missing or repeated`);
        // Unsigned, it can only be Slack's SSL check: a small form, of which no more than that is read.
        const declared = Number(req.headers['content-length']);
        if (req.headers['content-type'] !== FORM || declared > SSL_CHECK_LIMIT_BYTES) throw unsigned();
        raw = await this.bodies.read(req, SSL_CHECK_LIMIT_BYTES, unsigned);
        if (parseQuery(raw.toString()).ssl_check !== '1') throw unsigned();
        body = { ssl_check: '1' };
      }
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      this.logger.warn(error.message);
      // A body not read to its end is not read further: Node closes the connection once this answer is out.
      if (!req.complete) res.setHeader('connection', 'close');
      res.writeHead(error.status);
      res.end();
      return;
    }

    // Slack's SSL check, and (as under Bolt) any verified body holding ssl_check=1, a JSON one too: no listener runs.
    if (body.ssl_check === '1') {
      res.writeHead(200);
      res.end();
      return;
    }
    if (body.type === 'url_verification') {
      HTTPModuleFunctions.buildUrlVerificationResponse(res, body);
      return;
    }
    const ack = new HTTPResponseAck({
      logger: this.logger,
      processBeforeResponse: this.options.processBeforeResponse ?? false,
      unhandledRequestHandler: HTTPModuleFunctions.defaultUnhandledRequestHandler,
      unhandledRequestTimeoutMillis: this.options.unhandledRequestTimeoutMs ?? 3001,
      httpRequest: Object.assign(req, { rawBody: raw }),
      httpRequestBody: body,
      httpResponse: res,
    });
    const event: ReceiverEvent = {
      body,
      ack: ack.bind(),
      retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
      retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
    };
    try {
      if (!this.app) throw new Error('the receiver was started before Bolt initialised it');
      await this.app.processEvent(event);
      if (ack.storedResponse !== undefined) HTTPModuleFunctions.buildContentResponse(res, ack.storedResponse);
    } catch (error) {
      const answered = await HTTPModuleFunctions.defaultProcessEventErrorHandler({
        error: error as Error,
        logger: this.logger,
        request: req,
        response: res,
        storedResponse: ack.storedResponse,
      });
      if (answered) ack.ack();
    }
  }

  /**
   * What a signed request's headers alone tell, before a byte of its body is read: a timestamp that is no number
   * or too far from this server's clock either way, a signature of an unknown version, a body announced too long.
   */
  private checkSignedHeaders(req: IncomingMessage, signature: string, timestamp: string): void {
    const signedAt = Number(timestamp);
    if (!Number.isFinite(signedAt)) {
      throw new Refusal(
        401,
        `${VERIFY_FAILED}: header x-slack-request-timestamp did not have the expected type (${timestamp})`,
      );
    }
    const ahead = signedAt - Math.floor(this.now() / 1000);
    if (ahead < -MAX_SKEW_SECONDS) {
      throw new Refusal(
        401,
        `${VERIFY_FAILED}: x-slack-request-timestamp must differ from system time by no more than 5 minutes or request is stale`,
      );
    }
    if (ahead > MAX_SKEW_SECONDS) {
      // Only a holder of the secret can date a request ahead, but a clock running behind would stretch the replay
      // window of every captured request by as much.
      throw new Refusal(
        401,
        `Refused a request dated ${ahead} s ahead of this server's clock (x-slack-request-timestamp may differ by at most ${MAX_SKEW_SECONDS} s)`,
      );
    }
    if (!signature.startsWith('v0=')) throw new Refusal(401, `${VERIFY_FAILED}: unknown signature version`);
    if (Number(req.headers['content-length']) > this.bodyLimit) throw this.tooLarge();
  }

  /**
   * A signed request's body as Slack's guide reads it: a form body holding exactly one `ssl_check=1` is Slack's
   * SSL check, which needs no signature and is cut down to just that (whatever else it carries is dropped, as Bolt
   * does); everything else must match its signature, then parse to an object (a form, its `payload` JSON, or a
   * JSON body).
   */
  private verifiedBody(
    req: IncomingMessage,
    raw: string,
    signature: string,
    timestamp: string,
  ): Record<string, unknown> {
    const form = req.headers['content-type'] === FORM ? parseQuery(raw) : null;
    if (form?.ssl_check === '1') return { ssl_check: '1' };
    if (!signatureMatches(this.options.signingSecret, timestamp, raw, signature.slice(3))) {
      throw new Refusal(401, `${VERIFY_FAILED}: signature mismatch`);
    }

    let body: unknown;
    try {
      body = form ? (typeof form.payload === 'string' ? JSON.parse(form.payload) : form) : JSON.parse(raw);
    } catch (error) {
      throw new Refusal(400, `Malformed request body: ${error instanceof Error ? error.message : error}`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new Refusal(400, 'Malformed request body: not a JSON object');
    }
    return body as Record<string, unknown>;
  }

  private failed(error: unknown, res: ServerResponse): void {
    this.logger.error(`An unexpected error occurred while receiving a request: ${error}`);
    if (!res.headersSent) {
      res.writeHead(500);
      res.end();
    }
  }
}

/**
 * Slack's signature: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>` under the signing secret, compared in
 * constant time (a wrong length can be told at once: it says nothing about the secret).
 */
export function signatureMatches(secret: string, timestamp: string, body: string, givenHex: string): boolean {
  const expected = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest();
  const given = Buffer.from(givenHex, 'hex');
  return given.length === expected.length && givenHex.length === 2 * expected.length
    ? timingSafeEqual(given, expected)
    : false;
}

/**
 * Reads the bodies of requests not verified yet, and keeps the receiver's one account of the memory they hold.
 * A body with a content-length has that much set aside before a byte of it is read, and gets 503 unread if it
 * does not fit; one without (chunked) is counted as its chunks arrive. Either way, each chunk is also counted
 * against its request's own limit.
 */
class UnverifiedBodies {
  private held = 0;

  constructor(
    private readonly heldLimit: number,
    private readonly arrivalDeadlineMs: number,
  ) {}

  /** The body, refused with `overLimit()` as soon as it is known to pass `limit` bytes. */
  read(req: IncomingMessage, limit: number, overLimit: () => Refusal): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      // What this body has on the account: its announced length, or what has come of it if that is more.
      let counted = Number(req.headers['content-length']) || 0;
      let settled = false;
      const settle = (refusal: Refusal | null) => {
        if (settled) return;
        settled = true;
        this.held -= counted;
        req.off('data', onData);
        if (refusal) {
          req.pause(); // nothing more of it is read: its connection is closed once it is answered
          reject(refusal);
        } else {
          resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
        }
      };
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > counted) {
          this.held += size - counted;
          counted = size;
        }
        if (size > limit) settle(overLimit());
        else if (this.held > this.heldLimit) settle(this.full());
        else chunks.push(chunk);
      };
      // A client that goes away mid-body, or that Node cut at the arrival deadline (it has answered 408), is
      // refused like a malformed request (logged, nothing run), not an error of the bot's; whichever of 'error'
      // and 'close' comes first says so, the other does nothing.
      const cutOff = () => {
        // 'close' follows every request, read to its end or not: build a refusal (an Error, with its stack) only
        // for one that is still being read.
        if (settled) return;
        const late =
          (req.socket.errored as NodeJS.ErrnoException | null)?.code === 'ERR_HTTP_REQUEST_TIMEOUT';
        settle(
          late
            ? new Refusal(
                408,
                `The request was cut off: its body did not arrive within ${this.arrivalDeadlineMs} ms`,
              )
            : new Refusal(400, 'The request was cut off before its body ended'),
        );
      };

      this.held += counted;
      if (this.held > this.heldLimit) {
        settle(this.full());
        return;
      }
      req.on('data', onData);
      req.once('end', () => settle(null));
      req.once('error', cutOff);
      req.once('close', cutOff);
    });
  }

  private full(): Refusal {
    return new Refusal(
      503,
      `Refused a request with 503: the bodies being read and not yet verified would hold more than ${this.heldLimit} bytes`,
    );
  }
}
