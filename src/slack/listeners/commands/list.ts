import { listItems } from '../../../services/index.js';
import { ephemeral } from '../../blocks/kit.js';
import { listMessage } from '../../blocks/status.js';
import { type SlackDeps, userMessage } from '../../deps.js';
import { commandArgument } from '../../forms.js';
import type { Listeners } from '../../router.js';

/** `/cmd-list [STATUS | delayed | mine]`. */
export function registerListCommand(app: Listeners, deps: SlackDeps): void {
  app.command('/cmd-list', async ({ command, ack }) => {
    const argument = commandArgument(command.text);
    try {
      if (argument.toLowerCase() === 'mine') {
        const rows = listItems(deps.ctx, { involving: command.user_id });
        await ack(
          ephemeral(listMessage('Yours: submitted by you, for your products, or assigned to you', rows)),
        );
        return;
      }
      const rows = listItems(deps.ctx, argument === '' ? {} : { status: argument });
      await ack(ephemeral(listMessage(argument === '' ? 'Open submissions and tickets' : argument, rows)));
    } catch (error) {
      await ack(ephemeral(userMessage(deps, error, 'cmd-list')));
    }
  });
}
