/**
 * Builds the Bolt app: the receiver (HTTP at /slack/events, see receiver.ts, or Socket Mode), `/healthz`, and
 * every listener.
 * Wiring only; what the listeners do lives in listeners/.
 */

import type { AckFn, AppOptions, ReceiverEvent } from '@slack/bolt';
import { App, type Logger as BoltLogger, SocketModeReceiver } from '@slack/bolt';
import type { AppConfig } from '../config/app.js';
import type { Logger } from '../logging.js';
import { clickReply, ephemeral, md } from './blocks/kit.js';
import { messageView } from './blocks/modals.js';
import { clickReplier, type SlackDeps } from './deps.js';
import { answerHealth, type HealthCheck } from './health.js';
import { registerActions } from './listeners/actions/index.js';
import { registerCommands } from './listeners/commands/index.js';
import { registerEvents } from './listeners/events/index.js';
import { registerViews } from './listeners/views/index.js';
import { checkPayload, type RequestKind } from './payloads.js';
import { SlackHttpReceiver } from './receiver.js';
import { routeListeners, type Unhandled } from './router.js';
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
 * Bolt's App, with two changes, each in one place rather than a line in every listener: a request whose shape is
 * not what Slack sends is answered at once and goes no further (payloads.ts), whichever receiver brought it; and
 * every ack waits until the writes made before it are committed, so whatever Slack is told was done survives a
 * crash.
 */
class DurableAckApp extends App {
  constructor(
    options: AppOptions,
    private readonly whenDurable: () => Promise<void>,
    private readonly log: Logger,
  ) {
    super(options);
  }

  override async processEvent(event: ReceiverEvent): Promise<void> {
    const check = checkPayload(event.body);
    if (!check.ok) {
      this.log.warn(
        { kind: check.kind, problem: check.problem },
        'unreadable request from Slack; answered, nothing done',
      );
      await answerUnreadable(event, check.kind);
      return;
    }
    const ack: AckFn<unknown> = async (response) => {
      await this.whenDurable();
      return event.ack(response);
    };
    return super.processEvent({ ...event, ack });
  }
}

/**
 * A request of a known shape that no listener takes: a button or form from an older version of cmd-bot, a
 * command it no longer has, a modal closed. Answered at once, as Slack expects, and logged.
 */
function answerUnhandled(deps: SlackDeps): Unhandled {
  return async (args, kind, name) => {
    if (kind !== 'event') deps.logger.info({ kind, name }, 'no listener for this request; answered');
    if (!('ack' in args) || typeof args.ack !== 'function') return; // an event: Bolt acknowledged it already
    // Each kind's ack takes its own answer; the union of Bolt's ack types cannot be narrowed by `kind`.
    const ack = args.ack as (answer?: unknown) => Promise<void>;
    if (kind === 'command') {
      await ack(ephemeral(md`cmd-bot has no command ${name}; \`/cmd-help\` lists them.`));
    } else if (kind === 'view') {
      await ack({ response_action: 'update', view: messageView('Not done', OUTDATED_FORM) });
    } else {
      await ack();
      if (kind === 'action')
        await clickReplier(deps, 'respond' in args ? args.respond : undefined)(OUTDATED_BUTTON);
    }
  };
}

const OUTDATED_BUTTON =
  'This button is from an older version of cmd-bot. Use `/cmd-status` to see the current state.';
const OUTDATED_FORM =
  'This form is from an older version of cmd-bot, so nothing was done. Start again from the card or command.';

const UNREADABLE =
  'cmd-bot could not read this request, so nothing was done. Try again; if it keeps happening, tell the UMD team.';

/**
 * The answer to a request of the wrong shape: a person hears that nothing was done (in the command's reply, the
 * modal, or beside the clicked message), Slack gets its 200 at once, and an event is simply acknowledged.
 */
async function answerUnreadable(event: ReceiverEvent, kind: RequestKind | null): Promise<void> {
  switch (kind) {
    case 'command':
      return event.ack(ephemeral(UNREADABLE));
    case 'view':
      return event.ack({ response_action: 'update', view: messageView('Not done', UNREADABLE) });
    case 'action': {
      await event.ack();
      const url = event.body.response_url;
      // Slack's own reply address for this click (the body is signed); not awaited, and a failure changes nothing.
      if (typeof url === 'string' && /^https?:\/\//.test(url)) {
        void fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(clickReply(UNREADABLE)),
          signal: AbortSignal.timeout(5_000),
        }).catch(() => undefined);
      }
      return;
    }
    default:
      return event.ack();
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
    deps.logger,
  );

  routeListeners(
    app,
    (listeners) => {
      registerCommands(listeners, deps);
      registerActions(listeners, deps);
      registerViews(listeners, deps);
      registerEvents(
        listeners,
        deps,
        config.UMD_STAFF_USERGROUP_ID ? { staffUsergroupId: config.UMD_STAFF_USERGROUP_ID } : {},
      );
    },
    answerUnhandled(deps),
  );
  app.error(async (error) => {
    deps.logger.error({ err: error }, 'unhandled error in a Slack listener');
  });
  return app;
}
