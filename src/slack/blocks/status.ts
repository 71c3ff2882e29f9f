/** `/cmd-status`: a release with its deadlines and full history, and `/cmd-list`: many at a glance. */
import { formatSubmissionId, formatTicketId } from '../../domain/ids.js';
import { SUBMISSION_TABLE } from '../../domain/submission-machine.js';
import { TICKET_TABLE } from '../../domain/ticket-machine.js';
import type { ListRow, SubmissionView } from '../../services/queries.js';
import { packagesSummary, releaseHeadline } from './card.js';
import {
  capBlocks,
  context,
  divider,
  escapeText,
  header,
  type KnownBlock,
  LIMITS,
  mention,
  section,
  slackDate,
} from './kit.js';

const HISTORY_SHOWN = 25;

export function statusMessage(view: SubmissionView): { text: string; blocks: KnownBlock[] } {
  const { submission, tickets, reports, history } = view;
  const id = formatSubmissionId(submission.id);
  const deadline =
    submission.state.status === 'open' && submission.state.deadline
      ? ` · injection due ${slackDate(submission.state.deadline)}`
      : '';
  const blocks: KnownBlock[] = [
    header(releaseHeadline(view)),
    section(
      `*${id}* · ${SUBMISSION_TABLE[submission.state.status].label}${deadline}\n` +
        `*Release notes:* <${submission.releaseNotes}|${escapeText(submission.releaseNotes)}>\n${packagesSummary(view)}`,
    ),
  ];
  if (tickets.length > 0) {
    blocks.push(
      section(
        tickets
          .slice(0, 30)
          .map((t) => {
            const due =
              t.state.deadline && TICKET_TABLE[t.state.status].clock
                ? `, due ${slackDate(t.state.deadline)}`
                : '';
            const why =
              t.state.status === 'delayed' && t.state.delayExplanation
                ? ` — ${escapeText(t.state.delayExplanation)}`
                : '';
            return `• *${formatTicketId(t.id)}* ${t.platform}: *${TICKET_TABLE[t.state.status].label}*${due}${why}`;
          })
          .join('\n'),
      ),
    );
  }
  if (reports.length > 0) {
    blocks.push(
      section(
        `*Early-adopter reports*\n${reports
          .slice(-10)
          .map(
            (r) =>
              `${r.outcome === 'works' ? '✅' : '⚠️'} ${escapeText(r.site)} (${r.platform})${r.details ? `: ${escapeText(r.details)}` : ''}`,
          )
          .join('\n')}`,
      ),
    );
  }
  const shown = history.slice(-HISTORY_SHOWN);
  blocks.push(
    divider,
    section(
      `*History*${history.length > shown.length ? ` (last ${shown.length} of ${history.length})` : ''}\n` +
        shown
          .map(
            (h) =>
              `${slackDate(h.at)} · ${h.subject} · ${mention(h.actor)} · ${h.event.replace(/_/g, ' ')}` +
              `${h.fromStatus && h.toStatus && h.fromStatus !== h.toStatus ? ` (${h.fromStatus} → ${h.toStatus})` : ''}` +
              `${h.reason ? `: ${escapeText(h.reason)}` : ''}`,
          )
          .join('\n'),
    ),
  );
  return {
    text: `${id}: ${SUBMISSION_TABLE[submission.state.status].label}`,
    blocks: capBlocks(blocks, LIMITS.messageBlocks, (n) => `${n} more blocks left out`),
  };
}

const LIST_SHOWN = 40;

export function listMessage(title: string, rows: readonly ListRow[]): { text: string; blocks: KnownBlock[] } {
  if (rows.length === 0)
    return { text: `${title}: nothing`, blocks: [section(`*${escapeText(title)}*: nothing to show.`)] };
  const lines = rows
    .slice(0, LIST_SHOWN)
    .map(
      (row) =>
        `${row.security ? '🚨 ' : ''}*${row.id}* ${escapeText(row.product)} ${escapeText(row.version)}${row.platform ? ` ${row.platform}` : ''}` +
        ` · ${row.statusLabel}${row.deadline && (row.kind === 'submission' ? row.status === 'open' : ['unverified', 'verification', 'staged_rollout'].includes(row.status)) ? ` · due ${slackDate(row.deadline)}` : ''}` +
        `${row.overdue ? ' · *overdue*' : ''}`,
    );
  const blocks: KnownBlock[] = [section(`*${escapeText(title)}* (${rows.length})`)];
  for (let i = 0; i < lines.length; i += 20) blocks.push(section(lines.slice(i, i + 20).join('\n')));
  if (rows.length > LIST_SHOWN)
    blocks.push(
      context(`and ${rows.length - LIST_SHOWN} more: narrow it with \`/cmd-list STATUS\` or use the CLI.`),
    );
  return { text: `${title}: ${rows.length}`, blocks };
}
