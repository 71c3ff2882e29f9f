/** What `cmd-bot status` prints: the submission view as text or JSON. */

import { reportDetails } from '../../domain/early-adopter-reports.js';
import { formatSubjectId, formatSubmissionId, formatTicketId, type SubjectId } from '../../domain/ids.js';
import { SUBMISSION_TABLE } from '../../domain/submission-machine.js';
import { TICKET_TABLE } from '../../domain/ticket-machine.js';
import { getStatus, type SubmissionView } from '../../services/index.js';
import type { StatusOptions } from '../commands/status.js';
import { bothTimes, indent, listText, localIso, localTime, table, utcTime } from '../format.js';
import { out, printJson } from '../io.js';
import { withReadOnlyRuntime } from '../runtime.js';

const submissionLabel = (status: string) =>
  SUBMISSION_TABLE[status as keyof typeof SUBMISSION_TABLE]?.label ?? status;
const ticketLabel = (status: string) => TICKET_TABLE[status as keyof typeof TICKET_TABLE]?.label ?? status;

/** The view as JSON: ids as SUB-/TKT-, dates as ISO strings, deadlines also in the team's zone. */
export function statusJson(view: SubmissionView, asked: SubjectId, zone: string) {
  const { submission, product } = view;
  return {
    asked: formatSubjectId(asked),
    id: formatSubmissionId(submission.id),
    product: product.name,
    version: submission.version,
    distribution: submission.distribution,
    security: submission.security,
    status: submission.state.status,
    statusLabel: submissionLabel(submission.state.status),
    releaseNotes: submission.releaseNotes,
    comment: submission.comment,
    submittedBy: submission.submittedBy,
    submittedAt: submission.submittedAt.toISOString(),
    platforms: submission.platforms,
    packagesByPlatform: submission.packagesByPlatform,
    descriptorWarnings: submission.descriptorWarnings,
    descriptor: submission.descriptor,
    injectionDeadline: submission.state.deadline?.toISOString() ?? null,
    injectionDeadlineLocal: localIso(submission.state.deadline, zone),
    injectionOverdueAt: submission.injectionOverdueAt?.toISOString() ?? null,
    timeZone: zone,
    tickets: view.tickets.map((ticket) => ({
      id: formatTicketId(ticket.id),
      platform: ticket.platform,
      status: ticket.state.status,
      statusLabel: ticketLabel(ticket.state.status),
      deadline: ticket.state.deadline?.toISOString() ?? null,
      deadlineLocal: localIso(ticket.state.deadline, zone),
      assignee: ticket.assignee,
      packages: ticket.packages,
      delayedFrom: ticket.state.delayedFrom,
      delayExplanation: ticket.state.delayExplanation,
      reason: ticket.state.reason,
      verificationReportUrl: ticket.state.verificationReportUrl,
      stagedRolloutReportUrl: ticket.state.stagedRolloutReportUrl,
      qcResults: ticket.qcResults,
      readyWithoutWorksReport: ticket.readyWithoutWorksReport,
    })),
    reports: view.reports.map((report) => ({
      ticket: formatTicketId(report.ticketId),
      site: report.site,
      platform: report.platform,
      listedSite: report.listedSite,
      outcome: report.outcome,
      reporter: report.reporter,
      installKind: report.installKind,
      upgradedFrom: report.upgradedFrom,
      tested: report.tested,
      details: report.details,
      workaround: report.workaround,
      at: report.at.toISOString(),
    })),
    history: view.history.map((entry) => ({
      at: entry.at.toISOString(),
      subject: entry.subject,
      actor: entry.actor,
      event: entry.event,
      from: entry.fromStatus,
      to: entry.toStatus,
      reason: entry.reason,
    })),
  };
}

