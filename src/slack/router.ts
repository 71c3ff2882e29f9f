/**
 * One Bolt listener per kind of request, dispatching by name. Bolt runs the middleware chain of every registered
 * listener for every request it receives (each link a copy of the request's arguments and an async call), so a
 * dozen listeners cost each request more CPU than a submission's own checks. The listener files register here
 * with Bolt's own call shapes; Bolt sees one command, one action and one view listener, each of which hands the
 * request to the first registration whose name matches. A request nobody registered for is left unanswered,
 * exactly as Bolt leaves it. Events go to Bolt directly: there are two, and they are rare.
 */
import type { AnyMiddlewareArgs, App } from '@slack/bolt';

/** What a listener file may register: the subset of Bolt's App it uses, with Bolt's types. */
export type Listeners = Pick<App, 'command' | 'action' | 'view' | 'event'>;

type Name = string | RegExp;
type Handler = (args: AnyMiddlewareArgs) => Promise<void>;
type Registration = readonly [Name, Handler];

const matches = (name: Name, id: string) => (typeof name === 'string' ? name === id : name.test(id));

async function dispatch(table: readonly Registration[], id: string, args: AnyMiddlewareArgs): Promise<void> {
  for (const [name, handler] of table) {
    if (matches(name, id)) return handler(args);
  }
}

export function routeListeners(app: App, register: (listeners: Listeners) => void): void {
  const commands: Registration[] = [];
  const actions: Registration[] = [];
  const views: Registration[] = [];
  const into =
    (table: Registration[], kind: string) =>
    (name: unknown, ...rest: unknown[]): void => {
      if (
        !(typeof name === 'string' || name instanceof RegExp) ||
        rest.length !== 1 ||
        typeof rest[0] !== 'function'
      )
        throw new Error(`${kind} listeners are registered here with a name or pattern and one handler`);
      table.push([name, rest[0] as Handler]);
    };
  const collector = {
    command: into(commands, 'command'),
    action: into(actions, 'action'),
    view: into(views, 'view'),
    event: app.event.bind(app),
  };
  // The collector takes the same arguments as Bolt's methods for the forms the listeners use (a name or a
  // pattern, and one handler); Bolt's overloaded generic signatures cannot be restated more narrowly.
  register(collector as unknown as Listeners);

  if (commands.length > 0)
    app.command(/.*/, (args) => dispatch(commands, args.command.command, args as AnyMiddlewareArgs));
  if (actions.length > 0)
    app.action(/.*/, (args) => {
      const id = 'action_id' in args.action ? args.action.action_id : '';
      return dispatch(actions, id, args as AnyMiddlewareArgs);
    });
  if (views.length > 0)
    app.view(/.*/, (args) => dispatch(views, args.view.callback_id, args as AnyMiddlewareArgs));
}
