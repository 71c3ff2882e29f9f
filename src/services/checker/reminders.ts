/**
 * The delay checker's reminders, each sent once for the clock it is about: early warnings before a limit,
 * "no early-adopter report yet" during staged rollout, and "still waiting for you" to providers.
 */
import type { DB } from '../../db/index.js';
import type { NewOutboxRow } from '../../db/repositories/outbox.js';
import {
  listSubmissionsToWarn,
  listSubmissionsWaitingSince,
  markSubmissionReminded,
  markSubmissionWarned,
} from '../../db/repositories/submissions.js';
import {
  listSilentStagedRollouts,
  listTicketsToWarn,
  listTicketsWaitingSince,
  markSilenceWarned,
  markTicketReminded,
  markTicketWarned,
} from '../../db/repositories/tickets.js';
import {
  calendarBefore,
  describeDuration,
  formatLocal,
  warningHorizon,
  workingDaysBefore,
} from '../../domain/deadlines.js';
import { formatSubmissionId, formatTicketId } from '../../domain/ids.js';
import { TICKET_TABLE } from '../../domain/ticket-machine.js';
import { md } from '../../mrkdwn.js';
import type { ServiceContext } from '../context.js';
import { clause, outboxRowsFor, releaseTitle, ticketTitle } from '../notices/index.js';
import { loadSubmission } from '../submissions.js';

const DAY = 86_400_000;

export interface ReminderCounts {
  warnings: number;
  earlyAdopterSilence: number;
  waitingReminders: number;
}

export function queueReminders(
  ctx: ServiceContext,
  tx: DB,
  at: Date,
  queue: (rows: NewOutboxRow[]) => void,
): ReminderCounts {
  const counts: ReminderCounts = { warnings: 0, earlyAdopterSilence: 0, waitingReminders: 0 };
  const { policy, rules } = ctx;
  const zone = rules.timeZone;
  const local = (when: Date) => formatLocal(when, zone);

  if (policy.individualWarnings && policy.warningLead) {
    const lead = policy.warningLead;
    // Candidates by index (deadline within lead + a day of slack), then the exact wall-clock test.
    const upTo = new Date(at.getTime() + lead.as('milliseconds') + 2 * DAY);
    for (const ticket of listTicketsToWarn(tx, at, upTo)) {
      const deadline = ticket.state.deadline;
      if (!deadline || calendarBefore(deadline, lead, zone) > at) continue;
      const { submission, product } = loadSubmission(tx, ticket.submissionId);
      queue(
        outboxRowsFor({
          changeKey: `${formatTicketId(ticket.id)}:warning-${deadline.toISOString()}`,
          product,
          submission,
          ticketIds: [ticket.id],
          notices: [{ audience: 'umd_channel', topic: 'deadline_warning' }],
          textOf: () =>
            md`${ticketTitle(product, submission, ticket)} has been ${TICKET_TABLE[ticket.state.status].label} since ${local(ticket.state.enteredAt)}; its limit passes ${local(deadline)}, in ${describeDuration(lead)} or less.`,
        }),
      );
      markTicketWarned(tx, ticket.id, deadline);
      counts.warnings++;
    }
  }

  if (policy.individualWarnings && policy.injectionWarningWorkingDays > 0) {
    const days = policy.injectionWarningWorkingDays;
    // Candidates by index, up to the last deadline that can be this close; then the exact working-day test,
    // counted once per deadline (those of one day's submissions are the same midnight).
    const upTo = warningHorizon(at, days, rules.calendar, zone);
    const warnFrom = new Map<number, number>();
    for (const submission of listSubmissionsToWarn(tx, at, upTo)) {
      const deadline = submission.state.deadline;
      if (!deadline) continue;
      let from = warnFrom.get(deadline.getTime());
      if (from === undefined) {
        from = workingDaysBefore(deadline, days, rules.calendar, zone).getTime();
        warnFrom.set(deadline.getTime(), from);
      }
      if (from > at.getTime()) continue;
      const { product } = loadSubmission(tx, submission.id);
      queue(
        outboxRowsFor({
          changeKey: `${formatSubmissionId(submission.id)}:warning-${deadline.toISOString()}`,
          product,
          submission,
          notices: [{ audience: 'umd_channel', topic: 'injection_warning' }],
          textOf: () =>
            md`${releaseTitle(product, submission)} (${formatSubmissionId(submission.id)}) must be injected by ${local(deadline)}: ${days} working day${days === 1 ? '' : 's'} left.`,
        }),
      );
      markSubmissionWarned(tx, submission.id, deadline);
      counts.warnings++;
    }
  }

  if (policy.individualWarnings && policy.earlyAdopterSilence) {
    const silence = policy.earlyAdopterSilence;
    for (const ticket of listSilentStagedRollouts(tx, calendarBefore(at, silence, zone))) {
      const { submission, product } = loadSubmission(tx, ticket.submissionId);
      const sites = product.earlyAdopterSites.length
        ? ` Candidate sites: ${product.earlyAdopterSites.join(', ')}.`
        : '';
      queue(
        outboxRowsFor({
          changeKey: `${formatTicketId(ticket.id)}:ea-silence-${ticket.state.enteredAt.toISOString()}`,
          product,
          submission,
          ticketIds: [ticket.id],
          notices: [{ audience: 'umd_channel', topic: 'early_adopter_silence' }],
          textOf: () =>
            md`No early adopter has reported on ${ticketTitle(product, submission, ticket)} since its staged rollout started ${local(ticket.state.enteredAt)}. Without a report it misses the next release.${sites}`,
        }),
      );
      markSilenceWarned(tx, ticket.id, ticket.state.enteredAt);
      counts.earlyAdopterSilence++;
    }
  }

  if (policy.waitingReminder) {
    const since = calendarBefore(at, policy.waitingReminder, zone);
    const waited = describeDuration(policy.waitingReminder);
    for (const ticket of listTicketsWaitingSince(tx, since)) {
      const { submission, product } = loadSubmission(tx, ticket.submissionId);
      queue(
        outboxRowsFor({
          changeKey: `${formatTicketId(ticket.id)}:waiting-reminder-${ticket.state.enteredAt.toISOString()}`,
          product,
          submission,
          ticketIds: [ticket.id],
          notices: [{ audience: 'product_team', topic: 'waiting_reminder' }],
          textOf: () =>
            md`Reminder: ${ticketTitle(product, submission, ticket)} has waited for you for over ${waited} (since ${local(ticket.state.enteredAt)}). The UMD team needs: ${clause(ticket.state.reason)}.`,
        }),
      );
      markTicketReminded(tx, ticket.id, ticket.state.enteredAt);
      counts.waitingReminders++;
    }
    for (const submission of listSubmissionsWaitingSince(tx, since)) {
      const { product } = loadSubmission(tx, submission.id);
      queue(
        outboxRowsFor({
          changeKey: `${formatSubmissionId(submission.id)}:waiting-reminder-${submission.state.enteredAt.toISOString()}`,
          product,
          submission,
          notices: [{ audience: 'product_team', topic: 'waiting_reminder' }],
          textOf: () =>
            md`Reminder: ${releaseTitle(product, submission)} (${formatSubmissionId(submission.id)}) has waited for you for over ${waited} (since ${local(submission.state.enteredAt)}). The UMD team needs: ${clause(submission.state.reason)}.`,
        }),
      );
      markSubmissionReminded(tx, submission.id, submission.state.enteredAt);
      counts.waitingReminders++;
    }
  }
  return counts;
}
