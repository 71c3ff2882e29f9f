/**
 * Sends what the use cases queued in the outbox, after their commit. It wakes on every commit (and polls as a
 * fallback, for rows written by the CLI or another process), keeps each submission's messages in order, and
 * collapses several pending updates of one card into one edit. A failed send stays in the outbox and is
 * retried with backoff; Slack's Retry-After is honoured.
 */
import { webApi } from '@slack/bolt';
import type { DB } from '../db/index.js';
import { findCard, saveCard } from '../db/repositories/cards.js';
import { listPending, markDead, markRetry, markSent, type OutboxRow } from '../db/repositories/outbox.js';
import type { Logger } from '../logging.js';
import type { Clock } from '../services/context.js';

export interface RenderedMessage {
  readonly text: string;
  readonly blocks?: readonly unknown[];
}

export interface MessageRenderer {
  /** The living card of a submission, from the database as it is now. */
  card(submissionId: number): RenderedMessage;
  /** A notice to a person or channel. */
  notice(row: OutboxRow): RenderedMessage;
}

export interface OutboxWorkerOptions {
  readonly db: DB;
  readonly client: webApi.WebClient;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly render: MessageRenderer;
  /** Channel ids behind the `team_channel` recipients `umd` and `early_adopters`. */
  readonly teamChannels: Readonly<Record<string, string | undefined>>;
  readonly maxAttempts?: number;
  readonly pollMs?: number;
}

/** Why a send failed, and when to try again. */
interface Failure {
  readonly message: string;
  readonly retryAt: Date;
  /** A rate limit is Slack asking us to slow down, not a failure of this message. */
  readonly countsAsAttempt: boolean;
  readonly permanent: boolean;
}

const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 15 * 60_000;

export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts));
}

