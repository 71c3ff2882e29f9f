/**
 * The living card of a submission in the UMD channel: what was submitted, each ticket with its status and
 * deadline, the early-adopter reports, and buttons for the moves allowed right now. It is rebuilt from the
 * database and edited in place after every change.
 */
import { reportsByPlatform, type SiteOfReport } from '../../domain/early-adopter-reports.js';
import { formatSubmissionId, formatTicketId } from '../../domain/ids.js';
import { movesForActor } from '../../domain/machine.js';
import type { Actor } from '../../domain/roles.js';
import { SUBMISSION_TABLE } from '../../domain/submission-machine.js';
import { isInStagedRollout, TICKET_TABLE, ticketMovesOf } from '../../domain/ticket-machine.js';
import type { SubmissionView } from '../../services/queries.js';
import { encodeTarget, MOVE_LABELS, type MoveEvent, moveActionId } from '../moves.js';
import {
  button,
  capBlocks,
  context,
  divider,
  header,
  joinMd,
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
  shortList,
  slackDate,
} from './kit.js';

/** Buttons are drawn for what staff may do; whoever clicks is checked again on the server. */
const STAFF_VIEW: Actor = { id: 'card', roles: ['staff'] };
const MAX_TICKETS_SHOWN = 12;
/** Sites named in each list of a platform's summary; the rest are counted. */
const SITES_SHOWN = 6;

const DANGER: ReadonlySet<MoveEvent> = new Set(['reject', 'fail_verification']);
const PRIMARY: ReadonlySet<MoveEvent> = new Set([
  'inject',
  'start_verification',
  'pass_verification',
  'mark_ready',
]);

function moveButtons(events: readonly MoveEvent[], target: Parameters<typeof encodeTarget>[0]) {
  return events.map((event) =>
    button(
      MOVE_LABELS[event],
      moveActionId(event),
      encodeTarget(target),
      DANGER.has(event) ? 'danger' : PRIMARY.has(event) ? 'primary' : undefined,
    ),
  );
}

export function releaseHeadline(view: Pick<SubmissionView, 'submission' | 'product'>): Mrkdwn {
  const { submission, product } = view;
  return md`${submission.security ? '🚨 SECURITY · ' : ''}${product.name} ${submission.version} · ${submission.distribution}`;
}

export function packagesSummary(view: Pick<SubmissionView, 'submission'>): Mrkdwn {
  const lists = Object.entries(view.submission.packagesByPlatform);
  const same = lists.every(([, list]) => JSON.stringify(list) === JSON.stringify(lists[0]?.[1]));
  if (same && lists[0]) return md`*Packages (${lists[0][1].length}):* ${shortList(lists[0][1], 15, 1200)}`;
  return joinMd(
    lists.map(
      ([platform, list]) => md`*Packages for ${platform} (${list.length}):* ${shortList(list, 10, 600)}`,
    ),
    '\n',
  );
}

const siteName = (site: SiteOfReport) =>
  site.listedSite ? md`${site.site}` : md`${site.site} (not on the card)`;

/**
 * A line per platform in staged rollout or later (and any other with reports): the sites where it works and the
 * sites that found problems, `el9/x86_64: works at SITE-A, SITE-B · problems at SITE-C (workaround given)`.
 * Each report is in the thread and in `/cmd-status` (in full in `cmd-bot status --json` and the export).
 */
function earlyAdopterSummary(view: Pick<SubmissionView, 'tickets' | 'reports'>): Mrkdwn[] {
  const shown = view.tickets.filter(
    (ticket) =>
      isInStagedRollout(ticket.state) ||
      ticket.state.status === 'ready' ||
      ticket.state.status === 'released' ||
      view.reports.some((report) => report.ticketId === ticket.id),
  );
  return reportsByPlatform(shown, view.reports).map(({ platform, works, problems }) => {
    const parts = [
      works.length > 0 ? md`works at ${shortList(works.map(siteName), SITES_SHOWN, 600)}` : null,
      problems.length > 0
        ? md`problems at ${shortList(
            problems.map((site) =>
              site.workaround ? md`${siteName(site)} (workaround given)` : siteName(site),
            ),
            SITES_SHOWN,
            600,
          )}`
        : null,
    ].filter((part) => part !== null);
    return md`*${platform}:* ${parts.length > 0 ? joinMd(parts, ' · ') : 'no reports yet'}`;
  });
}

