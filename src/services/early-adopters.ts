/** Early-adopter sites report how a release behaves in production during staged rollout. */
import { appendHistory } from '../db/repositories/audit.js';
import { rememberSite } from '../db/repositories/cards.js';
import {
  countReport,
  type EarlyAdopterReport,
  findSameReport,
  insertEarlyAdopterReport,
  updateEarlyAdopterReport,
} from '../db/repositories/early-adopter-reports.js';
import { enqueue } from '../db/repositories/outbox.js';
import { listTicketsOfSubmission } from '../db/repositories/tickets.js';
import { formatSubmissionId, formatTicketId } from '../domain/ids.js';
import { isInStagedRollout } from '../domain/ticket-machine.js';
import { md, mention } from '../mrkdwn.js';
import { type Caller, type ServiceContext, transact } from './context.js';
import { InvalidInputError, RateLimitedError } from './errors.js';
import { cardUpdate } from './notices/index.js';
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
  /** The same person already sent this same report: only its time was brought up to date. */
  readonly repeated: boolean;
}

/** More early-adopter reports than this from one person in a minute are refused: nobody needs more. */
export const REPORTS_PER_MINUTE = 5;
const MINUTE_MS = 60_000;

/**
 * An early adopter's report on one platform of a release in staged rollout. One report counts per person, site,
 * ticket and outcome: sending it again updates it in place (with its time), and tells the card only when what it
 * says changed. A site that is not on the product's card is marked as such. More than REPORTS_PER_MINUTE reports
 * a minute from one person are refused, so that nobody can flood the card's thread.
 */
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
    if (countReport(tx, caller.userId, now, MINUTE_MS) > REPORTS_PER_MINUTE) {
      throw new RateLimitedError(
        `You sent more than ${REPORTS_PER_MINUTE} reports in a minute. Please wait a minute, then send yours again.`,
      );
    }
    const { submission, product } = loadSubmission(tx, input.submissionId);
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
    const listedSite = product.earlyAdopterSites.some(
      (card) => card.trim().toLowerCase() === site.toLowerCase(),
    );
    const same = { ticketId: ticket.id, reporter: caller.userId, site, outcome: input.outcome };
    const earlier = findSameReport(tx, same);
    if (earlier && earlier.details === details) {
      return {
        report: updateEarlyAdopterReport(tx, earlier.id, { site, details, at: now, listedSite }),
        repeated: true,
      };
    }

    rememberSite(tx, caller.userId, site, now);
    const report = earlier
      ? updateEarlyAdopterReport(tx, earlier.id, { site, details, at: now, listedSite })
      : insertEarlyAdopterReport(tx, { ...same, platform: ticket.platform, details, at: now, listedSite });
    const summary = input.outcome === 'works' ? 'installed, works' : `problem found: ${details}`;
    appendHistory(tx, {
      subjectType: 'ticket',
      subjectId: ticket.id,
      event: 'early_adopter_report',
      fromStatus: ticket.state.status,
      toStatus: ticket.state.status,
      actor: caller.userId,
      reason: `${site}${listedSite ? '' : ' (not on the card)'}: ${summary}`,
      at: now,
    });
    const from = md`${site}${listedSite ? '' : ', not on the card'}`;
    enqueue(
      tx,
      [
        cardUpdate(
          `EA-${report.id}:${now.getTime()}`,
          submission,
          md`${mention(caller.userId)} (${from}) ${earlier ? 'updated their report' : 'reports'} on ${formatTicketId(ticket.id)} ${ticket.platform}: ${summary}`,
        ),
      ],
      now,
    );
    return { report, repeated: false };
  });
}
