/** Renders outbox rows into Slack messages, from the database as it is when they are sent. */
import type { MessageRenderer } from '../outbox/worker.js';
import type { ServiceContext } from '../services/context.js';
import { getSubmissionView } from '../services/queries.js';
import { submissionCard } from './blocks/card.js';
import { earlyAdopterAnnouncement, noticeMessage } from './blocks/notices.js';

export function createRenderer(ctx: ServiceContext): MessageRenderer {
  return {
    card: (submissionId) => submissionCard(getSubmissionView(ctx, submissionId)),
    notice: (row) => {
      if (row.payload.topic === 'early_adopter_announcement' && row.submissionId !== null) {
        return earlyAdopterAnnouncement(getSubmissionView(ctx, row.submissionId));
      }
      return noticeMessage(row.payload.text, row.payload.submissionId);
    },
  };
}
