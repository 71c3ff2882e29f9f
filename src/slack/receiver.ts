/**
 * Bolt's HTTP receiver with the one check it leaves out. Slack's guide refuses a request whose
 * `x-slack-request-timestamp` is more than five minutes away from the local clock, either way; @slack/bolt 5.1
 * (receivers/verify-request.js) refuses only the old ones. Only a holder of the signing secret can date a
 * request ahead, but a server clock running behind would stretch the replay window of every captured request by
 * as much. A request dated ahead gets the 401 a stale one gets, before its body is read; everything else is
 * Bolt's, signature included.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPReceiver, type HTTPReceiverOptions, type Logger } from '@slack/bolt';

/** Slack's limit, the one Bolt applies to old requests. */
const MAX_SKEW_SECONDS = 5 * 60;

export class SlackHttpReceiver extends HTTPReceiver {
  constructor(options: HTTPReceiverOptions & { logger: Logger }) {
    super(options);
    const bolt = this.requestListener;
    this.requestListener = (request: IncomingMessage, response: ServerResponse) => {
      const aheadSeconds = secondsAhead(request, Date.now());
      if (aheadSeconds > MAX_SKEW_SECONDS) {
        options.logger.warn(
          `Refused a request dated ${aheadSeconds} s ahead of this server's clock (x-slack-request-timestamp may differ by at most ${MAX_SKEW_SECONDS} s)`,
        );
        request.resume(); // drain what was sent, so the connection can serve the next request
        response.writeHead(401);
        response.end();
        return;
      }
      bolt(request, response);
    };
  }
}

/** How far ahead of `nowMs` the request says it was signed; 0 when it has no readable timestamp (Bolt refuses it). */
function secondsAhead(request: IncomingMessage, nowMs: number): number {
  const header = request.headers['x-slack-request-timestamp'];
  const signedAt = typeof header === 'string' ? Number(header) : Number.NaN;
  return Number.isFinite(signedAt) ? Math.floor(signedAt - nowMs / 1000) : 0;
}
