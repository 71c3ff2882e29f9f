import { parseSubjectId } from '../../../domain/ids.js';
import { getStatus, latestOfProduct } from '../../../services/index.js';
import { ephemeral, md } from '../../blocks/kit.js';
import { statusMessage } from '../../blocks/status.js';
import { type SlackDeps, userMessage } from '../../deps.js';
import { commandArgument } from '../../forms.js';
import type { Listeners } from '../../router.js';

/** `/cmd-status SUB-n | TKT-n | PRODUCT`: answered in the ack, so it needs no Web API call. */
export function registerStatusCommand(app: Listeners, deps: SlackDeps): void {
  app.command('/cmd-status', async ({ command, ack }) => {
    const argument = commandArgument(command.text);
    if (argument === '') {
      await ack(
        ephemeral(
          'Give a submission, ticket or product: `/cmd-status SUB-12`, `/cmd-status TKT-34` or `/cmd-status ARC`.',
        ),
      );
      return;
    }
    try {
      const subject = parseSubjectId(argument);
      if (subject) {
        await ack(ephemeral(statusMessage(getStatus(deps.ctx, subject))));
        return;
      }
      const { product, latest, earlier } = latestOfProduct(deps.ctx, argument);
      await ack(
        ephemeral(latest ? statusMessage(latest, earlier) : md`${product.name} has no submissions yet.`),
      );
    } catch (error) {
      await ack(ephemeral(userMessage(deps, error, 'cmd-status')));
    }
  });
}
