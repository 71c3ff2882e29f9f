/** `/cmd-status`: a release with its deadlines and full history, and `/cmd-list`: many at a glance. */

import type { Submission } from '../../db/repositories/submissions.js';
import { installText, oneLine } from '../../domain/early-adopter-reports.js';
import { formatSubmissionId, formatTicketId } from '../../domain/ids.js';
import { earlyAdopterKnownIssues, verificationKnownIssues } from '../../domain/known-issues.js';
import {
  criterionTitle,
  QC_RESULT_LABELS,
  QC_RESULTS,
  type QcResult,
  qcCounts,
} from '../../domain/quality-criteria.js';
import { SUBMISSION_EVENT_LABELS, SUBMISSION_TABLE } from '../../domain/submission-machine.js';
import { TICKET_EVENT_LABELS, TICKET_TABLE } from '../../domain/ticket-machine.js';
import type { ListRow, SubmissionView } from '../../services/queries.js';
import { descriptorBlocks, packagesSummary, releaseHeadline } from './card.js';
import {
  capBlocks,
  context,
  divider,
  header,
  type KnownBlock,
  LIMITS,
  linesWithin,
  link,
  type Mrkdwn,
  md,
  mention,
  message,
  type SlackMessage,
  section,
  sectionsOf,
  slackDate,
} from './kit.js';

const HISTORY_SHOWN = 25;

/** What history calls an event: a move by its button's name, the rest in words. */
const OTHER_EVENTS: Readonly<Record<string, string>> = {
  submit: 'Submitted',
  delay: 'Delayed by the delay check',
  injection_overdue: 'Injection limit passed',
  early_adopter_report: 'Early-adopter report',
};
const eventLabel = (event: string): string =>
  OTHER_EVENTS[event] ??
  (TICKET_EVENT_LABELS as Record<string, string>)[event] ??
  (SUBMISSION_EVENT_LABELS as Record<string, string>)[event] ??
  event.replace(/_/g, ' ');
const statusLabel = (status: string): string =>
  (TICKET_TABLE as Record<string, { label: string } | undefined>)[status]?.label ??
  (SUBMISSION_TABLE as Record<string, { label: string } | undefined>)[status]?.label ??
  status;

/**
 * One report: who, where, how it was installed, what happened, the workaround and what was tested, in that order,
 * as a line keeps its first 1,000 characters (the whole report is in `cmd-bot status --json` and the export).
 * Reports sent before the form asked for these show what they have.
 */
function reportLine(r: SubmissionView['reports'][number]): Mrkdwn {
  const install = installText(r);
  const said = r.details ? md`: ${oneLine(r.details)}` : '';
  const workaround = r.workaround ? md` — workaround: ${oneLine(r.workaround)}` : '';
  const tested = r.tested ? md` · tested: ${oneLine(r.tested)}` : '';
  return md`${r.outcome === 'works' ? '✅' : '⚠️'} ${r.site} (${r.platform}${r.listedSite ? '' : ', not on the card'}) by ${mention(r.reporter)}${install ? md` · ${install}` : ''}${said}${workaround}${tested}`;
}

/** Problems early adopters found a workaround for: known issues of the release (src/domain/known-issues.ts). */
function knownIssuesFromEarlyAdopters(reports: SubmissionView['reports']): KnownBlock[] {
  const issues = earlyAdopterKnownIssues(reports);
  if (issues.length === 0) return [];
  return [
    section(
      linesWithin(
        issues.map((issue) => md`• ${issue}`),
        (left) => `…and ${left} more known issues, not shown here`,
        { head: md`*Known issues from early adopters*` },
      ),
    ),
  ];
}

/** `18 OK · 1 Warning · 2 Not applicable`: the results given, and how many criteria had none. */
function qcCountsText(results: readonly QcResult[]): string {
  const counts = qcCounts(results);
  return [
    ...QC_RESULTS.filter((result) => counts[result] > 0).map(
      (result) => `${counts[result]} ${QC_RESULT_LABELS[result]}`,
    ),
    ...(counts.unanswered > 0 ? [`${counts.unanswered} not answered`] : []),
  ].join(' · ');
}

/** Each verified ticket's quality criteria: the counts, then every Warning, Fail and Not applicable with its note. */
function qcLines(tickets: SubmissionView['tickets']): Mrkdwn[] {
  return tickets.flatMap((ticket) => {
    const results = ticket.qcResults;
    if (!results) return [];
    const notable = results
      .filter((r) => r.result !== null && r.result !== 'ok')
      .map(
        (r) =>
          md`    ◦ ${r.result ? QC_RESULT_LABELS[r.result] : ''}: ${criterionTitle(r)}${r.critical ? ' (critical)' : ''}${r.note ? `: ${r.note}` : ''}`,
      );
    return [
      md`• *${formatTicketId(ticket.id)}* ${ticket.platform}: ${results.length === 0 ? 'none recorded' : qcCountsText(results)}`,
      ...notable,
    ];
  });
}

