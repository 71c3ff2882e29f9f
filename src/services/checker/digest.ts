/** One digest a working day in the UMD channel: what is delayed, what falls due this week, what waits on providers. */
import { DateTime } from 'luxon';
import type { DB } from '../../db/index.js';
import { claimDigest } from '../../db/repositories/digests.js';
import type { NewOutboxRow } from '../../db/repositories/outbox.js';
import { calendarBefore, formatLocal } from '../../domain/deadlines.js';
import { formatSubmissionId, formatTicketId } from '../../domain/ids.js';
import { releaseLabel } from '../../domain/releases.js';
import { TICKET_TABLE } from '../../domain/ticket-machine.js';
import { zoneFor } from '../../domain/zones.js';
import { joinMd, type Mrkdwn, md } from '../../mrkdwn.js';
import type { ServiceContext } from '../context.js';
import { type HomeItem, staffHome } from '../home.js';
import type { ReleaseSummary } from '../releases.js';

/**
 * Queues today's digest when it is due: on a working day, at or after DIGEST_TIME local time, once per local
 * day. Checked on every run, so a bot that was down at 09:00 sends it when it comes back.
 */
export function queueDigest(
  ctx: ServiceContext,
  tx: DB,
  at: Date,
  queue: (rows: NewOutboxRow[]) => void,
): boolean {
  const local = DateTime.fromJSDate(at, { zone: zoneFor(ctx.rules.timeZone) });
  const day = local.toISODate() ?? '';
  if (!ctx.rules.calendar.isWorkingDay(day) || local.toFormat('HH:mm') < ctx.policy.digestTime) return false;
  if (!claimDigest(tx, day, at)) return false;

  const home = staffHome(ctx, 15, at, tx);
  const line = (item: HomeItem) => {
    const id = item.kind === 'ticket' ? formatTicketId(item.id) : formatSubmissionId(item.id);
    const due =
      item.deadline && item.status !== 'delayed' && item.status !== 'waiting_for_provider'
        ? `, due ${formatLocal(item.deadline, ctx.rules.timeZone)}`
        : '';
    return md`• ${item.security ? '[SECURITY] ' : ''}${id} ${item.product} ${item.version}${item.platform ? ` ${item.platform}` : ''}${due}${item.note ? `: ${item.note.slice(0, 160)}` : ''}`;
  };
  const part = (title: string, items: readonly HomeItem[], total: number) =>
    md`*${title} (${total})*${items.length ? md`\n${joinMd(items.map(line), '\n')}` : ': none'}${total > items.length ? `\n…and ${total - items.length} more` : ''}`;
  const text = joinMd(
    [
      `Daily digest for ${local.toFormat('cccc d LLLL yyyy')}`,
      part('Delayed', home.delayed, home.totals.delayed),
      part('Due in the next 7 days', home.dueSoon, home.totals.dueSoon),
      part('Waiting on providers', home.waiting, home.totals.waiting),
      part('Submissions waiting for injection', home.openSubmissions, home.totals.open),
      ...atRiskParts(ctx, home.releases, at),
    ],
    '\n\n',
  );
  queue([
    {
      key: `digest:${day}`,
      recipientKind: 'team_channel',
      recipient: 'umd',
      submissionId: null,
      payload: { topic: 'digest', text },
    },
  ]);
  return true;
}

/**
 * From RELEASE_WARNING before a planned release's cut-off: the tickets that may miss it (their limits end after
 * the cut-off, or they are delayed or waiting), so the team can push them while there is time.
 */
function atRiskParts(ctx: ServiceContext, releases: readonly ReleaseSummary[], at: Date): Mrkdwn[] {
  const lead = ctx.releases.warning;
  if (!lead) return [];
  return releases
    .filter(
      ({ release, atRiskCount }) =>
        release.state === 'planned' &&
        atRiskCount > 0 &&
        calendarBefore(release.cutoffAt, lead, ctx.rules.timeZone) <= at,
    )
    .map(({ release, atRisk, atRiskCount }) => {
      const lines = atRisk.map(
        (c) =>
          md`• ${c.submission.security ? '[SECURITY] ' : ''}${formatTicketId(c.ticket.id)} ${c.product.name} ${c.submission.version} ${c.ticket.platform}: ${TICKET_TABLE[c.ticket.state.status].label}`,
      );
      return md`*At risk of missing ${releaseLabel(release)} (cut-off ${formatLocal(release.cutoffAt, ctx.rules.timeZone)}) (${atRiskCount})*\n${joinMd(lines, '\n')}${atRiskCount > atRisk.length ? `\n…and ${atRiskCount - atRisk.length} more` : ''}`;
    });
}
