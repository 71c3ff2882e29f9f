import { getProducts, NotFoundError } from '../../../services/index.js';
import { getProduct } from '../../../services/products.js';
import { ephemeral, md } from '../../blocks/kit.js';
import { noProductMessage, productMessage } from '../../blocks/product.js';
import { callerFor, type SlackDeps, userMessage } from '../../deps.js';
import { commandArgument } from '../../forms.js';
import type { Listeners } from '../../router.js';

/** `/cmd-product NAME`: shows a card; staff get a button to edit it, or to create it when it is missing. */
export function registerProductCommand(app: Listeners, deps: SlackDeps): void {
  app.command('/cmd-product', async ({ command, ack }) => {
    const name = commandArgument(command.text);
    const caller = callerFor(deps, command.user_id);
    const known = getProducts(deps.ctx).map((card) => card.name);
    if (name === '') {
      await ack(
        ephemeral(
          known.length
            ? md`Product ID cards: ${known.join(', ')}. Show one with \`/cmd-product NAME\`.`
            : 'There are no Product ID cards yet.',
        ),
      );
      return;
    }
    try {
      await ack(ephemeral(productMessage(getProduct(deps.ctx, name), caller.staff)));
    } catch (error) {
      if (error instanceof NotFoundError) {
        await ack(ephemeral(noProductMessage(name, known, caller.staff)));
        return;
      }
      await ack(ephemeral(userMessage(deps, error, 'cmd-product')));
    }
  });
}
