/**
 * Draws outbox rows as Slack messages, when they are sent. What a notice says then, and whether it still
 * applies, is the notices' rule (src/services/notices): this only draws it.
 */
import type { MessageRenderer, RenderedMessage } from '../outbox/worker.js';
import type { ServiceContext } from '../services/context.js';
import { noticeToSend } from '../services/notices/index.js';
import { getSubmissionView } from '../services/queries.js';
import { submissionCard } from './blocks/card.js';
import { earlyAdopterAnnouncement, noticeMessage, threadReply } from './blocks/notices.js';
import { releaseFrozenMessage } from './blocks/release.js';

export function createRenderer(ctx: ServiceContext): MessageRenderer {
  return {
    card: (submissionId) => submissionCard(getSubmissionView(ctx, submissionId)),
    threadReply,
    notice: (row): RenderedMessage | null => {
      const notice = noticeToSend(ctx, row);
      if (notice === null) return null;
      switch (notice.kind) {
        case 'rollout':
          return earlyAdopterAnnouncement(notice.view, notice.platforms, { added: notice.added });
        case 'release_frozen':
          return releaseFrozenMessage(notice.text, notice.release, notice.publishable);
        default:
          return noticeMessage(notice.text, notice.submissionId);
      }
    },
  };
}
