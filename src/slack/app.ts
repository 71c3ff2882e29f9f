/**
 * Builds the Bolt app: the receiver (HTTP at /slack/events, see receiver.ts, or Socket Mode), `/healthz`, and
 * every listener.
 * Wiring only; what the listeners do lives in listeners/.
 */

import type { AckFn, AppOptions, ReceiverEvent } from '@slack/bolt';
import { App, type Logger as BoltLogger, SocketModeReceiver } from '@slack/bolt';
import type { AppConfig } from '../config/app.js';
import type { Logger } from '../logging.js';
import type { BotMetrics, RequestKindLabel, RequestOutcome } from '../metrics/index.js';
import { countingFetch } from '../metrics/slack-calls.js';
import { clickReply, ephemeral, md } from './blocks/kit.js';
import { messageView } from './blocks/modals.js';
import { clickReplier, type SlackDeps } from './deps.js';
import { registerActions } from './listeners/actions/index.js';
import { registerCommands } from './listeners/commands/index.js';
import { registerEvents } from './listeners/events/index.js';
import { registerViews } from './listeners/views/index.js';
import { checkPayload, type RequestKind } from './payloads.js';
import { type Route, SlackHttpReceiver } from './receiver.js';
import { routeListeners, type Unhandled } from './router.js';
import { webApiDispatcher } from './socket-mode.js';

export interface SlackAppOptions {
  readonly config: AppConfig;
  readonly deps: SlackDeps;
  /** From auth.test at start-up; with it Bolt never calls auth.test on a request's path. */
  readonly identity: { readonly botId: string; readonly botUserId: string };
  readonly boltLogger: BoltLogger;
  /** GET /healthz and /metrics over HTTP (in Socket Mode the bot serves them itself: see health.ts). */
  readonly routes: Readonly<Record<string, Route>>;
  /** Where each request is counted, by kind and outcome. */
  readonly metrics: BotMetrics;
  /** Tests may finish each request's work before the HTTP reply; production answers first (Slack's 3 s). */
  readonly processBeforeResponse?: boolean;
  /** Resolves when the writes made so far are committed (group commit: see src/db/group-commit.ts). */
  readonly whenDurable: () => Promise<void>;
}

/**
 * Bolt's App, with three changes, each in one place rather than a line in every listener: a request whose shape
 * is not what Slack sends is answered at once and goes no further (payloads.ts), whichever receiver brought it;
 * every ack waits until the writes made before it are committed, so whatever Slack is told was done survives a
 * crash; and every request is counted once it is done, with how it ended.
 */
class DurableAckApp extends App {
  /**
   * How each request in flight is ending, keyed on its body (the object Bolt hands the router and the error
   * handler as `body`): `ok` unless the router finds no listener or a listener throws.
   */
  private readonly outcomes = new WeakMap<object, RequestOutcome>();

  constructor(
    options: AppOptions,
    private readonly whenDurable: () => Promise<void>,
    private readonly log: Logger,
    private readonly metrics: BotMetrics,
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
      this.metrics.countRequest(kindLabel(check.kind), 'unreadable');
      await answerUnreadable(event, check.kind);
      return;
    }
    const ack: AckFn<unknown> = async (response) => {
      await this.whenDurable();
      return event.ack(response);
    };
    this.outcomes.set(event.body, 'ok');
    try {
      await super.processEvent({ ...event, ack });
    } catch (error) {
      this.outcomes.set(event.body, 'error');
      throw error;
    } finally {
      this.metrics.countRequest(kindLabel(check.kind), this.outcomes.get(event.body) ?? 'ok');
      this.outcomes.delete(event.body);
    }
  }

  /** Records how the request with this body ended (a request no longer in flight is left alone). */
  endedAs(body: unknown, outcome: RequestOutcome): void {
    if (typeof body === 'object' && body !== null && this.outcomes.has(body))
      this.outcomes.set(body, outcome);
  }
}

/** A closed modal is a view, as operators count them; a body that claims no kind is `other`. */
function kindLabel(kind: RequestKind | null): RequestKindLabel {
  if (kind === null) return 'other';
  return kind === 'view_closed' ? 'view' : kind;
}

/**
 * A request of a known shape that no listener takes: a button or form from an older version of cmd-bot, a
 * command it no longer has, a modal closed. Answered at once, as Slack expects, and logged.
 */
function answerUnhandled(deps: SlackDeps, app: DurableAckApp): Unhandled {
  return async (args, kind, name) => {
    app.endedAs(args.body, 'unhandled');
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
        getRoutes: options.routes,
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
      // The router applies this rule itself, one link of Bolt's middleware chain fewer (src/slack/router.ts).
      ignoreSelf: false,
      // The error handler is told which request failed (its body), so that request is counted as an error.
      extendedErrorHandler: true,
      clientOptions: {
        ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
        timeout: config.SLACK_API_TIMEOUT_MS,
        // Interactive calls (views.open) must be quick: retry a little, never for long.
        retryConfig: { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 500 },
        // Counts the listeners' Web API calls, and (Bolt takes its fetch from here) their `respond` replies.
        fetch: countingFetch(options.metrics, config.SLACK_API_URL),
      },
    },
    options.whenDurable,
    deps.logger,
    options.metrics,
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
    answerUnhandled(deps, app),
  );
  // Bolt's ExtendedErrorHandlerArgs, which its index does not export.
  app.error(async ({ error, body }: { readonly error: Error; readonly body: unknown }) => {
    app.endedAs(body, 'error');
    deps.logger.error({ err: error }, 'unhandled error in a Slack listener');
  });
  return app;
}
