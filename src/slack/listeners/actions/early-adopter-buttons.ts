import type { BlockButtonAction } from '@slack/bolt';
import { parseSubjectId } from '../../../domain/ids.js';
import { reportableRelease } from '../../../services/index.js';
import { releaseHeadline } from '../../blocks/card.js';
import { md } from '../../blocks/kit.js';
import { earlyAdopterModal } from '../../blocks/modals.js';
import { clickReplier, type SlackDeps, userMessage } from '../../deps.js';
import { EA_ACTIONS } from '../../moves.js';
import type { Listeners } from '../../router.js';

/** "Installed, works" and "Problem found" on a staged-rollout announcement: ask which site and platform. */
export function registerEarlyAdopterButtons(app: Listeners, deps: SlackDeps): void {
  for (const outcome of ['works', 'problem'] as const) {
    app.action<BlockButtonAction>(EA_ACTIONS[outcome], async ({ action, body, ack, client, respond }) => {
      await ack();
      const tell = clickReplier(deps, respond);
      const subject = parseSubjectId(action.value ?? '');
      if (subject?.kind !== 'submission') {
        await tell(
          'This announcement is from an older version of cmd-bot; ask the UMD team where to report.',
        );
        return;
      }
      try {
        const { view, platforms, rememberedSite } = reportableRelease(deps.ctx, subject.id, body.user.id);
        if (platforms.length === 0) {
          await tell(
            md`${releaseHeadline(view)} is not in staged rollout any more, so it takes no more reports. Thank you!`,
          );
          return;
        }
        await client.views.open({
          trigger_id: body.trigger_id,
          view: earlyAdopterModal({
            submissionId: subject.id,
            outcome,
            title: releaseHeadline(view),
            platforms,
            sites: view.product.earlyAdopterSites,
            site: rememberedSite,
          }),
        });
      } catch (error) {
        await tell(userMessage(deps, error, `button ${action.action_id}`));
      }
    });
  }
}
