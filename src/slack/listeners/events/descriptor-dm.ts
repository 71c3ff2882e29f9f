/**
 * A UMD5 descriptor uploaded in a direct message to the bot is submitted, as `/cmd-submit`'s upload would be;
 * the answer (the new SUB id and any warnings, or what to fix) comes back in the same conversation.
 */
import type { WebClient } from '@slack/web-api';
import { formatSubmissionId } from '../../../domain/ids.js';
import { submitDescriptor } from '../../../services/index.js';
import { descriptorSubmittedText } from '../../blocks/descriptor.js';
import { type Mrkdwn, md, message } from '../../blocks/kit.js';
import { callerFor, type SlackDeps, userMessage } from '../../deps.js';
import { fetchDescriptorFile } from '../../descriptor-file.js';
import type { Listeners } from '../../router.js';

/** Events come with no 3-second form waiting on them: the file may take longer to fetch than in the form. */
const DM_FETCH_MS = 10_000;

interface FileMessage {
  readonly channel?: string;
  readonly channel_type?: string;
  readonly user?: string;
  readonly bot_id?: string;
  readonly subtype?: string;
  readonly files?: readonly { readonly id: string }[];
}

async function answerFile(deps: SlackDeps, client: WebClient, upload: FileMessage, fileId: string) {
  const user = upload.user as string;
  const channel = upload.channel as string;
  const say = (text: Mrkdwn) =>
    client.chat.postMessage({ channel, ...message(text), mrkdwn: true }).catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'Slack did not take the answer to an uploaded descriptor');
    });
  const fetched = await fetchDescriptorFile(client, fileId, { timeoutMs: DM_FETCH_MS });
  if (!fetched.ok) {
    await say(md`Not submitted: ${fetched.message}`);
    return;
  }
  try {
    const result = submitDescriptor(
      deps.ctx,
      { json: fetched.json, fileName: fetched.name },
      callerFor(deps, user),
    );
    deps.outbox.wake();
    const id = formatSubmissionId(result.submission.id);
    await say(
      descriptorSubmittedText(
        result,
        md` It came from ${fetched.name}. Follow it with \`/cmd-status ${id}\`.`,
        result.warnings,
      ),
    );
  } catch (error) {
    await say(md`${fetched.name} was not submitted. ${userMessage(deps, error, 'Not submitted')}`);
  }
}

export function registerDescriptorMessages(app: Listeners, deps: SlackDeps): void {
  app.event('message', async ({ event, client }) => {
    const message = event as FileMessage;
    // Only people's uploads in a direct message to the bot: never its own messages, edits or deletions.
    if (message.channel_type !== 'im' || message.bot_id || !message.user || !message.channel) return;
    if (message.subtype !== undefined && message.subtype !== 'file_share') return;
    const files = message.files ?? [];
    if (files.length === 0) return;
    // One release per file; more than a few in one message is not someone submitting releases.
    for (const file of files.slice(0, 5)) await answerFile(deps, client, message, file.id);
  });
}