export const DESCRIPTOR_ACTION = 'descriptor:export';
const DESCRIPTOR_BUTTON_LABEL = 'UMD5 descriptor';

/** What the UMD5 descriptor says beyond the release itself: who provides it, and what installing it needs. */
function descriptorLines(view: Pick<SubmissionView, 'descriptor'>): Mrkdwn[] {
  const facts = view.descriptor;
  if (!facts) return [];
  const contacts = [facts.contact, facts.technicalContact].filter((c, i, all) => c && all.indexOf(c) === i);
  const about = [
    facts.technologyProvider ? md`*Provider:* ${facts.technologyProvider}` : null,
    contacts.length > 0 ? md`*Contact:* ${contacts.join(', ')}` : null,
    facts.capabilities.length > 0 ? md`*Capabilities:* ${shortList(facts.capabilities, 6, 300)}` : null,
    facts.changeLog ? link(facts.changeLog, 'changelog') : null,
  ].filter((part) => part !== null);
  return [
    md`📄 From a UMD5 descriptor${about.length > 0 ? md` · ${joinMd(about, ' · ')}` : ''}`,
    ...installLines(facts),
  ];
}

const WARNINGS_HEAD = md`*The descriptor needs a look:*`;

/**
 * What the release's UMD5 descriptor says, and what its reader warned about: with `more` (the card), at most 8
 * warnings and then `more`; without it (`/cmd-status`), every warning, in as many sections as they need.
 */
export function descriptorBlocks(
  view: Pick<SubmissionView, 'descriptor' | 'submission'>,
  more?: (left: number) => Mrkdwn,
): KnownBlock[] {
  const described = descriptorLines(view);
  const warnings = view.submission.descriptorWarnings;
  const warningLines = warnings.map((warning) => md`⚠️ ${warning}`);
  return [
    ...(described.length > 0 ? [context(joinMd(described, '\n'))] : []),
    ...(warnings.length === 0
      ? []
      : more
        ? [section(linesWithin(warningLines, more, { head: WARNINGS_HEAD, count: 8 }))]
        : sectionsOf([WARNINGS_HEAD, ...warningLines])),
  ];
}

/** Where each platform installs from: its repository, key, and the extra OS repositories it needs. */
export function installLines(facts: NonNullable<SubmissionView['descriptor']>): Mrkdwn[] {
  const extra = facts.extraOSRepos.length > 0 ? md` · needs OS repos ${facts.extraOSRepos.join(', ')}` : '';
  return facts.targets
    .filter((target) => target.repositoryURL)
    .slice(0, 6)
    .map(
      (target) =>
        md`*Install ${target.platform}* from \`${target.repositoryURL ?? ''}\`${target.gpgkey ? md` (key ${link(target.gpgkey, 'GPG')})` : ''}${extra}`,
    );
}

