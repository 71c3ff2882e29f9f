/**
 * Sends what the use cases queued in the outbox, after their commit. It wakes on every commit (and polls as a
 * fallback, for rows written by the CLI or another process); each pass reads the pending rows, asks the
 * planner what goes now (planner.ts: order per submission, card batches, pacing) and hands each send to Slack
 * (delivery.ts). A failed send stays in the outbox: Slack's Retry-After is honoured, other failures are
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
import type { webApi } from '@slack/bolt';
import { type DB, onlyCommittedVisible, readCommitted, whenDurable } from '../db/index.js';
import { cardChannels, findCard, saveCard } from '../db/repositories/cards.js';
import {
  enqueue,
  listPending,
  markAttempt,
  markDead,
  markRetry,
  markSent,
  type NewOutboxRow,
  type OutboxRow,
} from '../db/repositories/outbox.js';
import type { Logger } from '../logging.js';
import { channelMention, type Mrkdwn, md, mention } from '../mrkdwn.js';
import type { Clock } from '../services/context.js';
import {
  classify,
  type Failure,
  MissingChannelError,
  type RenderedMessage,
  type Send,
  SlackDelivery,
} from './delivery.js';
import { type Batch, planPass } from './planner.js';

export { NOTICE_EVENT_TYPE, type RenderedMessage } from './delivery.js';

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
  /**
   * What the notices record when their rows are tried and when they are sent (src/services/notices: an
   * announcement tried, a delay notice gone out), in the same write as the worker's own bookkeeping.
   */
  readonly onAttempted?: (db: DB, rows: readonly OutboxRow[], at: Date) => void;
  readonly onSent?: (db: DB, rows: readonly OutboxRow[], at: Date) => void;
}

interface PassResult {
  /** Rows sent, found sent already, no longer applying, or given up. */
  readonly settled: number;
  /** Milliseconds until a row left for pacing may go; null when none was. */
  readonly paceWaitMs: number | null;
}

type Outcome = 'sent' | 'dead' | 'retry' | 'rate_limited';

/** 15 s, 30 s, 1 min … 15 min: with the default 8 attempts a notice survives a Slack outage of about half an hour. */
const BACKOFF_BASE_MS = 15_000;
const BACKOFF_MAX_MS = 15 * 60_000;
/** Commits during a pass are picked up together this much later: a burst costs a few passes, not one each. */
const COALESCE_MS = 100;
const NOTHING: PassResult = { settled: 0, paceWaitMs: null };

