/** "Edit notes" on a release's messages: staff open the release notes' form, drafted from the data. */
import type { BlockButtonAction } from '@slack/bolt';
import { md } from '../../../mrkdwn.js';
import { releaseNotesText } from '../../../services/index.js';
import { releaseNotesModal } from '../../blocks/modals.js';
import { NOTES_ACTION } from '../../blocks/release.js';
import { callerFor, clickReplier, type SlackDeps, userMessage } from '../../deps.js';
import type { Listeners } from '../../router.js';

export function registerReleaseNotesButton(app: Listeners, deps: SlackDeps): void {
  app.action<BlockButtonAction>(NOTES_ACTION, async ({ action, body, ack, client, respond }) => {
    await ack();
    const reply = clickReplier(deps, respond);
    if (!callerFor(deps, body.user.id).staff) {
      await reply(md`Only the UMD team can write release notes.`);
      return;
    }
    try {
      const name = action.value ?? '';
      const draft = releaseNotesText(deps.ctx, name);
      await client.views.open({
        trigger_id: body.trigger_id,
        view: releaseNotesModal(name, draft.label, draft),
      });
    } catch (error) {
      await reply(userMessage(deps, error, 'Release notes'));
    }
  });
}