export function submissionCard(view: SubmissionView): SlackMessage {
  const { submission, product, tickets } = view;
  const id = formatSubmissionId(submission.id);
  const state = submission.state;
  const blocks: KnownBlock[] = [header(releaseHeadline(view))];

  const injection =
    state.status === 'open'
      ? md`due ${slackDate(state.deadline ?? submission.submittedAt)}${submission.injectionOverdueAt ? md` · *overdue*` : ''}`
      : state.status === 'waiting_for_provider'
        ? md`waiting for the provider: ${state.reason ?? ''} (clock paused)`
        : SUBMISSION_TABLE[state.status].label.toLowerCase();
  blocks.push(
    section(
      md`*${id}* · submitted by ${mention(submission.submittedBy)} ${slackDate(submission.submittedAt)}
*Injection:* ${injection}
*Release notes:* ${link(submission.releaseNotes)}${product.team ? md`\n*Team:* ${product.team}` : ''}`,
    ),
    section(packagesSummary(view)),
  );
  blocks.push(...descriptorBlocks(view, (left) => md`…and ${left} more: \`/cmd-status ${id}\``));
  if (submission.comment) blocks.push(context(md`💬 ${submission.comment}`));
  if (state.status === 'rejected' && state.reason) blocks.push(section(md`*Rejected:* ${state.reason}`));

  const submissionMoves = movesForActor(SUBMISSION_TABLE[state.status].moves, STAFF_VIEW);
  if (submissionMoves.length > 0) {
    blocks.push({
      type: 'actions',
      block_id: `submission:${id}`,
      elements: moveButtons(submissionMoves, {
        subject: { kind: 'submission', id: submission.id },
        version: state.version,
      }),
    });
  }
  // Not a move: for staff (checked on the click), the descriptor for the software-releases pull request.
  blocks.push({
    type: 'actions',
    block_id: `descriptor:${id}`,
    elements: [button(DESCRIPTOR_BUTTON_LABEL, DESCRIPTOR_ACTION, id)],
  });

  for (const ticket of tickets.slice(0, MAX_TICKETS_SHOWN)) {
    const t = ticket.state;
    const clock = t.deadline && TICKET_TABLE[t.status].clock ? md` · due ${slackDate(t.deadline)}` : '';
    const lines: Mrkdwn[] = [
      md`*${formatTicketId(ticket.id)}* · ${ticket.platform} · *${TICKET_TABLE[t.status].label}*${clock}${ticket.assignee ? md` · ${mention(ticket.assignee)}` : ''}`,
    ];
    if (t.status === 'delayed' && t.delayExplanation) lines.push(md`⏰ ${t.delayExplanation}`);
    if (t.status === 'waiting_for_provider' && t.reason) lines.push(md`⏸ Waiting for: ${t.reason}`);
    if ((t.status === 'rejected' || t.status === 'superseded') && t.reason) lines.push(md`${t.reason}`);
    const links = [
      t.verificationReportUrl ? link(t.verificationReportUrl, 'verification report') : null,
      t.stagedRolloutReportUrl ? link(t.stagedRolloutReportUrl, 'staged-rollout report') : null,
    ].filter((item) => item !== null);
    if (links.length > 0) lines.push(joinMd(links, ' · '));
    blocks.push(divider, section(joinMd(lines, '\n')));
    const moves = movesForActor(ticketMovesOf(t), STAFF_VIEW) as MoveEvent[];
    if (moves.length > 0) {
      blocks.push({
        type: 'actions',
        block_id: `ticket:${formatTicketId(ticket.id)}`,
        elements: moveButtons(moves, { subject: { kind: 'ticket', id: ticket.id }, version: t.version }),
      });
    }
  }
  if (tickets.length > MAX_TICKETS_SHOWN) {
    blocks.push(context(md`and ${tickets.length - MAX_TICKETS_SHOWN} more tickets: \`/cmd-status ${id}\``));
  }

  const summary = earlyAdopterSummary(view);
  if (summary.length > 0) {
    blocks.push(
      divider,
      section(
        linesWithin(summary, (left) => md`…and ${left} more platforms: \`/cmd-status ${id}\``, {
          head: md`*Early-adopter reports*`,
          count: MAX_TICKETS_SHOWN,
        }),
      ),
    );
  }

  return message(
    md`${submission.security ? '[SECURITY] ' : ''}${id} ${product.name} ${submission.version} (${submission.distribution}): ${SUBMISSION_TABLE[state.status].label}`,
    capBlocks(blocks, LIMITS.messageBlocks, (n) => `${n} more blocks left out: \`/cmd-status ${id}\``),
  );
}