export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private stopping = false;
  private readonly maxAttempts: number;
  private readonly pollMs: number;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.maxAttempts = options.maxAttempts ?? 8;
    this.pollMs = options.pollMs ?? 2_000;
  }

  start(): void {
    this.stopped = false;
    this.stopping = false;
    this.wake();
  }

  /** Something was committed: send it now rather than at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.runUntilIdle().finally(() => {
      this.running = null;
      if (this.stopped) return;
      this.timer = setTimeout(() => this.wake(), this.again ? 0 : this.pollMs);
      this.timer.unref();
      this.again = false;
    });
  }

  /** Stops taking new work and waits for the message being sent. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Sends everything that is due now; resolves when there is nothing left to do. For tests and the CLI. */
  async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const round = await this.runOnce();
      sent += round;
      if (round === 0) return sent;
    }
  }

  private async runUntilIdle(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.runOnce();
      } while (this.again && !this.stopped);
    } catch (error) {
      this.options.logger.error({ err: error }, 'outbox worker run failed');
    }
  }

  /** One pass over the pending rows; returns how many rows were settled (sent or dead). */
  async runOnce(): Promise<number> {
    const { db, clock } = this.options;
    const pending = listPending(db);
    const blocked = new Set<number>();
    const done = new Set<number>();
    let settled = 0;
    for (const row of pending) {
      if (this.stopping) break;
      if (done.has(row.id)) continue;
      const now = clock.now();
      if (row.submissionId !== null && blocked.has(row.submissionId)) continue;
      if (row.nextAttemptAt > now) {
        // A later message of the same submission must not overtake this one.
        if (row.submissionId !== null) blocked.add(row.submissionId);
        continue;
      }
      const batch = row.recipientKind === 'card' ? this.cardBatch(row, pending, done) : [row];
      for (const member of batch) done.add(member.id);
      const failure = await this.send(batch);
      const ids = batch.map((member) => member.id);
      if (!failure) {
        markSent(db, ids, clock.now());
        settled += batch.length;
        continue;
      }
      if (row.submissionId !== null) blocked.add(row.submissionId);
      const attempts = row.attempts + (failure.countsAsAttempt ? 1 : 0);
      if (failure.permanent || attempts >= this.maxAttempts) {
        markDead(db, ids, clock.now(), failure.message);
        settled += batch.length;
        this.options.logger.error(
          { outbox: ids, key: row.key, error: failure.message, attempts },
          'notice given up',
        );
      } else {
        markRetry(db, ids, failure.retryAt, failure.message, failure.countsAsAttempt);
        this.options.logger.warn(
          { outbox: ids, key: row.key, error: failure.message, retryAt: failure.retryAt },
          'notice will be retried',
        );
        // A rate limit applies to every call: stop this pass and let Retry-After run out.
        if (!failure.countsAsAttempt) break;
      }
    }
    return settled;
  }

  /** The card rows of one submission that can go out as one edit: up to its next non-card message. */
  private cardBatch(first: OutboxRow, pending: readonly OutboxRow[], done: ReadonlySet<number>): OutboxRow[] {
    const batch: OutboxRow[] = [];
    for (const row of pending) {
      if (row.id < first.id || done.has(row.id) || row.submissionId !== first.submissionId) continue;
      if (row.recipientKind !== 'card') break;
      batch.push(row);
    }
    return batch;
  }

  private async send(batch: readonly OutboxRow[]): Promise<Failure | null> {
    const first = batch[0];
    if (!first) return null;
    try {
      if (first.recipientKind === 'card') await this.sendCard(Number(first.recipient), batch);
      else await this.sendNotice(first);
      return null;
    } catch (error) {
      return this.classify(error, first);
    }
  }

  private async sendCard(submissionId: number, batch: readonly OutboxRow[]): Promise<void> {
    const { db, client, clock, render } = this.options;
    const channel = this.teamChannel('umd');
    const card = render.card(submissionId);
    const existing = findCard(db, submissionId);
    if (!existing) {
      const posted = await client.chat.postMessage({
        channel,
        text: card.text,
        blocks: card.blocks as never,
        unfurl_links: false,
      });
      if (!posted.ts || !posted.channel)
        throw new Error('Slack accepted the card but returned no message ts');
      saveCard(db, submissionId, posted.channel, posted.ts, clock.now());
      return;
    }
    await client.chat.update({
      channel: existing.channel,
      ts: existing.ts,
      text: card.text,
      blocks: card.blocks as never,
    });
    // A refresh after a stale click carries no text: the card is edited, the thread stays quiet.
    const lines = batch.map((row) => row.payload.text).filter((line) => line !== '');
    if (lines.length === 0) return;
    await client.chat.postMessage({
      channel: existing.channel,
      thread_ts: existing.ts,
      text: lines.join('\n'),
      unfurl_links: false,
    });
  }

  private async sendNotice(row: OutboxRow): Promise<void> {
    const channel = row.recipientKind === 'team_channel' ? this.teamChannel(row.recipient) : row.recipient; // a user id posts a DM
    const message = this.options.render.notice(row);
    await this.options.client.chat.postMessage({
      channel,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks as never } : {}),
      unfurl_links: false,
    });
  }

  private teamChannel(name: string): string {
    const channel = this.options.teamChannels[name];
    if (!channel) {
      throw new MissingChannelError(
        name === 'umd'
          ? 'UMD_CHANNEL_ID is not set'
          : name === 'early_adopters'
            ? 'EARLY_ADOPTERS_CHANNEL_ID is not set'
            : `no channel for ${name}`,
      );
    }
    return channel;
  }

  private classify(error: unknown, row: OutboxRow): Failure {
    const now = this.options.clock.now().getTime();
    if (error instanceof MissingChannelError) {
      return {
        message: `${error.message}: set it and re-queue with \`cmd-bot outbox --retry ${row.id}\``,
        retryAt: new Date(now),
        countsAsAttempt: true,
        permanent: true,
      };
    }
    if (error instanceof webApi.WebAPIRateLimitedError) {
      return {
        message: `rate limited for ${error.retryAfter}s`,
        retryAt: new Date(now + error.retryAfter * 1000),
        countsAsAttempt: false,
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
    return {
      message,
      retryAt: new Date(now + backoffMs(row.attempts)),
      countsAsAttempt: true,
      permanent: false,
    };
  }
}

class MissingChannelError extends Error {}
