/**
 * The bot's Prometheus metrics: one registry per started bot (tests start several in one process), its metric
 * names, and the small functions the rest of the code calls to count. Every label takes a value from a fixed list
 * here, never a user, channel, ticket or submission id, so the number of series stays bounded.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, type Metric, Registry } from 'prom-client';
import { type DB, readCommitted } from '../db/index.js';
import { readProcessGauges } from '../db/repositories/gauges.js';

/** What reached the bot: Slack's four kinds, and `other` for a body that claims none of them (unreadable). */
export const REQUEST_KINDS = ['command', 'action', 'view', 'event', 'other'] as const;
export type RequestKindLabel = (typeof REQUEST_KINDS)[number];

/**
 * How a request ended: `ok` a listener took it and returned; `unreadable` its shape is not what Slack sends
 * (answered at once, nothing done); `unhandled` no listener takes it (a button from an older version, a closed
 * modal, an event cmd-bot does not use; answered at once); `error` a listener threw.
 */
export const REQUEST_OUTCOMES = ['ok', 'unreadable', 'unhandled', 'error'] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

/**
 * The Web API methods cmd-bot calls; `file_upload` is a file's bytes sent where files.getUploadURLExternal said;
 * `response_url` is a reply to a command or click; anything else is `other`.
 */
export const SLACK_METHODS = [
  'auth.test',
  'chat.postMessage',
  'chat.update',
  'conversations.history',
  'conversations.open',
  'conversations.replies',
  'files.completeUploadExternal',
  'files.getUploadURLExternal',
  'usergroups.users.list',
  'views.open',
  'views.publish',
  'views.update',
  'file_upload',
  'response_url',
  'other',
] as const;
export type SlackMethodLabel = (typeof SLACK_METHODS)[number];

/**
 * What came of one HTTP attempt (a call the client retries counts once per attempt): `ok`; `rate_limited` HTTP
 * 429; `slack_error` Slack answered `ok: false` (channel_not_found, …); `http_error` another HTTP status;
 * `no_answer` no response at all (timeout, connection refused).
 */
export const SLACK_CALL_OUTCOMES = ['ok', 'rate_limited', 'slack_error', 'http_error', 'no_answer'] as const;
export type SlackCallOutcome = (typeof SLACK_CALL_OUTCOMES)[number];

export const METRIC_NAMES = {
  outboxPending: 'cmd_bot_outbox_pending',
  outboxDead: 'cmd_bot_outbox_dead',
  outboxOldestPendingSeconds: 'cmd_bot_outbox_oldest_pending_seconds',
  tickets: 'cmd_bot_tickets',
  submissions: 'cmd_bot_submissions',
  overdueItems: 'cmd_bot_overdue_items',
  delayCheckDurationSeconds: 'cmd_bot_delay_check_duration_seconds',
  delayCheckLastSuccessTimestampSeconds: 'cmd_bot_delay_check_last_success_timestamp_seconds',
  slackApiCallsTotal: 'cmd_bot_slack_api_calls_total',
  requestsTotal: 'cmd_bot_requests_total',
} as const;

export interface MetricsSource {
  readonly db: DB;
  /** The bot's clock: the one outbox rows are stamped with. */
  readonly clock: { now(): Date };
}

