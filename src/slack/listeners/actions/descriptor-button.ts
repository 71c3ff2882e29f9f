/**
 * The card's "UMD5 descriptor" button: staff get the submission's descriptors (one file per target platform,
 * as `cmd-bot export descriptor` writes them) in their direct messages with cmd-bot, ready for the
 * software-releases pull request. A message cannot carry a file, so they are uploaded there.
 */
import type { BlockButtonAction } from '@slack/bolt';
import { parseSubjectId } from '../../../domain/ids.js';
import { descriptorFileText } from '../../../domain/umd5-descriptor.js';
import { md } from '../../../mrkdwn.js';
import { exportDescriptors } from '../../../services/index.js';
import { DESCRIPTOR_ACTION } from '../../blocks/card.js';
import { callerFor, clickReplier, type SlackDeps, userMessage } from '../../deps.js';
import type { Listeners } from '../../router.js';

export function registerDescriptorButton(app: Listeners, deps: SlackDeps): void {
  app.action<BlockButtonAction>(DESCRIPTOR_ACTION, async ({ action, body, ack, client, respond }) => {
    await ack();
    const reply = clickReplier(deps, respond);
    if (!callerFor(deps, body.user.id).staff) {
      await reply(md`Only the UMD team can take a release's UMD5 descriptor from its card.`);
      return;
    }
    const subject = parseSubjectId(action.value ?? '');
    if (subject?.kind !== 'submission') {
      await reply(md`This button names no submission; use \`cmd-bot export descriptor SUB-n\`.`);
      return;
    }
    try {
      const files = exportDescriptors(deps.ctx, subject.id);
      const opened = await client.conversations.open({ users: body.user.id });
      const channel = opened.channel?.id;
      if (!channel) throw new Error('Slack opened no direct message channel');
      await client.files.uploadV2({
        channel_id: channel,
        initial_comment: `The UMD5 descriptor${files.length === 1 ? '' : 's'} of SUB-${subject.id}, for the software-releases pull request.`,
        file_uploads: files.map((file) => ({
          file: Buffer.from(descriptorFileText(file.descriptor)),
          filename: file.fileName,
          title: file.fileName,
        })),
      });
      await reply(
        md`Sent ${files.length === 1 ? 'it' : `the ${files.length} files`} to your direct messages with cmd-bot.`,
      );
    } catch (error) {
      await reply(md`The descriptor was not sent: ${userMessage(deps, error, 'Not sent')}`);
    }
  });
}