export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class OutboxWorker {
  private readonly delivery: SlackDelivery;
  private readonly maxAttempts: number;
  private readonly pollMs: number;
  private readonly paceMs: number;
  /** Every pass runs in this one chain, however it was started: two passes never send the same rows. */
  private passes: Promise<unknown> = Promise.resolve();
  /** Passes queued or running. */
  private queued = 0;
  /** Something was committed while a pass ran: pass again soon, not at the poll. */
  private again = false;
  private lastPassAt = Number.NEGATIVE_INFINITY;
  /** Before start() passes run only when asked (drain, runOnce); once started each schedules the next. */
  private state: 'idle' | 'started' | 'stopped' = 'idle';
  /** Read after awaits too (a getter, so that TypeScript does not keep a narrowing from before them). */
  private get stopped(): boolean {
    return this.state === 'stopped';
  }
  /** The one timer: the next pass, at the earliest moment anything asked for one. */
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.delivery = new SlackDelivery(options.client, options.logger);
    this.maxAttempts = options.maxAttempts ?? 8;
    this.pollMs = options.pollMs ?? 2_000;
    this.paceMs = options.paceMs ?? 1_000;
  }

  start(): void {
    this.state = 'started';
    this.wake();
  }

  /**
   * Something was committed: send it now rather than at the next poll. Passes start at most every COALESCE_MS,
   * and commits during a pass are picked up COALESCE_MS after it, so busy moments cost a few passes rather
   * than one per commit.
   */
  wake(): void {
    if (this.state !== 'started') return;
    if (this.queued > 0) {
      this.again = true;
      return;
    }
    this.passIn(this.lastPassAt + COALESCE_MS - performance.now());
  }

  /** Stops taking new work and waits for the message being sent. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.passes;
  }

  /** Sends everything that is due now; resolves when nothing due is left. For tests and the CLI. */
  async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const { settled, paceWaitMs } = await this.queuePass();
      sent += settled;
      if (settled > 0) continue;
      if (paceWaitMs === null) return sent;
      await sleep(paceWaitMs);
    }
  }

  /** One pass over the pending rows, after any pass under way; returns how many rows it settled. */
  async runOnce(): Promise<number> {
    return (await this.queuePass()).settled;
  }

  /** The next pass in `ms` (at once when ≤ 0), unless one is due sooner already. */
  private passIn(ms: number): void {
    if (ms <= 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.queuePass().catch((error) =>
        this.options.logger.error({ err: error }, 'outbox worker run failed'),
      );
      return;
    }
    const at = performance.now() + ms;
    if (this.timer !== undefined && this.timerAt <= at) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wake();
    }, ms);
    this.timer.unref();
  }

  private queuePass(): Promise<PassResult> {
    this.queued += 1;
    const pass = this.passes
      .then(() => this.pass())
      .finally(() => {
        this.queued -= 1;
      });
    this.passes = pass.catch(() => undefined);
    return pass;
  }

  private async pass(): Promise<PassResult> {
    this.again = false;
    this.lastPassAt = performance.now();
    let paceWaitMs: number | null = null;
    try {
      const result = await this.sendDue();
      paceWaitMs = result.paceWaitMs;
      return result;
    } finally {
      // Soon if something was committed meanwhile, when a paced channel is free, else at the poll.
      if (this.state === 'started')
        this.passIn(Math.min(this.again ? COALESCE_MS : this.pollMs, paceWaitMs ?? Infinity));
    }
  }

  /** Settles what is due now, as the planner orders it. */
  private async sendDue(): Promise<PassResult> {
    const { db, clock, teamChannels } = this.options;
    if (this.stopped || (this.options.mayRun && !this.options.mayRun())) return NOTHING;
    // Only committed rows may go out: a row of a group commit that then failed must never reach Slack.
    await onlyCommittedVisible(db);
    const rows = listPending(db);
    const { lastPostAt } = this.delivery;
    const at = performance.now();
    const plan = planPass({
      rows,
      now: clock.now(),
      sinceLastPost: (channel) => {
        const postedAt = lastPostAt.get(channel);
        return postedAt === undefined ? undefined : at - postedAt;
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
      teamChannels,
    });
    const failed = new Set<number>(); // submissions whose later messages wait for a failed one
    let settled = 0;
    for (const batch of plan.sends) {
      if (this.stopped) break;
      const { submissionId } = batch[0];
      if (submissionId !== null && failed.has(submissionId)) continue;
      const outcome = await this.settle(batch);
      if (outcome === 'sent' || outcome === 'dead') settled += batch.length;
      if (outcome !== 'sent' && submissionId !== null) failed.add(submissionId);
      if (outcome === 'rate_limited') break; // a rate limit applies to every call: let Retry-After run out
    }
    return { settled, paceWaitMs: this.stopped ? null : plan.paceWaitMs };
  }

  /** Sends one batch and records what came of it. */
  private async settle(batch: Batch): Promise<Outcome> {
    const { db, clock, logger } = this.options;
    const [row] = batch;
    const ids = batch.map((member) => member.id);
    // Recorded before the call: after a crash, the next try knows the outcome of this one is unknown.
    const attemptAt = clock.now();
    markAttempt(db, ids, attemptAt);
    this.options.onAttempted?.(db, batch, attemptAt);
    await whenDurable(db);
    const failure = await this.send(batch, row.attempts > 0);
    if (!failure) {
      const sentAt = clock.now();
      markSent(db, ids, sentAt);
      this.options.onSent?.(db, batch, sentAt);
      return 'sent';
    }
    if (failure.rateLimited) {
      markRetry(db, ids, failure.retryAt, failure.message, -1);
      logger.warn({ outbox: ids, retryAt: failure.retryAt }, 'rate limited by Slack');
      return 'rate_limited';
    }
    const attempts = row.attempts + 1;
    if (failure.permanent || attempts >= this.maxAttempts) {
      markDead(db, ids, clock.now(), failure.message);
      logger.error({ outbox: ids, key: row.key, error: failure.message, attempts }, 'notice given up');
      const warning = deadWarning(row, failure.message, attempts, Boolean(this.options.teamChannels.umd));
      if (warning) enqueue(db, [warning], clock.now());
      return 'dead';
    }
    markRetry(db, ids, new Date(clock.now().getTime() + backoffMs(attempts)), failure.message, 0);
    logger.warn({ outbox: ids, key: row.key, error: failure.message, attempts }, 'notice will be retried');
    return 'retry';
  }

  private async send(batch: Batch, triedBefore: boolean): Promise<Failure | null> {
    const { db, clock } = this.options;
    const [row] = batch;
    try {
      // Rendered from committed data only, in the tick that checks it: another use case may have opened a
      // new shared transaction (group commit) since the attempt was recorded, and might yet lose it.
      const send = await readCommitted(db, () => this.render(batch));
      if (send === null) {
        this.options.logger.info({ key: row.key }, 'notice no longer applies; not sent');
        return null;
      }
      const posted = await this.delivery.deliver(send, triedBefore);
      if (row.recipientKind === 'card' && send.kind === 'post') {
        if (!posted) throw new Error('Slack accepted the card but returned no message ts');
        saveCard(db, Number(row.recipient), posted.channel, posted.ts, clock.now());
      }
      return null;
    } catch (error) {
      return classify(error, clock.now());
    }
  }

  /** What to send for a batch, from the database as it is now; null: a notice that no longer applies. */
  private render(batch: Batch): Send | null {
    const { db, render } = this.options;
    const [row] = batch;
    if (row.recipientKind !== 'card') {
      const channel = row.recipientKind === 'team_channel' ? this.teamChannel(row.recipient) : row.recipient; // a user id: a DM
      const message = render.notice(row);
      return message && { kind: 'post', channel, key: row.key, message };
    }
    const submissionId = Number(row.recipient);
    const message = render.card(submissionId);
    const card = findCard(db, submissionId);
    if (!card)
      return { kind: 'post', channel: this.teamChannel('umd'), key: `card:${submissionId}`, message };
    // A refresh after a stale click carries no text: the card is edited, the thread stays quiet.
    const lines = batch.map((member) => member.payload.text).filter((line) => !line.isEmpty());
    const last = batch.at(-1) ?? row;
    return {
      kind: 'edit',
      card: { channel: card.channel, ts: card.ts },
      message,
      reply: lines.length === 0 ? null : { key: last.key, message: render.threadReply(lines, submissionId) },
    };
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
}

/**
 * The UMD channel's one warning that notices to a recipient are failing (its key makes it one per recipient);
 * null when there is nowhere to say it: failures of the UMD channel itself (its cards, its notices) are in the
 * log only.
 */
function deadWarning(row: OutboxRow, error: string, attempts: number, haveUmd: boolean): NewOutboxRow | null {
  if (
    !haveUmd ||
    row.recipientKind === 'card' ||
    (row.recipientKind === 'team_channel' && row.recipient === 'umd')
  )
    return null;
  const target =
    row.recipientKind === 'user'
      ? mention(row.recipient)
      : row.recipientKind === 'channel'
        ? channelMention(row.recipient)
        : `the ${row.recipient} channel`;
  return {
    key: `dead:${row.recipientKind}:${row.recipient}`,
    recipientKind: 'team_channel',
    recipient: 'umd',
    submissionId: null,
    payload: {
      topic: 'delivery_failed',
      text: md`cmd-bot could not deliver notices to ${target} after ${attempts} attempts (last error: ${error}). See them with \`cmd-bot outbox --dead\`; once it is fixed, re-queue with \`cmd-bot outbox --retry ID\`.`,
    },
  };
}
