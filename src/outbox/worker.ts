/**
 * Sends what the use cases queued in the outbox, after their commit. It wakes on every commit (and polls as a
 * fallback, for rows written by the CLI or another process), keeps each submission's messages in order,
 * collapses several pending updates of one card into one edit, and paces itself to about one message per
 * second per channel. A failed send stays in the outbox: Slack's Retry-After is honoured, other failures are
 * retried with exponential backoff, and after OUTBOX_MAX_ATTEMPTS the row is marked dead and the UMD channel
 * is told once per recipient.
 *
 * Exactly once, as far as Slack allows: a row's attempt is recorded before the call, and every message carries
 * the row's key in its metadata. When a row is tried again after an attempt whose outcome is unknown (a
 * timeout, or a process that died between Slack accepting the message and the row being marked sent), the
 * worker first looks for a message with that key in the channel's recent history and, if it is there, marks
 * the row sent instead of posting it twice. The window left is a message Slack accepted but does not show in
 * history yet.
 */
import { webApi } from '@slack/bolt';
import { type DB, onlyCommittedVisible, readCommitted, whenDurable } from '../db/index.js';
import { cardChannels, findCard, saveCard } from '../db/repositories/cards.js';
import {
  enqueue,
  listPending,
  markAttempt,
  markDead,
  markRetry,
  markSent,
  type OutboxRow,
} from '../db/repositories/outbox.js';
import type { Logger } from '../logging.js';
import { channelMention, type Mrkdwn, md, mention } from '../mrkdwn.js';
import type { Clock } from '../services/context.js';
import { type Batch, planPass } from './planner.js';

export interface RenderedMessage {
  readonly text: string;
  readonly blocks?: readonly unknown[];
}

export interface MessageRenderer {
  /** The living card of a submission, from the database as it is now. */
  card(submissionId: number): RenderedMessage;
  /** The thread reply under a card that says what changed: one line per change. */
  threadReply(lines: readonly Mrkdwn[], submissionId: number): RenderedMessage;
  /** A notice to a person or channel; null when it no longer applies (it is then marked sent, not sent). */
  notice(row: OutboxRow): RenderedMessage | null;
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
  /** Minimum real time between two messages to one channel (Slack allows about one a second). */
  readonly paceMs?: number;
  /** Only the process holding the lease sends; the others wait. Defaults to always. */
  readonly mayRun?: () => boolean;
}

interface Failure {
  readonly message: string;
  readonly retryAt: Date;
  /** A rate limit is Slack asking us to slow down, not a failure of this message. */
  readonly rateLimited: boolean;
  readonly permanent: boolean;
}

/** 15 s, 30 s, 1 min … 15 min: with the default 8 attempts a notice survives a Slack outage of about half an hour. */
const BACKOFF_BASE_MS = 15_000;
/** Commits during a pass are picked up together this much later: a burst costs a few passes, not one each. */
const COALESCE_MS = 100;
const BACKOFF_MAX_MS = 15 * 60_000;
/** Metadata event type carrying the outbox key of every message we post. */
export const NOTICE_EVENT_TYPE = 'cmd_bot_notice';

