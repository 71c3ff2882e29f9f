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
import { INSTALL_KINDS, type InstallKind, installText, oneLine } from '../domain/early-adopter-reports.js';
import { formatSubmissionId, formatTicketId } from '../domain/ids.js';
import { LIMITS as INPUT_LIMITS } from '../domain/submission-input.js';
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
  /** A new installation or an upgrade; an upgrade says the version it came from. */
  readonly installKind: InstallKind;
  readonly upgradedFrom?: string | null;
  /** What the site tested. */
  readonly tested: string;
  /** What happened (a problem; required), or notes (works; optional). */
  readonly details?: string | null;
  /** How to work around the problem, if there is a way (a problem only). */
  readonly workaround?: string | null;
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
  const fields = reportFields(input);
  const { site } = fields;

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
    const change = { ...fields, at: now, listedSite };
    if (earlier && sameWords(earlier, fields)) {
      return { report: updateEarlyAdopterReport(tx, earlier.id, change), repeated: true };
    }

    rememberSite(tx, caller.userId, site, now);
    const report = earlier
      ? updateEarlyAdopterReport(tx, earlier.id, change)
      : insertEarlyAdopterReport(tx, { ...same, ...change, platform: ticket.platform });
    const summary = reportSummary(input.outcome, fields);
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

/** The longest text a report's fields take: what a Slack text input holds. */
const TEXT_MAX = 3000;

type ReportFields = Pick<
  EarlyAdopterReport,
  'site' | 'installKind' | 'upgradedFrom' | 'tested' | 'details' | 'workaround'
>;

/** The report's fields as stored (trimmed, empty as null), or every problem with them at once, by field. */
function reportFields(input: EarlyAdopterReportInput): ReportFields {
  const site = input.site.trim();
  const given = (value: string | null | undefined) => value?.trim() || null;
  const installKind = (INSTALL_KINDS as readonly string[]).includes(input.installKind)
    ? input.installKind
    : null;
  const upgradedFrom = given(input.upgradedFrom);
  const tested = given(input.tested);
  const details = given(input.details);
  const workaround = input.outcome === 'problem' ? given(input.workaround) : null;
  const tooLong = (field: string, what: string, value: string | null, max = TEXT_MAX) =>
    value && value.length > max ? { field, message: `${what} must be at most ${max} characters.` } : null;
  const problems = [
    input.outcome !== 'works' && input.outcome !== 'problem'
      ? { field: 'outcome', message: 'Say whether it works or a problem was found.' }
      : null,
    site === '' ? { field: 'site', message: 'Give the name of your site.' } : null,
    tooLong('site', 'The site name', site, 100),
    installKind === null
      ? { field: 'installKind', message: 'Say whether this was a new install or an upgrade.' }
      : null,
    installKind === 'upgrade' && !upgradedFrom
      ? { field: 'upgradedFrom', message: 'Give the version you upgraded from.' }
      : null,
    installKind === 'new' && upgradedFrom
      ? {
          field: 'upgradedFrom',
          message: 'A new install upgrades from no version: choose Upgrade, or leave this empty.',
        }
      : null,
    tooLong('upgradedFrom', 'The version upgraded from', upgradedFrom, INPUT_LIMITS.versionLength),
    tested ? null : { field: 'tested', message: 'Say what you tested.' },
    tooLong('tested', 'What you tested', tested),
    input.outcome === 'problem' && !details ? { field: 'details', message: 'Describe what happened.' } : null,
    tooLong('details', input.outcome === 'problem' ? 'What happened' : 'The notes', details),
    tooLong('workaround', 'The workaround', workaround),
  ].filter((problem) => problem !== null);
  if (problems.length > 0) throw new InvalidInputError(problems);
  return {
    site,
    installKind,
    upgradedFrom: installKind === 'upgrade' ? upgradedFrom : null,
    tested,
    details,
    workaround,
  };
}

/** Whether a report says what it said before (the site may be spelt in another case: it is the same site). */
function sameWords(earlier: EarlyAdopterReport, now: ReportFields): boolean {
  return (
    earlier.details === now.details &&
    earlier.installKind === now.installKind &&
    earlier.upgradedFrom === now.upgradedFrom &&
    earlier.tested === now.tested &&
    earlier.workaround === now.workaround
  );
}

/**
 * One line for the card's thread and the history: people's line breaks become spaces, so that one report stays
 * one line of the thread reply (at most 10 lines, see src/slack/blocks/notices.ts).
 */
function reportSummary(outcome: 'works' | 'problem', fields: ReportFields): string {
  const install = installText(fields) ?? 'new install';
  const tested = fields.tested ? `; tested: ${oneLine(fields.tested)}` : '';
  if (outcome === 'works') {
    return `installed, works (${install}${tested})${fields.details ? `; notes: ${oneLine(fields.details)}` : ''}`;
  }
  // The workaround first: a thread reply keeps the first 300 characters of a line.
  return `problem found${fields.workaround ? ` (workaround: ${oneLine(fields.workaround)})` : ''}: ${oneLine(
    fields.details ?? '',
  )} (${install}${tested})`;
}