/** A release's status; with `earlier` (the product's earlier submissions, newest first), a line naming them. */
export function statusMessage(
  view: SubmissionView,
  earlier: readonly Pick<Submission, 'id' | 'version'>[] = [],
): SlackMessage & { blocks: KnownBlock[] } {
  const { submission, tickets, reports, history } = view;
  const id = formatSubmissionId(submission.id);
  const deadline =
    submission.state.status === 'open' && submission.state.deadline
      ? md` · injection due ${slackDate(submission.state.deadline)}`
      : '';
  const others = earlier.slice(0, 10).map((s) => `${formatSubmissionId(s.id)} (${s.version})`);
  const blocks: KnownBlock[] = [
    header(releaseHeadline(view)),
    ...(others.length > 0
      ? [context(md`Latest of ${earlier.length + 1}; earlier: ${others.join(', ')}`)]
      : []),
    section(
      md`*${id}* · ${SUBMISSION_TABLE[submission.state.status].label}${deadline}
*Release notes:* ${link(submission.releaseNotes)}
${packagesSummary(view)}`,
    ),
  ];
  blocks.push(...descriptorBlocks(view));
  if (tickets.length > 0) {
    blocks.push(
      section(
        linesWithin(
          tickets.map((t) => {
            const due =
              t.state.deadline && TICKET_TABLE[t.state.status].clock
                ? md`, due ${slackDate(t.state.deadline)}`
                : '';
            const why =
              t.state.status === 'delayed'
                ? t.state.delayExplanation
                : t.state.status === 'waiting_for_provider' ||
                    t.state.status === 'rejected' ||
                    t.state.status === 'superseded'
                  ? t.state.reason
                  : null;
            return md`• *${formatTicketId(t.id)}* ${t.platform}: *${TICKET_TABLE[t.state.status].label}*${due}${why ? ` — ${why}` : ''}`;
          }),
          (left) => `…and ${left} more tickets, not shown here`,
        ),
      ),
    );
  }
  const qc = qcLines(tickets);
  if (qc.length > 0) {
    blocks.push(
      section(
        linesWithin(qc, (left) => `…${left} more lines, not shown here`, {
          head: md`*Quality criteria*`,
        }),
      ),
    );
  }
  const knownIssues = verificationKnownIssues(tickets);
  if (knownIssues.length > 0) {
    blocks.push(
      section(
        linesWithin(
          knownIssues.map((issue) => md`• ${issue.text} (${issue.ticketIds.map(formatTicketId).join(', ')})`),
          (left) => `…and ${left} more known issues, not shown here`,
          { head: md`*Known issues from verification*` },
        ),
      ),
    );
  }
  if (reports.length > 0) {
    blocks.push(
      section(
        linesWithin(reports.map(reportLine), (left) => `…${left} earlier reports, not shown here`, {
          head: md`*Early-adopter reports*`,
          keep: 'last',
        }),
      ),
    );
  }
  blocks.push(...knownIssuesFromEarlyAdopters(reports));
  blocks.push(
    divider,
    section(
      linesWithin(
        history.map(
          (h) =>
            md`${slackDate(h.at)} · ${h.subject} · ${mention(h.actor)} · ${eventLabel(h.event)}${
              h.fromStatus && h.toStatus && h.fromStatus !== h.toStatus
                ? ` (${statusLabel(h.fromStatus)} → ${statusLabel(h.toStatus)})`
                : ''
            }${h.reason ? `: ${h.reason}` : ''}`,
        ),
        (left) => `…${left} earlier entries, not shown here`,
        { head: md`*History*`, keep: 'last', count: HISTORY_SHOWN },
      ),
    ),
  );
  return message(
    md`${submission.security ? '[SECURITY] ' : ''}${id}: ${SUBMISSION_TABLE[submission.state.status].label}`,
    capBlocks(blocks, LIMITS.messageBlocks, (n) => `${n} more blocks left out`),
  );
}

const LIST_SHOWN = 40;

export function listMessage(title: string, rows: readonly ListRow[]): SlackMessage {
  if (rows.length === 0) return message(md`${title}: nothing`, [section(md`*${title}*: nothing to show.`)]);
  const lines = rows.slice(0, LIST_SHOWN).map((row) => {
    const clocked =
      row.kind === 'submission'
        ? row.status === 'open'
        : ['unverified', 'verification', 'staged_rollout'].includes(row.status);
    return md`${row.security ? '🚨 ' : ''}*${row.id}* ${row.product} ${row.version}${row.platform ? ` ${row.platform}` : ''} · ${row.statusLabel}${
      row.deadline && clocked ? md` · due ${slackDate(row.deadline)}` : ''
    }${row.overdue ? md` · *overdue*` : ''}`;
  });
  const blocks: KnownBlock[] = [section(md`*${title}* (${rows.length})`)];
  blocks.push(...sectionsOf(lines));
  if (rows.length > LIST_SHOWN)
    blocks.push(
      context(`and ${rows.length - LIST_SHOWN} more: narrow it with \`/cmd-list STATUS\` or use the CLI.`),
    );
  return message(md`${title}: ${rows.length}`, blocks);
}
