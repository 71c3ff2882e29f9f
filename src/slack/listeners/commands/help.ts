import { helpMessage } from '../../blocks/help.js';
import { ephemeral } from '../../blocks/kit.js';
import { callerFor, type SlackDeps } from '../../deps.js';
import type { Listeners } from '../../router.js';

export function registerHelpCommand(app: Listeners, deps: SlackDeps): void {
  app.command('/cmd-help', async ({ command, ack }) => {
    await ack(ephemeral(helpMessage(callerFor(deps, command.user_id).staff, deps.ctx.rules)));
  });
}
