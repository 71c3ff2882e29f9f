/** `/cmd-status`: a release with its deadlines and full history, and `/cmd-list`: many at a glance. */

import type { Submission } from '../../db/repositories/submissions.js';
import { formatSubmissionId, formatTicketId } from '../../domain/ids.js';
import { SUBMISSION_TABLE } from '../../domain/submission-machine.js';
import { TICKET_TABLE } from '../../domain/ticket-machine.js';
import type { ListRow, SubmissionView } from '../../services/queries.js';
import { packagesSummary, releaseHeadline } from './card.js';
import {
  capBlocks,
  context,
  divider,
  header,
  joinMd,
  type KnownBlock,
  LIMITS,
  link,
  md,
  mention,
  message,
  type SlackMessage,
  section,
  slackDate,
} from './kit.js';

const HISTORY_SHOWN = 25;

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
  if (tickets.length > 0) {
    blocks.push(
      section(
        joinMd(
          tickets.slice(0, 30).map((t) => {
            const due =
              t.state.deadline && TICKET_TABLE[t.state.status].clock
                ? md`, due ${slackDate(t.state.deadline)}`
                : '';
            const why =
              t.state.status === 'delayed' && t.state.delayExplanation
                ? md` — ${t.state.delayExplanation}`
                : '';
            return md`• *${formatTicketId(t.id)}* ${t.platform}: *${TICKET_TABLE[t.state.status].label}*${due}${why}`;
          }),
          '\n',
        ),
      ),
    );
  }
  if (reports.length > 0) {
    blocks.push(
      section(
        md`*Early-adopter reports*\n${joinMd(
          reports
            .slice(-10)
            .map(
              (r) =>
                md`${r.outcome === 'works' ? '✅' : '⚠️'} ${r.site}${r.listedSite ? '' : ' (not on the card)'} (${r.platform})${r.details ? md`: ${r.details}` : ''}`,
            ),
          '\n',
        )}`,
      ),
    );
  }
  const shown = history.slice(-HISTORY_SHOWN);
  blocks.push(
    divider,
    section(
      md`*History*${history.length > shown.length ? ` (last ${shown.length} of ${history.length})` : ''}\n${joinMd(
        shown.map(
          (h) =>
            md`${slackDate(h.at)} · ${h.subject} · ${mention(h.actor)} · ${h.event.replace(/_/g, ' ')}${
              h.fromStatus && h.toStatus && h.fromStatus !== h.toStatus
                ? ` (${h.fromStatus} → ${h.toStatus})`
                : ''
            }${h.reason ? `: ${h.reason}` : ''}`,
        ),
        '\n',
      )}`,
    ),
  );
  return message(
    md`${id}: ${SUBMISSION_TABLE[submission.state.status].label}`,
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
  for (let i = 0; i < lines.length; i += 20) blocks.push(section(joinMd(lines.slice(i, i + 20), '\n')));
  if (rows.length > LIST_SHOWN)
    blocks.push(
      context(`and ${rows.length - LIST_SHOWN} more: narrow it with \`/cmd-list STATUS\` or use the CLI.`),
    );
  return message(md`${title}: ${rows.length}`, blocks);
}
