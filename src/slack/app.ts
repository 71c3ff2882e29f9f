/**
 * Builds the Bolt app: the receiver (HTTP at /slack/events, see receiver.ts, or Socket Mode), `/healthz`, and
 * every listener.
 * Wiring only; what the listeners do lives in listeners/.
 */

import type { AckFn, AppOptions, ReceiverEvent } from '@slack/bolt';
import { App, type Logger as BoltLogger, SocketModeReceiver } from '@slack/bolt';
import type { AppConfig } from '../config/app.js';
import type { SlackDeps } from './deps.js';
import { answerHealth, type HealthCheck } from './health.js';
import { registerActions } from './listeners/actions/index.js';
import { registerCommands } from './listeners/commands/index.js';
import { registerEvents } from './listeners/events/index.js';
import { registerViews } from './listeners/views/index.js';
import { SlackHttpReceiver } from './receiver.js';
import { routeListeners } from './router.js';
import { webApiDispatcher } from './socket-mode.js';

export interface SlackAppOptions {
  readonly config: AppConfig;
  readonly deps: SlackDeps;
  /** From auth.test at start-up; with it Bolt never calls auth.test on a request's path. */
  readonly identity: { readonly botId: string; readonly botUserId: string };
  readonly boltLogger: BoltLogger;
  /** GET /healthz over HTTP (in Socket Mode the bot serves it itself: see health.ts). */
  readonly health: HealthCheck;
  /** Tests may finish each request's work before the HTTP reply; production answers first (Slack's 3 s). */
  readonly processBeforeResponse?: boolean;
  /** Resolves when the writes made so far are committed (group commit: see src/db/group-commit.ts). */
  readonly whenDurable: () => Promise<void>;
}

/**
 * Bolt's App, with one change: every ack waits until the writes made before it are committed, so that whatever
 * Slack is told was done survives a crash. One place for it rather than a line in every listener.
 */
class DurableAckApp extends App {
  constructor(
    options: AppOptions,
    private readonly whenDurable: () => Promise<void>,
  ) {
    super(options);
  }

  override processEvent(event: ReceiverEvent): Promise<void> {
    const ack: AckFn<unknown> = async (response) => {
      await this.whenDurable();
      return event.ack(response);
    };
    return super.processEvent({ ...event, ack });
  }
}

export function createSlackApp(options: SlackAppOptions): App {
  const { config, deps, boltLogger } = options;
  const receiver = config.SLACK_APP_TOKEN
    ? new SocketModeReceiver({
        appToken: config.SLACK_APP_TOKEN,
        logger: boltLogger,
        ...(config.SLACK_API_URL ? { dispatcher: webApiDispatcher(config.SLACK_API_URL) } : {}),
      })
    : new SlackHttpReceiver({
        signingSecret: config.SLACK_SIGNING_SECRET,
        logger: boltLogger,
        getRoutes: { '/healthz': (_req, res) => answerHealth(options.health, res) },
        processBeforeResponse: options.processBeforeResponse ?? false,
      });

  const app = new DurableAckApp(
    {
      token: config.SLACK_BOT_TOKEN,
      botId: options.identity.botId,
      botUserId: options.identity.botUserId,
      receiver,
      logger: boltLogger,
      // No listener uses Bolt's conversation store; its lookup builds and throws an Error on every request.
      convoStore: false,
      clientOptions: {
        ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
        timeout: config.SLACK_API_TIMEOUT_MS,
        // Interactive calls (views.open) must be quick: retry a little, never for long.
        retryConfig: { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 500 },
      },
    },
    options.whenDurable,
  );

  routeListeners(app, (listeners) => {
    registerCommands(listeners, deps);
    registerActions(listeners, deps);
    registerViews(listeners, deps);
    registerEvents(
      listeners,
      deps,
      config.UMD_STAFF_USERGROUP_ID ? { staffUsergroupId: config.UMD_STAFF_USERGROUP_ID } : {},
    );
  });
  app.error(async (error) => {
    deps.logger.error({ err: error }, 'unhandled error in a Slack listener');
  });
  return app;
}