export function statusText(view: SubmissionView, asked: SubjectId, zone: string): string {
  const { submission, product } = view;
  const lines: string[] = [];
  const askedTicket = asked.kind === 'ticket' ? view.tickets.find((t) => t.id === asked.id) : undefined;
  if (askedTicket) {
    lines.push(
      `${formatTicketId(askedTicket.id)} is the ${askedTicket.platform} ticket of ${formatSubmissionId(submission.id)}.`,
      '',
    );
  }
  const status = submission.state.status;
  const deadline = submission.state.deadline;
  const deadlineNote =
    status === 'waiting_for_provider'
      ? ' (paused while waiting for the provider)'
      : submission.injectionOverdueAt
        ? ' (overdue)'
        : '';
  const field = (name: string, value: string) => `${`${name}:`.padEnd(18)}${value}`;
  lines.push(
    `${formatSubmissionId(submission.id)}  ${product.name} ${submission.version}`,
    field('product', product.name),
    field('version', submission.version),
    field('distribution', submission.distribution),
    field('security', submission.security ? 'yes' : 'no'),
    field('status', submissionLabel(status)),
    field(
      'injection due',
      status === 'open' || status === 'waiting_for_provider'
        ? `${bothTimes(deadline, zone)}${deadlineNote}`
        : '-',
    ),
    field('submitted', `${utcTime(submission.submittedAt)} by ${submission.submittedBy}`),
    field('release notes', submission.releaseNotes),
  );
  if (submission.comment) lines.push(field('comment', submission.comment));
  if (view.descriptor) {
    const facts = view.descriptor;
    const known = [
      ['provider', facts.technologyProvider],
      ['contact', [facts.contact, facts.technicalContact].filter(Boolean).join(' / ') || null],
      ['capabilities', facts.capabilities.join(', ') || null],
      ['extra OS repos', facts.extraOSRepos.join(', ') || null],
      ['changelog', facts.changeLog],
      ['documentation', facts.documentationLinks.join(' ') || null],
    ] as const;
    for (const [name, value] of known) if (value) lines.push(field(name, value));
    for (const target of facts.targets) {
      if (target.repositoryURL) lines.push(field(`repo ${target.platform}`, target.repositoryURL));
    }
  }
  if (submission.descriptorWarnings.length > 0) {
    lines.push('', 'Descriptor warnings', ...submission.descriptorWarnings.map((warning) => `  ${warning}`));
  }
  lines.push('', 'Packages');
  for (const platform of submission.platforms) {
    lines.push(`  ${platform}: ${listText(submission.packagesByPlatform[platform] ?? [])}`);
  }

  lines.push('', 'Tickets');
  if (view.tickets.length === 0) {
    lines.push('  none yet (the submission is not injected)');
  } else {
    const localHeader = zone === 'UTC' ? [] : [`DEADLINE (${zone})`];
    lines.push(
      indent(
        table(
          ['ID', 'PLATFORM', 'STATUS', 'DEADLINE (UTC)', ...localHeader, 'NOTE'],
          view.tickets.map((ticket) => {
            const at = ticket.state.deadline;
            const local = zone === 'UTC' ? [] : [localTime(at, zone)];
            const note =
              ticket.state.status === 'delayed' || ticket.state.delayExplanation
                ? ticket.state.delayExplanation
                : ticket.state.reason;
            return [
              formatTicketId(ticket.id),
              ticket.platform,
              ticketLabel(ticket.state.status),
              utcTime(at),
              ...local,
              note,
            ];
          }),
        ),
      ),
    );
  }

  lines.push('', 'Early-adopter reports');
  if (view.reports.length === 0) {
    lines.push('  none');
  } else {
    lines.push(
      indent(
        table(
          ['TIME (UTC)', 'TICKET', 'SITE', 'OUTCOME', 'REPORTER', 'DETAILS'],
          view.reports.map((report) => [
            utcTime(report.at),
            formatTicketId(report.ticketId),
            report.site,
            report.outcome,
            report.reporter,
            reportDetails(report).join('; '),
          ]),
        ),
      ),
    );
  }

  lines.push('', 'History');
  lines.push(
    indent(
      table(
        ['TIME (UTC)', 'SUBJECT', 'ACTOR', 'EVENT', 'FROM → TO', 'REASON'],
        view.history.map((entry) => [
          utcTime(entry.at),
          entry.subject,
          entry.actor,
          entry.event,
          entry.fromStatus || entry.toStatus ? `${entry.fromStatus ?? '-'} → ${entry.toStatus ?? '-'}` : '-',
          entry.reason,
        ]),
      ),
    ),
  );
  return lines.join('\n');
}

export async function runStatus(subject: SubjectId, options: StatusOptions): Promise<void> {
  await withReadOnlyRuntime(({ ctx, timeZone }) => {
    const view = getStatus(ctx, subject);
    if (options.json) printJson(statusJson(view, subject, timeZone));
    else out(statusText(view, subject, timeZone));
  });
}
