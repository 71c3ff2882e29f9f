/** Renders outbox rows into Slack messages, from the database as it is when they are sent. */
import { ticketsWithOwnRolloutMessage } from '../db/repositories/outbox.js';
import { countDelayedTickets, findTicket } from '../db/repositories/tickets.js';
import type { OutboxPayload } from '../db/schema.js';
import { isInStagedRollout } from '../domain/ticket-machine.js';
import type { Mrkdwn } from '../mrkdwn.js';
import type { MessageRenderer, RenderedMessage } from '../outbox/worker.js';
import type { ServiceContext } from '../services/context.js';
import { combinedNoticeText, ticketNoticeText, ticketTitle } from '../services/notices.js';
import { getSubmissionView } from '../services/queries.js';
import { loadSubmission } from '../services/submissions.js';
import { submissionCard } from './blocks/card.js';
import { earlyAdopterAnnouncement, noticeMessage, threadReply } from './blocks/notices.js';

export function createRenderer(ctx: ServiceContext): MessageRenderer {
  /**
   * A held delay notice says what is true when it goes out: with the staff's explanation if they gave one
   * during the hold, and not at all if the ticket is no longer delayed.
   */
  const delayText = (payload: OutboxPayload): Mrkdwn | null => {
    const ticketId = payload.ticketIds?.[0];
    if (payload.topic !== 'delayed' || ticketId === undefined) return payload.text;
    const ticket = findTicket(ctx.db, ticketId);
    if (ticket?.state.status !== 'delayed') return null;
    const { submission, product } = loadSubmission(ctx.db, ticket.submissionId);
    return ticketNoticeText('delayed', ticketTitle(product, submission, ticket), ticket.state);
  };

  return {
    card: (submissionId) => submissionCard(getSubmissionView(ctx, submissionId)),
    threadReply,
    notice: (row): RenderedMessage | null => {
      const payload = row.payload;
      if (payload.topic === 'early_adopter_announcement' && row.submissionId !== null) {
        // The platforms in staged rollout now, less those that joined after a first attempt (Slack failed, and
        // this is a retry): they have a message of their own, and early adopters must not be told twice.
        const view = getSubmissionView(ctx, row.submissionId);
        const own = ticketsWithOwnRolloutMessage(ctx.db, row.submissionId);
        const platforms = view.tickets
          .filter((t) => isInStagedRollout(t.state) && !own.has(t.id))
          .map((t) => t.platform);
        // None left (rejected, superseded before it went out): nothing to install.
        return platforms.length > 0 ? earlyAdopterAnnouncement(view, platforms) : null;
      }
      if (payload.topic === 'early_adopter_platform_added' && row.submissionId !== null) {
        const view = getSubmissionView(ctx, row.submissionId);
        const ticket = view.tickets.find((t) => t.id === payload.ticketIds?.[0]);
        if (!ticket || !isInStagedRollout(ticket.state)) return null;
        return earlyAdopterAnnouncement(view, [ticket.platform], { added: true });
      }
      if (payload.topic === 'combined' && payload.parts) {
        const lines = payload.parts.map(delayText).filter((line): line is Mrkdwn => line !== null);
        // A delay resolved since the check is neither shown nor counted, listed or not.
        const unlisted = payload.unlistedDelayed ?? [];
        const resolved =
          payload.parts.length - lines.length + unlisted.length - countDelayedTickets(ctx.db, unlisted);
        const total = (payload.total ?? payload.parts.length) - resolved;
        if (total <= 0) return null;
        return noticeMessage(combinedNoticeText(lines, total), undefined);
      }
      const text = delayText(payload);
      return text === null ? null : noticeMessage(text, payload.submissionId);
    },
  };
}
