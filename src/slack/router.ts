/**
 * All listeners behind one Bolt middleware, dispatching by name. Bolt runs the middleware chain of every
 * registered listener for every request it receives (each link a copy of the request's arguments and an async
 * call), so each listener costs every request, whatever it is for. The listener files register here with
 * Bolt's own call shapes; Bolt sees a single global middleware, which hands the request to the first
 * registration of its kind whose name matches, with the arguments Bolt built for it. A request nobody
 * registered for goes to `unhandled`, which answers it at once (Bolt would leave it unanswered for 3 s).
 *
 * What each kind matches is what Bolt's own `app.command(name)`, `app.action(name)`, `app.view(name)` and
 * `app.event(name)` would: a command by its name, a block action by its action_id, a view submission (not a
 * view closing) by its callback_id, an event by its type.
 *
 * Bolt's own `ignoreSelf` middleware is off (src/slack/app.ts) and its rule is applied here instead: each link of
 * Bolt's chain costs a request about 7 µs in Node 20 (it copies the arguments with a spread and adds four
 * properties), and this one ran for every request to drop the app's own events.
 */
import type { AllMiddlewareArgs, AnyMiddlewareArgs, App } from '@slack/bolt';

/** What a listener file may register: the subset of Bolt's App it uses, with Bolt's types. */
export type Listeners = Pick<App, 'command' | 'action' | 'view' | 'event'>;

type Name = string | RegExp;
type Handler = (args: AnyMiddlewareArgs & AllMiddlewareArgs) => Promise<void>;
type Registration = readonly [Name, Handler];
export type Kind = 'command' | 'action' | 'view' | 'event';

const matches = (name: Name, id: string) => (typeof name === 'string' ? name === id : name.test(id));

/** What to do with a request no listener is registered for (an old button, a view closing, a retired command). */
export type Unhandled = (
  args: AnyMiddlewareArgs & AllMiddlewareArgs,
  kind: Kind | null,
  name: string,
) => Promise<void>;

/** The kind of a request and the name its listener is registered under; null for kinds cmd-bot never listens to. */
export function nameOf(args: AnyMiddlewareArgs): readonly [Kind, string] | null {
  if ('command' in args && args.command) return ['command', args.command.command];
  if ('action' in args && args.action)
    return ['action', 'action_id' in args.action ? String(args.action.action_id) : ''];
  if ('view' in args && args.view && args.body.type === 'view_submission')
    return ['view', args.view.callback_id];
  if ('event' in args && args.event) return ['event', args.event.type];
  return null;
}

/** Events Bolt's ignoreSelf lets through even when the app itself caused them. */
const OWN_EVENTS_KEPT: ReadonlySet<string> = new Set(['member_joined_channel', 'member_left_channel']);

/**
 * Bolt's ignoreSelf rule (@slack/bolt 5.1, middleware/builtin.js): an event is the app's own when it is a
 * `bot_message` from the app's bot id, or names the app's bot user as its `user` (but for joining and leaving).
 */
function isOwnEvent(args: AnyMiddlewareArgs & AllMiddlewareArgs): boolean {
  if (!('event' in args) || !args.event) return false;
  const event = args.event as { type: string; subtype?: string; bot_id?: string; user?: unknown };
  const { botId, botUserId } = args.context;
  if (event.type === 'message' && event.subtype === 'bot_message' && event.bot_id === botId) return true;
  return botUserId !== undefined && event.user === botUserId && !OWN_EVENTS_KEPT.has(event.type);
}

export function routeListeners(
  app: App,
  register: (listeners: Listeners) => void,
  unhandled: Unhandled,
): void {
  const tables: Record<Kind, Registration[]> = { command: [], action: [], view: [], event: [] };
  const into =
    (kind: Kind) =>
    (name: unknown, ...rest: unknown[]): void => {
      if (
        !(typeof name === 'string' || name instanceof RegExp) ||
        rest.length !== 1 ||
        typeof rest[0] !== 'function'
      )
        throw new Error(`${kind} listeners are registered here with a name or pattern and one handler`);
      tables[kind].push([name, rest[0] as Handler]);
    };
  const collector = {
    command: into('command'),
    action: into('action'),
    view: into('view'),
    event: into('event'),
  };
  // The collector takes the same arguments as Bolt's methods for the forms the listeners use (a name or a
  // pattern, and one handler); Bolt's overloaded generic signatures cannot be restated more narrowly.
  register(collector as unknown as Listeners);

  app.use(async (args) => {
    // An Events API request is acked before any middleware runs: dropping it here answers Slack all the same.
    if (isOwnEvent(args)) return;
    const named = nameOf(args);
    if (named) {
      const [kind, id] = named;
      for (const [name, handler] of tables[kind]) {
        if (matches(name, id)) return handler(args);
      }
    }
    return unhandled(args, named?.[0] ?? null, named?.[1] ?? '');
  });
}
