/** The Publish button of a frozen release's message (`/cmd-release show`): staff publish it from there. */
import type { BlockButtonAction } from '@slack/bolt';
import { md } from '../../../mrkdwn.js';
import { publishRelease } from '../../../services/index.js';
import { PUBLISH_ACTION } from '../../blocks/release.js';
import { callerFor, clickReplier, type SlackDeps, userMessage } from '../../deps.js';
import type { Listeners } from '../../router.js';
import { publishedText } from '../commands/release.js';

export function registerPublishButton(app: Listeners, deps: SlackDeps): void {
  app.action<BlockButtonAction>(PUBLISH_ACTION, async ({ action, body, ack, respond }) => {
    await ack();
    const reply = clickReplier(deps, respond);
    try {
      // publishRelease refuses anyone but staff, saying so.
      const published = publishRelease(deps.ctx, action.value ?? '', {}, callerFor(deps, body.user.id));
      deps.outbox.wake();
      await reply(publishedText(published));
    } catch (error) {
      await reply(md`Not published: ${userMessage(deps, error, 'Not published')}`);
    }
  });
}
