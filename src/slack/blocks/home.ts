/** The App Home tab: the whole process for staff, one's own releases for a provider. Within 100 blocks. */
import { formatSubmissionId, formatTicketId } from '../../domain/ids.js';
import { releaseLabel } from '../../domain/releases.js';
import { SUBMISSION_TABLE } from '../../domain/submission-machine.js';
import { TICKET_STATUSES, TICKET_TABLE } from '../../domain/ticket-machine.js';
import type { HomeItem, ProviderHome, StaffHome } from '../../services/home.js';
import {
  capBlocks,
  context,
  divider,
  type HomeView,
  header,
  joinMd,
  type KnownBlock,
  LIMITS,
  linesWithin,
  type Mrkdwn,
  md,
  section,
  slackDate,
} from './kit.js';

function itemLine(item: HomeItem): Mrkdwn {
  const id = item.kind === 'ticket' ? formatTicketId(item.id) : formatSubmissionId(item.id);
  const label =
    item.kind === 'ticket'
      ? TICKET_TABLE[item.status as keyof typeof TICKET_TABLE]?.label
      : SUBMISSION_TABLE[item.status as keyof typeof SUBMISSION_TABLE]?.label;
  const due =
    item.deadline && item.status !== 'delayed' && item.status !== 'waiting_for_provider'
      ? md` · due ${slackDate(item.deadline)}`
      : '';
  return md`${item.security ? '🚨 ' : ''}*${id}* ${item.product} ${item.version}${item.platform ? ` ${item.platform}` : ''} · ${label ?? item.status}${due}${item.note ? ` — ${item.note.slice(0, 200)}` : ''}`;
}

function listSection(title: string, items: readonly HomeItem[], total: number): KnownBlock[] {
  const blocks: KnownBlock[] = [section(md`*${title}* (${total})`)];
  if (items.length === 0) return [...blocks, context('Nothing here.')];
  // Within one section; those left out (here, or by the query's limit) are counted.
  blocks.push(
    section(
      linesWithin(items.map(itemLine), (left) => md`and ${left} more: \`/cmd-list\``, {
        unlisted: total - items.length,
      }),
    ),
  );
  return blocks;
}

export function staffHomeView(home: StaffHome): HomeView {
  const counts = joinMd(
    TICKET_STATUSES.map((s) => md`${TICKET_TABLE[s].label}: *${home.ticketCounts[s] ?? 0}*`),
    ' · ',
  );
  const open = home.submissionCounts.open ?? 0;
  const waitingSubmissions = home.submissionCounts.waiting_for_provider ?? 0;
  const blocks: KnownBlock[] = [
    header('CMD/UMD provisioning'),
    section(
      md`*Tickets* ${counts}\n*Submissions to inject:* ${open + waitingSubmissions}${waitingSubmissions > 0 ? ` (${waitingSubmissions} waiting on their providers)` : ''} · *Overdue:* ${home.overdue}`,
    ),
    divider,
    ...listSection('Submissions waiting for injection', home.openSubmissions, home.totals.open),
    divider,
    ...listSection('Delayed', home.delayed, home.totals.delayed),
    divider,
    ...listSection('Due in the next 7 days', home.dueSoon, home.totals.dueSoon),
    divider,
    ...listSection('Waiting on providers', home.waiting, home.totals.waiting),
    ...releasesSection(home.releases),
  ];
  return { type: 'home', blocks: capBlocks(blocks, LIMITS.viewBlocks, (n) => `${n} more blocks left out`) };
}

/** The planned and frozen releases: when they freeze, how many candidates, and what may miss them. */
function releasesSection(releases: StaffHome['releases']): KnownBlock[] {
  if (releases.length === 0) return [];
  const lines = releases.slice(0, 10).map(({ release, candidates, atRisk, atRiskCount }) => {
    const risk =
      atRiskCount > 0
        ? md` · ⚠️ ${atRiskCount} at risk: ${atRisk
            .slice(0, 5)
            .map((c) => `${formatTicketId(c.ticket.id)} ${c.product.name} ${c.ticket.platform}`)
            .join(', ')}${atRiskCount > 5 ? '…' : ''}`
        : '';
    return md`• *${releaseLabel(release)}*${release.security ? ' (security)' : ''} · ${release.state} · ${release.releaseDate} · cut-off ${slackDate(release.cutoffAt)} · ${candidates} ${release.state === 'planned' ? 'candidate' : 'ticket'}${candidates === 1 ? '' : 's'}${risk}`;
  });
  return [divider, section(md`*Releases*\n${joinMd(lines, '\n')}`)];
}

export function providerHomeView(home: ProviderHome): HomeView {
  const blocks: KnownBlock[] = [
    header('Your releases'),
    context('Submit a new one with `/cmd-submit`; see one with `/cmd-status SUB-n`.'),
  ];
  if (home.submissions.length === 0) {
    blocks.push(section('You have no submissions yet.'));
  } else {
    for (const item of home.submissions) {
      const tickets = item.ticketStatuses.map(
        (s) => TICKET_TABLE[s as keyof typeof TICKET_TABLE]?.label ?? s,
      );
      blocks.push(section(md`${itemLine(item)}${tickets.length ? `\nTickets: ${tickets.join(', ')}` : ''}`));
    }
    if (home.total > home.submissions.length)
      blocks.push(context(`and ${home.total - home.submissions.length} older ones.`));
  }
  return { type: 'home', blocks: capBlocks(blocks, LIMITS.viewBlocks, (n) => `${n} more blocks left out`) };
}
