import type { BlockButtonAction } from '@slack/bolt';
import { findProduct } from '../../../services/index.js';
import { productModal } from '../../blocks/modals.js';
import { PRODUCT_EDIT_ACTION } from '../../blocks/product.js';
import { callerFor, clickReplier, type SlackDeps } from '../../deps.js';
import type { Listeners } from '../../router.js';

export function registerProductEditButton(app: Listeners, deps: SlackDeps): void {
  app.action<BlockButtonAction>(PRODUCT_EDIT_ACTION, async ({ action, body, ack, client, respond }) => {
    await ack();
    if (!callerFor(deps, body.user.id).staff) {
      await clickReplier(deps, respond)('Only the UMD team can create or edit Product ID cards.');
      return;
    }
    const name = action.value ?? '';
    await client.views.open({
      trigger_id: body.trigger_id,
      view: productModal(findProduct(deps.ctx, name), name, deps.ctx.platforms),
    });
  });
}
