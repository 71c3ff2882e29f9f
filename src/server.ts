/**
 * Starts cmd-bot: configuration → database (migrated) → use cases → staff directory → outbox worker → Bolt.
 * `stop()` undoes it in the reverse order: stop taking requests, let the ones in flight and the message being
 * sent finish, then close the database.
 */

import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { webApi } from '@slack/bolt';
import type { AppConfig } from './config/app.js';
import { startCheckpointer } from './db/checkpointer.js';
import { enableGroupCommit, openDatabase, probeWritable, whenDurable } from './db/index.js';
import { outboxCounts } from './db/repositories/outbox.js';
import { boltLogger, createLogger, type Logger } from './logging.js';
import { BotMetrics } from './metrics/index.js';
import { countingFetch } from './metrics/slack-calls.js';
import { OutboxWorker } from './outbox/worker.js';
import { Scheduler } from './scheduler/index.js';
import { type Clock, createServiceContext, type ServiceContext } from './services/index.js';
import { noticesAttempted, noticesSent } from './services/notices/index.js';
import { createSlackApp } from './slack/app.js';
import { type HealthCheck, type HealthServer, ownRoutes, startHealthServer } from './slack/health.js';
import { createRenderer } from './slack/render.js';
import { createStaffDirectory, type StaffDirectory } from './slack/staff.js';

export interface RunningBot {
  /** The HTTP port it listens on: Slack requests, /healthz and /metrics, or in Socket Mode the last two only. */
  readonly port: number;
  readonly ctx: ServiceContext;
  readonly worker: OutboxWorker;
  readonly scheduler: Scheduler;
  readonly staff: StaffDirectory;
  readonly logger: Logger;
  /** What GET /metrics serves (counted whether or not METRICS lets it be served). */
  readonly metrics: BotMetrics;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly clock?: Clock;
  readonly processBeforeResponse?: boolean;
  readonly logDestination?: NodeJS.WritableStream;
  readonly outboxPollMs?: number;
  /** Real time between two messages to one channel; tests set 0. */
  readonly outboxPaceMs?: number;
}

