/**
 * Slack's side of sending the outbox: posting (every message carries its outbox key in its metadata), editing
 * a card, finding a message an earlier attempt may have delivered, and telling what a failure means. It knows
 * nothing of the database: the worker renders what to send and records what came of it.
 */
import { webApi } from '@slack/bolt';
import type { Logger } from '../logging.js';

export interface RenderedMessage {
  readonly text: string;
  readonly blocks?: readonly unknown[];
}

/** Where a message is in Slack. */
export interface Posted {
  readonly channel: string;
  readonly ts: string;
}

/** One send, rendered: a message to post (a notice, or a card's first post), or the edit of a posted card. */
export type Send =
  | {
      readonly kind: 'post';
      readonly channel: string;
      readonly key: string;
      readonly message: RenderedMessage;
    }
  | {
      readonly kind: 'edit';
      readonly card: Posted;
      readonly message: RenderedMessage;
      /** The thread reply saying what changed, under the key of the batch's last row; null: nothing to say. */
      readonly reply: { readonly key: string; readonly message: RenderedMessage } | null;
    };

export interface Failure {
  readonly message: string;
  readonly retryAt: Date;
  /** A rate limit is Slack asking us to slow down, not a failure of this message. */
  readonly rateLimited: boolean;
  readonly permanent: boolean;
}

/** Metadata event type carrying the outbox key of every message we post. */
export const NOTICE_EVENT_TYPE = 'cmd_bot_notice';

/** A team channel the configuration does not name: no retry helps until someone sets it. */
export class MissingChannelError extends Error {}

export class SlackDelivery {
  private readonly answeredAt = new Map<string, number>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
  ) {}

  /**
   * When each channel last answered a post (performance.now()). Pacing counts from the answer: Slack sees the
   * next message at least a pace after this one arrived.
   */
  get lastPostAt(): ReadonlyMap<string, number> {
    return this.answeredAt;
  }

  /**
   * Carries out one send. After an attempt whose outcome is unknown (`triedBefore`), a message Slack already
   * holds under the same key stands for the post. Returns where the posted (or found) message is; null for an
   * edit, or when Slack did not say.
   */
  async deliver(send: Send, triedBefore: boolean): Promise<Posted | null> {
    if (send.kind === 'post') {
      const earlier = triedBefore ? await this.alreadyPosted(send.channel, send.key) : null;
      return earlier ?? (await this.post(send.channel, send.message, send.key));
    }
    const { card, message, reply } = send;
    await this.client.chat.update({
      channel: card.channel,
      ts: card.ts,
      text: message.text,
      blocks: message.blocks as never,
    });
    if (!reply) return null;
    if (triedBefore && (await this.alreadyPosted(card.channel, reply.key, card.ts))) return null;
    await this.post(card.channel, reply.message, reply.key, card.ts);
    return null;
  }

  private async post(
    channel: string,
    message: RenderedMessage,
    key: string,
    threadTs?: string,
  ): Promise<Posted | null> {
    try {
      const posted = await this.client.chat.postMessage({
        channel,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        text: message.text,
        ...(message.blocks ? { blocks: message.blocks as never } : {}),
        unfurl_links: false,
        metadata: { event_type: NOTICE_EVENT_TYPE, event_payload: { outbox_key: key } },
      } as webApi.ChatPostMessageArguments);
      return posted.ts && posted.channel ? { channel: posted.channel, ts: posted.ts } : null;
    } finally {
      this.answeredAt.set(channel, performance.now());
    }
  }

  /** After an attempt with an unknown outcome: the message Slack already holds for this key, if any. */
  private async alreadyPosted(channel: string, key: string, threadTs?: string): Promise<Posted | null> {
    try {
      const conversation =
        channel.startsWith('U') || channel.startsWith('W')
          ? ((await this.client.conversations.open({ users: channel })).channel?.id ?? channel)
          : channel;
      // A thread reply is found among the replies, a message among the channel's latest 200. No `oldest`
      // bound: our clock and Slack's may disagree, and the earlier attempt was at most a backoff ago.
      const history = threadTs
        ? await this.client.conversations.replies({
            channel: conversation,
            ts: threadTs,
            include_all_metadata: true,
            limit: 200,
          })
        : await this.client.conversations.history({
            channel: conversation,
            include_all_metadata: true,
            limit: 200,
          });
      const found = (history.messages ?? []).find(
        (message) =>
          (message.metadata?.event_payload as { outbox_key?: unknown } | undefined)?.outbox_key === key,
      );
      return found?.ts ? { ts: found.ts, channel: conversation } : null;
    } catch (error) {
      // Without history we cannot tell: sending again risks a duplicate, not sending risks a loss. Send.
      this.logger.warn({ err: error, key }, 'could not check for an earlier delivery');
      return null;
    }
  }
}

/** What a failed send means: when to try again, and whether trying again can help at all. */
export function classify(error: unknown, now: Date): Failure {
  const at = now.getTime();
  if (error instanceof MissingChannelError) {
    return {
      message: `${error.message}; set it, then re-queue with cmd-bot outbox --retry`,
      retryAt: new Date(at),
      rateLimited: false,
      permanent: true,
    };
  }
  if (error instanceof webApi.WebAPIRateLimitedError) {
    return {
      message: `rate limited for ${error.retryAfter}s`,
      retryAt: new Date(at + error.retryAfter * 1000),
      rateLimited: true,
      permanent: false,
    };
  }
  const message =
    error instanceof webApi.WebAPIPlatformError
      ? `Slack said ${error.data.error}`
      : error instanceof webApi.WebAPIHTTPError
        ? `HTTP ${error.statusCode}`
        : error instanceof Error
          ? error.message
          : String(error);
  return { message, retryAt: new Date(at), rateLimited: false, permanent: false };
}