export class BotMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'kind' | 'outcome'>;
  private readonly slackCalls: Counter<'method' | 'outcome'>;
  private readonly delayCheckDuration: Histogram;
  private readonly delayCheckLastSuccess: Gauge;
  private readonly outboxPending: Gauge;
  private readonly outboxDead: Gauge;
  private readonly outboxOldestPending: Gauge;
  private readonly tickets: Gauge<'status'>;
  private readonly submissions: Gauge<'status'>;
  private readonly overdueItems: Gauge;

  constructor(private readonly source: MetricsSource) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: METRIC_NAMES.requestsTotal,
      help: 'Requests from Slack, by kind (command, action, view, event, other) and outcome (ok, unreadable, unhandled, error).',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.slackCalls = new Counter({
      name: METRIC_NAMES.slackApiCallsTotal,
      help: 'HTTP attempts at Slack (Web API methods and response_url), by method and outcome (ok, rate_limited, slack_error, http_error, no_answer).',
      labelNames: ['method', 'outcome'],
      registers,
    });
    this.delayCheckDuration = new Histogram({
      name: METRIC_NAMES.delayCheckDurationSeconds,
      help: 'How long each delay check took, failed ones included.',
      registers,
    });
    this.delayCheckLastSuccess = new Gauge({
      name: METRIC_NAMES.delayCheckLastSuccessTimestampSeconds,
      help: 'When the last delay check succeeded (Unix time; 0: none since start-up).',
      registers,
    });
    const gauge = (name: string, help: string) => new Gauge({ name, help, registers });
    this.outboxPending = gauge(METRIC_NAMES.outboxPending, 'Notices waiting to be sent to Slack.');
    this.outboxDead = gauge(
      METRIC_NAMES.outboxDead,
      'Notices given up on (cmd-bot outbox --dead lists them).',
    );
    this.outboxOldestPending = gauge(
      METRIC_NAMES.outboxOldestPendingSeconds,
      'Age of the oldest notice waiting to be sent (0: none waiting).',
    );
    this.tickets = new Gauge({
      name: METRIC_NAMES.tickets,
      help: 'Tickets by status.',
      labelNames: ['status'],
      registers,
    });
    this.submissions = new Gauge({
      name: METRIC_NAMES.submissions,
      help: 'Submissions by status.',
      labelNames: ['status'],
      registers,
    });
    this.overdueItems = gauge(
      METRIC_NAMES.overdueItems,
      'Tickets past their stage limit not yet marked Delayed, plus open submissions past their injection limit.',
    );
    // Every series exists from the start, at 0, so rate() and absent() work before the first request.
    for (const kind of REQUEST_KINDS)
      for (const outcome of REQUEST_OUTCOMES) this.requests.inc({ kind, outcome }, 0);
    for (const method of SLACK_METHODS)
      for (const outcome of SLACK_CALL_OUTCOMES) this.slackCalls.inc({ method, outcome }, 0);
    for (const metric of processMetrics()) this.registry.registerMetric(metric);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  countRequest(kind: RequestKindLabel, outcome: RequestOutcome): void {
    this.requests.inc({ kind, outcome });
  }

  countSlackCall(method: SlackMethodLabel, outcome: SlackCallOutcome): void {
    this.slackCalls.inc({ method, outcome });
  }

  delayCheckRan(seconds: number, succeeded: boolean): void {
    this.delayCheckDuration.observe(seconds);
    // Wall-clock time, whatever the bot's clock says: Prometheus compares it with its own time().
    if (succeeded) this.delayCheckLastSuccess.set(Date.now() / 1000);
  }

  /**
   * The exposition text. The database gauges are read when scraped, on committed data only (after the turn's
   * group commit, never inside it), in one read transaction: a scrape takes no write lock and holds up no
   * request for longer than a few indexed counts.
   */
  async exposition(): Promise<string> {
    const { db, clock } = this.source;
    const now = clock.now();
    const gauges = await readCommitted(db, () => readProcessGauges(db, now));
    this.outboxPending.set(gauges.outbox.pending);
    this.outboxDead.set(gauges.outbox.dead);
    const oldest = gauges.outbox.oldestPendingAt;
    this.outboxOldestPending.set(oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0);
    for (const [status, count] of Object.entries(gauges.ticketsByStatus)) this.tickets.set({ status }, count);
    for (const [status, count] of Object.entries(gauges.submissionsByStatus))
      this.submissions.set({ status }, count);
    this.overdueItems.set(gauges.overdueItems);
    return this.registry.metrics();
  }
}

let processRegistry: Registry | null = null;

/**
 * prom-client's default metrics (CPU, memory, event loop lag, GC, handles) describe the process, not a bot, and
 * each collection starts an event-loop monitor and a GC observer that are never stopped: they are collected once
 * per process, and each bot's registry shows the same metric objects.
 */
function processMetrics(): Metric[] {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  const registry = processRegistry;
  return registry
    .getMetricsAsArray()
    .map(({ name }) => registry.getSingleMetric(name))
    .filter((metric) => metric !== undefined);
}
