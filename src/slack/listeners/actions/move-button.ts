import type { BlockButtonAction } from '@slack/bolt';
import { hasWorksReport } from '../../../domain/early-adopter-reports.js';
import { formatSubjectId, formatTicketId } from '../../../domain/ids.js';
import { getSubmissionView, precheckMove, requestCardRefresh } from '../../../services/index.js';
import { releaseHeadline } from '../../blocks/card.js';
import { md } from '../../blocks/kit.js';
import { moveModal } from '../../blocks/modals.js';
import {
  callerFor,
  clickReplier,
  refusalText,
  type SlackDeps,
  STAFF_UNKNOWN_MESSAGE,
  userMessage,
} from '../../deps.js';
import {
  decodeTarget,
  MOVE_ACTION_PATTERN,
  MOVE_LABELS,
  moveApplies,
  moveFromActionId,
} from '../../moves.js';
import type { Listeners } from '../../router.js';

/**
 * A move button on a card. Before the modal opens, the move is checked against the version the card showed:
 * a non-staff click, a click on an outdated card, or a move no longer allowed is refused at once (and
 * recorded), and an outdated card is refreshed.
 */
export function registerMoveButtons(app: Listeners, deps: SlackDeps): void {
  app.action<BlockButtonAction>(MOVE_ACTION_PATTERN, async ({ action, body, ack, client, respond }) => {
    await ack();
    const event = moveFromActionId(action.action_id);
    const target = decodeTarget(action.value);
    const tell = clickReplier(deps, respond);
    if (!event || !target || !moveApplies(event, target.subject)) {
      deps.logger.warn({ action: action.action_id, value: action.value }, 'unreadable move button');
      await tell(
        'This button is from an older version of cmd-bot. Use `/cmd-status` to see the current state.',
      );
      return;
    }
    if (deps.staff.check(body.user.id) === 'unknown') {
      await tell(STAFF_UNKNOWN_MESSAGE);
      return;
    }
    try {
      const caller = callerFor(deps, body.user.id);
      const check = precheckMove(deps.ctx, target.subject, event, target.version, caller);
      if (check.outcome === 'refused') {
        await tell(refusalText(check.refusal));
        if (check.refusal.kind === 'outdated') {
          requestCardRefresh(deps.ctx, target.subject);
          deps.outbox.wake();
        }
        return;
      }
      if (check.outcome === 'repeated') {
        await tell(md`You already did this: ${MOVE_LABELS[event]} on ${formatSubjectId(target.subject)}.`);
        return;
      }
      const view = getSubmissionView(deps.ctx, check.submissionId);
      const ticket =
        target.subject.kind === 'ticket' ? view.tickets.find((t) => t.id === target.subject.id) : undefined;
      const title = ticket
        ? md`${formatTicketId(ticket.id)} ${releaseHeadline(view)} on ${ticket.platform}`
        : md`${formatSubjectId(target.subject)} ${releaseHeadline(view)}`;
      await client.views.open({
        trigger_id: body.trigger_id,
        view: moveModal({
          target,
          event,
          title,
          platforms: view.submission.platforms,
          // A warning only: whether it had a report is decided again when the move is made.
          ...(event === 'mark_ready' && ticket && !hasWorksReport(view.reports, ticket.id)
            ? { noWorksReportOn: ticket.platform }
            : {}),
          qcCriteria: deps.ctx.qcCriteria,
        }),
      });
    } catch (error) {
      await tell(userMessage(deps, error, `button ${action.action_id}`));
    }
  });
}