export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private stopping = false;
  private readonly maxAttempts: number;
  private readonly pollMs: number;
  private readonly paceMs: number;
  private readonly lastPostAt = new Map<string, number>();

  constructor(private readonly options: OutboxWorkerOptions) {
    this.maxAttempts = options.maxAttempts ?? 8;
    this.pollMs = options.pollMs ?? 2_000;
    this.paceMs = options.paceMs ?? 1_000;
  }

  start(): void {
    this.stopped = false;
    this.stopping = false;
    this.wake();
  }

  /**
   * Something was committed: send it now rather than at the next poll. A burst of commits is picked up by a
   * pass at most every COALESCE_MS, so busy moments cost a few passes rather than one per commit.
   */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const sinceLastPass = performance.now() - this.lastPassAt;
    if (sinceLastPass < COALESCE_MS) {
      if (this.wakeScheduled) return;
      clearTimeout(this.timer);
      this.wakeScheduled = true;
      this.timer = setTimeout(() => {
        this.wakeScheduled = false;
        this.wake();
      }, COALESCE_MS - sinceLastPass);
      this.timer.unref();
      return;
    }
    clearTimeout(this.timer);
    this.wakeScheduled = false;
    this.lastPassAt = performance.now();
    this.running = this.runPass().finally(() => {
      this.running = null;
      if (this.stopped) return;
      this.timer = setTimeout(() => this.wake(), this.again ? COALESCE_MS : this.pollMs);
      this.timer.unref();
      this.again = false;
    });
  }

  private lastPassAt = Number.NEGATIVE_INFINITY;
  private wakeScheduled = false;

  /** Stops taking new work and waits for the message being sent. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    clearTimeout(this.timer);
    clearTimeout(this.paceTimer);
    await this.running;
  }

  /** Sends everything that is due now; resolves when nothing due is left. For tests and the CLI. */
  async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const pass = this.lastPass.then(() => this.pass());
      this.lastPass = pass.catch(() => 0);
      const { settled, paceWaitMs } = await pass;
      sent += settled;
      if (settled > 0) continue;
      if (paceWaitMs === null) return sent;
      await sleep(paceWaitMs);
    }
  }

  /** One pass; commits made meanwhile set `again`, and the next pass follows COALESCE_MS later. */
  private async runPass(): Promise<void> {
    try {
      this.again = false;
      await this.runOnce();
    } catch (error) {
      this.options.logger.error({ err: error }, 'outbox worker run failed');
    }
  }

  /**
   * One pass over the pending rows; returns how many rows were settled (sent, skipped or dead). Passes never
   * overlap: a drain() while a woken pass is sending waits for it instead of sending the same rows again.
   */
  runOnce(): Promise<number> {
    const pass = this.lastPass.then(async () => (await this.pass()).settled);
    this.lastPass = pass.catch(() => 0);
    return pass;
  }

  private lastPass: Promise<unknown> = Promise.resolve();

  /**
   * Settles what is due. A row whose channel was posted to less than a pace ago is left for a later pass
   * (with its submission's later rows), so one busy channel never holds up the others; `paceWaitMs` says when
   * the earliest of those can go.
   */
  private async pass(): Promise<{ settled: number; paceWaitMs: number | null }> {
    const { db, clock } = this.options;
    if (this.options.mayRun && !this.options.mayRun()) return { settled: 0, paceWaitMs: null };
    // Only committed rows may go out: a row of a group commit that then failed must never reach Slack.
    await onlyCommittedVisible(db);
    const rows = listPending(db);
    const answeredAt = performance.now();
    const plan = planPass({
      rows,
      now: clock.now(),
      sinceLastPost: (channel) => {
        const at = this.lastPostAt.get(channel);
        return at === undefined ? undefined : answeredAt - at;
      },
      paceMs: this.paceMs,
      // In one query (a query per row cost every pass dearly), and only when pacing needs them.
      cardChannels:
        this.paceMs === 0
          ? new Map()
          : cardChannels(
              db,
              rows.filter((row) => row.recipientKind === 'card').map((row) => Number(row.recipient)),
            ),
      teamChannels: this.options.teamChannels,
    });
    const failed = new Set<number>(); // submissions whose later messages wait for a failed one
    let settled = 0;
    for (const batch of plan.sends) {
      if (this.stopping) break;
      const [row] = batch;
      if (row.submissionId !== null && failed.has(row.submissionId)) continue;
      const ids = batch.map((member) => member.id);
      // Recorded before the call: after a crash, the next try knows the outcome of this one is unknown.
      markAttempt(db, ids, clock.now());
      await whenDurable(db);
      const attempts = row.attempts + 1;
      const failure = await this.send(batch, row.attempts > 0);
      if (!failure) {
        markSent(db, ids, clock.now());
        settled += batch.length;
        continue;
      }
      if (row.submissionId !== null) failed.add(row.submissionId);
      if (failure.rateLimited) {
        markRetry(db, ids, failure.retryAt, failure.message, -1);
        this.options.logger.warn({ outbox: ids, retryAt: failure.retryAt }, 'rate limited by Slack');
        break; // a rate limit applies to every call: let Retry-After run out
      }
      if (failure.permanent || attempts >= this.maxAttempts) {
        markDead(db, ids, clock.now(), failure.message);
        settled += batch.length;
        this.options.logger.error(
          { outbox: ids, key: row.key, error: failure.message, attempts },
          'notice given up',
        );
        this.warnDead(row, failure.message, attempts);
      } else {
        markRetry(db, ids, new Date(clock.now().getTime() + backoffMs(attempts)), failure.message, 0);
        this.options.logger.warn(
          { outbox: ids, key: row.key, error: failure.message, attempts },
          'notice will be retried',
        );
      }
    }
    const paceWaitMs = this.stopping ? null : plan.paceWaitMs;
    if (paceWaitMs !== null && !this.stopped) {
      // Come back when the paced channel is ready, rather than at the next poll.
      clearTimeout(this.paceTimer);
      this.paceTimer = setTimeout(() => this.wake(), paceWaitMs);
      this.paceTimer.unref();
    }
    return { settled, paceWaitMs };
  }

  private paceTimer: NodeJS.Timeout | undefined;

  /** The UMD channel hears once per recipient that notices to it are failing. */
  private warnDead(row: OutboxRow, error: string, attempts: number): void {
    const umd = this.options.teamChannels.umd;
    // Failures of the UMD channel itself (its cards, its notices) cannot be reported there; the log has them.
    if (
      !umd ||
      row.recipientKind === 'card' ||
      (row.recipientKind === 'team_channel' && row.recipient === 'umd')
    )
      return;
    const target =
      row.recipientKind === 'user'
        ? mention(row.recipient)
        : row.recipientKind === 'channel'
          ? channelMention(row.recipient)
          : `the ${row.recipient} channel`;
    enqueue(
      this.options.db,
      [
        {
          key: `dead:${row.recipientKind}:${row.recipient}`,
          recipientKind: 'team_channel',
          recipient: 'umd',
          submissionId: null,
          payload: {
            topic: 'delivery_failed',
            text: md`cmd-bot could not deliver notices to ${target} after ${attempts} attempts (last error: ${error}). See them with \`cmd-bot outbox --dead\`; once it is fixed, re-queue with \`cmd-bot outbox --retry ID\`.`,
          },
        },
      ],
      this.options.clock.now(),
    );
  }

  private async send(batch: Batch, triedBefore: boolean): Promise<Failure | null> {
    const [first] = batch;
    try {
      // Rendered from committed data only: with group commit, another use case may have opened a new shared
      // transaction since the attempt was recorded. Both sends render before their first await.
      await readCommitted(this.options.db, () =>
        first.recipientKind === 'card'
          ? this.sendCard(Number(first.recipient), batch, triedBefore)
          : this.sendNotice(first, triedBefore),
      );
      return null;
    } catch (error) {
      return this.classify(error);
    }
  }

  private async post(args: webApi.ChatPostMessageArguments & { channel: string }, key: string) {
    // Never posted to since start-up: no wait (performance.now() counts from start-up, so 0 would mean a wait).
    const wait =
      (this.lastPostAt.get(args.channel) ?? Number.NEGATIVE_INFINITY) + this.paceMs - performance.now();
    if (wait > 0) await sleep(wait);
    try {
      return await this.options.client.chat.postMessage({
        ...args,
        metadata: { event_type: NOTICE_EVENT_TYPE, event_payload: { outbox_key: key } },
      } as webApi.ChatPostMessageArguments);
    } finally {
      // Counted from the answer: Slack sees the next message at least a pace after this one arrived.
      this.lastPostAt.set(args.channel, performance.now());
    }
  }

  /** After an attempt with an unknown outcome: the message Slack already holds for this key, if any. */
  private async alreadyPosted(
    channel: string,
    key: string,
    threadTs?: string,
  ): Promise<{ ts: string; channel: string } | null> {
    try {
      const conversation =
        channel.startsWith('U') || channel.startsWith('W')
          ? ((await this.options.client.conversations.open({ users: channel })).channel?.id ?? channel)
          : channel;
      // A thread reply is found among the replies, a message among the channel's latest 200. No `oldest`
      // bound: our clock and Slack's may disagree, and the earlier attempt was at most a backoff ago.
      const history = threadTs
        ? await this.options.client.conversations.replies({
            channel: conversation,
            ts: threadTs,
            include_all_metadata: true,
            limit: 200,
          })
        : await this.options.client.conversations.history({
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
      this.options.logger.warn({ err: error, key }, 'could not check for an earlier delivery');
      return null;
    }
  }

  private async sendCard(
    submissionId: number,
    batch: readonly OutboxRow[],
    triedBefore: boolean,
  ): Promise<void> {
    const { db, client, clock, render } = this.options;
    const card = render.card(submissionId);
    const existing = findCard(db, submissionId);
    if (!existing) {
      const channel = this.teamChannel('umd');
      const cardKey = `card:${submissionId}`;
      const earlier = triedBefore ? await this.alreadyPosted(channel, cardKey) : null;
      if (earlier) {
        saveCard(db, submissionId, earlier.channel, earlier.ts, clock.now());
        return;
      }
      const posted = await this.post(
        { channel, text: card.text, blocks: card.blocks as never, unfurl_links: false },
        cardKey,
      );
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
    const lines = batch.map((row) => row.payload.text).filter((line) => !line.isEmpty());
    const last = batch.at(-1);
    if (lines.length === 0 || !last) return;
    if (triedBefore && (await this.alreadyPosted(existing.channel, last.key, existing.ts))) return;
    await this.post(
      {
        channel: existing.channel,
        thread_ts: existing.ts,
        ...render.threadReply(lines, submissionId),
        unfurl_links: false,
      },
      last.key,
    );
  }

  private async sendNotice(row: OutboxRow, triedBefore: boolean): Promise<void> {
    const channel = row.recipientKind === 'team_channel' ? this.teamChannel(row.recipient) : row.recipient; // a user id: a DM
    const message = this.options.render.notice(row);
    if (message === null) {
      this.options.logger.info({ key: row.key }, 'notice no longer applies; not sent');
      return;
    }
    if (triedBefore && (await this.alreadyPosted(channel, row.key))) return;
    await this.post(
      {
        channel,
        text: message.text,
        ...(message.blocks ? { blocks: message.blocks as never } : {}),
        unfurl_links: false,
      },
      row.key,
    );
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

  private classify(error: unknown): Failure {
    const now = this.options.clock.now().getTime();
    if (error instanceof MissingChannelError) {
      return {
        message: `${error.message}; set it, then re-queue with cmd-bot outbox --retry`,
        retryAt: new Date(now),
        rateLimited: false,
        permanent: true,
      };
    }
    if (error instanceof webApi.WebAPIRateLimitedError) {
      return {
        message: `rate limited for ${error.retryAfter}s`,
        retryAt: new Date(now + error.retryAfter * 1000),
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
    return { message, retryAt: new Date(now), rateLimited: false, permanent: false };
  }
}

class MissingChannelError extends Error {}
