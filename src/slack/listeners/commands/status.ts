import { listSubmissions } from '../../../db/repositories/submissions.js';
import { formatSubmissionId, parseSubjectId } from '../../../domain/ids.js';
import { getProduct, getStatus, getSubmissionView } from '../../../services/index.js';
import { context, ephemeral, md } from '../../blocks/kit.js';
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
      const product = getProduct(deps.ctx, argument);
      const all = listSubmissions(deps.ctx.db, { productId: product.id }).sort((a, b) => b.id - a.id);
      const latest = all[0];
      if (!latest) {
        await ack(ephemeral(md`${product.name} has no submissions yet.`));
        return;
      }
      const message = statusMessage(getSubmissionView(deps.ctx, latest.id));
      const others = all.slice(1, 11).map((s) => `${formatSubmissionId(s.id)} (${s.version})`);
      if (others.length > 0)
        message.blocks.splice(1, 0, context(md`Latest of ${all.length}; earlier: ${others.join(', ')}`));
      await ack(ephemeral(message));
    } catch (error) {
      await ack(ephemeral(userMessage(deps, error, 'cmd-status')));
    }
  });
}
