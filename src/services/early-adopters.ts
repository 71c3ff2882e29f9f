/** Early-adopter sites report how a release behaves in production during staged rollout. */
import { appendHistory } from '../db/repositories/audit.js';
import { rememberSite } from '../db/repositories/cards.js';
import {
  type EarlyAdopterReport,
  insertEarlyAdopterReport,
  reportsOfSubmission,
} from '../db/repositories/early-adopter-reports.js';
import { enqueue } from '../db/repositories/outbox.js';
import { listTicketsOfSubmission } from '../db/repositories/tickets.js';
import { formatSubmissionId, formatTicketId } from '../domain/ids.js';
import { isInStagedRollout } from '../domain/ticket-machine.js';
import { md, mention } from '../mrkdwn.js';
import { type Caller, type ServiceContext, transact } from './context.js';
import { InvalidInputError } from './errors.js';
import { cardUpdate } from './notices.js';
import { loadSubmission } from './submissions.js';

export interface EarlyAdopterReportInput {
  readonly submissionId: number;
  readonly platform: string;
  readonly site: string;
  readonly outcome: 'works' | 'problem';
  readonly details?: string | null;
}

export interface RecordedReport {
  readonly report: EarlyAdopterReport;
  /** The same person already sent this same report: it was not stored twice. */
  readonly repeated: boolean;
}

export function recordEarlyAdopterReport(
  ctx: ServiceContext,
  input: EarlyAdopterReportInput,
  caller: Caller,
): RecordedReport {
  const site = input.site.trim();
  const details = input.details?.trim() || null;
  const problems = [
    input.outcome !== 'works' && input.outcome !== 'problem'
      ? { field: 'outcome', message: 'Say whether it works or a problem was found.' }
      : null,
    site === '' ? { field: 'site', message: 'Give the name of your site.' } : null,
    site.length > 100 ? { field: 'site', message: 'The site name must be at most 100 characters.' } : null,
    input.outcome === 'problem' && !details
      ? { field: 'details', message: 'Describe the problem you found, and any workaround.' }
      : null,
    details && details.length > 3000
      ? { field: 'details', message: 'The details must be at most 3000 characters.' }
      : null,
  ].filter((problem) => problem !== null);
  if (problems.length > 0) throw new InvalidInputError(problems);

  return transact(ctx, (tx, now) => {
    const { submission } = loadSubmission(tx, input.submissionId);
    const inRollout = listTicketsOfSubmission(tx, submission.id).filter((ticket) =>
      isInStagedRollout(ticket.state),
    );
    const ticket = inRollout.find((candidate) => candidate.platform === input.platform);
    if (!ticket) {
      const open = inRollout.map((candidate) => candidate.platform);
      throw new InvalidInputError([
        {
          field: 'platform',
          message:
            open.length > 0
              ? `${formatSubmissionId(submission.id)} is in staged rollout on ${open.join(', ')}, not on ${input.platform}.`
              : `${formatSubmissionId(submission.id)} is not in staged rollout any more, so it takes no reports.`,
        },
      ]);
    }
    const earlier = reportsOfSubmission(tx, submission.id).find(
      (report) =>
        report.ticketId === ticket.id &&
        report.reporter === caller.userId &&
        report.site === site &&
        report.outcome === input.outcome &&
        report.details === details,
    );
    if (earlier) return { report: earlier, repeated: true };

    rememberSite(tx, caller.userId, site, now);
    const report = insertEarlyAdopterReport(tx, {
      ticketId: ticket.id,
      reporter: caller.userId,
      site,
      platform: ticket.platform,
      outcome: input.outcome,
      details,
      at: now,
    });
    const summary = input.outcome === 'works' ? 'installed, works' : `problem found: ${details}`;
    appendHistory(tx, {
      subjectType: 'ticket',
      subjectId: ticket.id,
      event: 'early_adopter_report',
      fromStatus: ticket.state.status,
      toStatus: ticket.state.status,
      actor: caller.userId,
      reason: `${site}: ${summary}`,
      at: now,
    });
    enqueue(
      tx,
      [
        cardUpdate(
          `EA-${report.id}`,
          submission,
          md`${mention(caller.userId)} (${site}) reports on ${formatTicketId(ticket.id)} ${ticket.platform}: ${summary}`,
        ),
      ],
      now,
    );
    return { report, repeated: false };
  });
}
