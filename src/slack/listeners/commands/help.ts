import type { App } from '@slack/bolt';
import { helpMessage } from '../../blocks/help.js';
import { callerFor, type SlackDeps } from '../../deps.js';

export function registerHelpCommand(app: App, deps: SlackDeps): void {
  app.command('/cmd-help', async ({ command, ack }) => {
    await ack({ response_type: 'ephemeral', ...helpMessage(callerFor(deps, command.user_id).staff) });
  });
}