export async function startCmdBot(config: AppConfig, options: StartOptions = {}): Promise<RunningBot> {
  const logger = createLogger(config.LOG_LEVEL, options.logDestination);
  const bolt = boltLogger(logger);
  const database = openDatabase(config.DATABASE_PATH);
  // Requests arriving together share one commit; acks and Slack calls wait for it (src/db/group-commit.ts).
  enableGroupCommit(database.db);
  // Copying the WAL into the file (and its fsyncs) happens on a thread of its own (src/db/checkpointer.ts).
  const checkpoints = startCheckpointer(database, {
    onError: (error) => logger.warn({ err: error }, 'WAL checkpoint'),
  });
  const ctx = createServiceContext({
    db: database.db,
    config,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const metrics = new BotMetrics({ db: database.db, clock: ctx.clock });

  // Background calls (notices, the staff group) never retry inside the client: the outbox is the durable retry,
  // and a rate limit is reported to it rather than stalling every other call.
  const backgroundClient = new webApi.WebClient(config.SLACK_BOT_TOKEN, {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    timeout: config.SLACK_API_TIMEOUT_MS,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: bolt,
    fetch: countingFetch(metrics, config.SLACK_API_URL),
  });
  const staff = createStaffDirectory({
    userIds: config.UMD_STAFF_USER_IDS,
    usergroupId: config.UMD_STAFF_USERGROUP_ID,
    client: backgroundClient,
    logger,
  });
  if (!staff.configured) {
    logger.warn(
      'NO UMD STAFF CONFIGURED: nobody can inject or move releases. Set UMD_STAFF_USER_IDS and/or UMD_STAFF_USERGROUP_ID.',
    );
  }
  if (!config.UMD_CHANNEL_ID)
    logger.warn('UMD_CHANNEL_ID is not set: submission cards and team notices cannot be posted.');
  if (!config.EARLY_ADOPTERS_CHANNEL_ID)
    logger.warn('EARLY_ADOPTERS_CHANNEL_ID is not set: staged-rollout announcements cannot be posted.');

  const worker = new OutboxWorker({
    db: database.db,
    client: backgroundClient,
    logger: logger.child({ component: 'outbox' }),
    clock: ctx.clock,
    render: createRenderer(ctx),
    teamChannels: { umd: config.UMD_CHANNEL_ID, early_adopters: config.EARLY_ADOPTERS_CHANNEL_ID },
    ...(options.outboxPollMs ? { pollMs: options.outboxPollMs } : {}),
    ...(options.outboxPaceMs !== undefined ? { paceMs: options.outboxPaceMs } : {}),
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    mayRun: () => scheduler.holdsLease(),
    onAttempted: noticesAttempted,
    onSent: noticesSent,
  });
  const scheduler = new Scheduler({
    ctx,
    db: database.db,
    logger: logger.child({ component: 'scheduler' }),
    cron: config.CHECK_SCHEDULE,
    afterCheck: () => worker.wake(),
    checkRan: (seconds, succeeded) => metrics.delayCheckRan(seconds, succeeded),
  });

  const health: HealthCheck = async () => {
    try {
      // A write that is rolled back: "ok" means submissions can be stored now, not only that the file reads.
      await probeWritable(database);
      const outbox = outboxCounts(database.db);
      return { healthy: true, body: { ok: true, database: 'ok', outbox } };
    } catch (error) {
      return {
        healthy: false,
        body: { ok: false, database: error instanceof Error ? error.message : String(error) },
      };
    }
  };

  const routes = ownRoutes(health, config.METRICS ? metrics : null);
  const identity = await identifyBot(backgroundClient, logger);
  const app = createSlackApp({
    config,
    identity,
    deps: { ctx, staff, outbox: worker, logger },
    boltLogger: bolt,
    processBeforeResponse: options.processBeforeResponse ?? false,
    whenDurable: () => whenDurable(database.db),
    routes,
    metrics,
  });

  void staff.refresh();
  let port = config.PORT;
  let healthServer: HealthServer | null = null;
  if (config.SLACK_APP_TOKEN) {
    healthServer = await startHealthServer(config.PORT, routes);
    port = healthServer.port;
    // A socket that cannot connect must not leave the health port open behind the error.
    await app.start().catch(async (error: unknown) => {
      await healthServer?.close();
      throw error;
    });
  } else {
    const server = (await app.start(config.PORT)) as { address(): AddressInfo | string | null };
    const address = server.address();
    if (address && typeof address === 'object') port = address.port;
  }
  // The check runs once now, so a bot that was down over a deadline catches up without anyone asking.
  scheduler.start();
  worker.start();
  // The database as the CLI names it (its first line on stderr), so an operator can see both use the same file.
  const databaseFile = config.DATABASE_PATH === ':memory:' ? ':memory:' : resolve(config.DATABASE_PATH);
  logger.info(
    { port, socketMode: Boolean(config.SLACK_APP_TOKEN), database: databaseFile },
    'cmd-bot is running',
  );

  let stopping: Promise<void> | null = null;
  return {
    port,
    ctx,
    worker,
    scheduler,
    staff,
    logger,
    metrics,
    stop: () => {
      stopping ??= (async () => {
        await app.stop();
        await healthServer?.close();
        await worker.stop();
        await scheduler.stop();
        staff.stop();
        await checkpoints.stop();
        database.close();
        logger.info('cmd-bot stopped');
      })();
      return stopping;
    },
  };
}

/**
 * Who the bot is in Slack (Bolt needs it to ignore its own events). Asked once at start-up, a few times if Slack
 * does not answer; if it still does not, cmd-bot starts anyway with placeholders rather than exit or let Bolt
 * ask on every request: the events it listens to never come from the bot itself.
 */
async function identifyBot(
  client: webApi.WebClient,
  logger: Logger,
): Promise<{ botId: string; botUserId: string }> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const me = await client.auth.test();
      if (me.bot_id && me.user_id) return { botId: me.bot_id, botUserId: me.user_id };
      throw new Error('auth.test returned no bot id: is SLACK_BOT_TOKEN a bot token?');
    } catch (error) {
      if (
        error instanceof webApi.WebAPIPlatformError &&
        ['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked'].includes(error.data.error)
      ) {
        throw new Error(
          `Slack refused SLACK_BOT_TOKEN (${error.data.error}): copy the Bot User OAuth Token again.`,
        );
      }
      logger.warn({ err: error, attempt }, 'could not ask Slack who the bot is');
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
  logger.warn('starting without the bot identity; Slack is not answering auth.test');
  return { botId: 'B00UNKNOWN', botUserId: 'U00UNKNOWN' };
}
