import { helpMessage } from '../../blocks/help.js';
import { callerFor, type SlackDeps } from '../../deps.js';
import type { Listeners } from '../../router.js';

export function registerHelpCommand(app: Listeners, deps: SlackDeps): void {
  app.command('/cmd-help', async ({ command, ack }) => {
    await ack({ response_type: 'ephemeral', ...helpMessage(callerFor(deps, command.user_id).staff) });
  });
}
