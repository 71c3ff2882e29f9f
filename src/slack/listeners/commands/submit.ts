import { formatSubmissionId } from '../../../domain/ids.js';
import { productsCallerMaySubmit, submit } from '../../../services/index.js';
import { ephemeral, md } from '../../blocks/kit.js';
import { submitModal } from '../../blocks/modals.js';
import { callerFor, type SlackDeps, userMessage } from '../../deps.js';
import { parseOneLine } from '../../forms.js';
import type { Listeners } from '../../router.js';

/**
 * `/cmd-submit`: with no text, a form; with text, the one-line form, committed before the ack so that an
 * acknowledged submission always exists.
 */
export function registerSubmitCommand(app: Listeners, deps: SlackDeps): void {
  app.command('/cmd-submit', async ({ command, ack, client }) => {
    const caller = callerFor(deps, command.user_id);
    const text = command.text.trim();
    if (text === '') {
      const products = productsCallerMaySubmit(deps.ctx, caller);
      if (products.length === 0) {
        await ack(
          ephemeral(
            'Only a product’s contacts (listed on its Product ID card) or the UMD team can submit releases. You are not listed on any card yet: ask the UMD team to add you.',
          ),
        );
        return;
      }
      await ack();
      await client.views.open({
        trigger_id: command.trigger_id,
        view: submitModal({ products, platforms: deps.ctx.platforms, distributions: deps.ctx.distributions }),
      });
      return;
    }

    const parsed = parseOneLine(text);
    if (!parsed.ok) {
      await ack(ephemeral(parsed.problems.join('\n')));
      return;
    }
    try {
      const { submission, product } = submit(deps.ctx, parsed.raw, caller);
      const id = formatSubmissionId(submission.id);
      await ack(
        ephemeral(
          md`Submitted ${product.name} ${submission.version} as *${id}* for ${submission.platforms.join(', ')}. The UMD team has been told; follow it with \`/cmd-status ${id}\`.`,
        ),
      );
      deps.outbox.wake();
    } catch (error) {
      await ack(ephemeral(userMessage(deps, error, 'cmd-submit')));
    }
  });
}
