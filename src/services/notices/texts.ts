/** The sentences notices say: each names the release (and ticket) and stands on its own in a notification. */
import type { Submission } from '../../db/repositories/submissions.js';
import type { Ticket } from '../../db/repositories/tickets.js';
import { formatTicketId } from '../../domain/ids.js';
import type { ProductCard } from '../../domain/product.js';
import { criterionTitle, type QcResult } from '../../domain/quality-criteria.js';
import { TICKET_TABLE, type TicketState } from '../../domain/ticket-machine.js';
import { joinMd, type Mrkdwn, md } from '../../mrkdwn.js';

/** A person's words set inside a sentence of the bot's: their own closing full stop goes ("needs: X. Its …"). */
export function clause(text: string | null | undefined): string {
  return (text ?? '').trim().replace(/\.+$/, '');
}

/** "[SECURITY] ARC 6.21.1 (UMD-5)": the security flag comes first everywhere. */
export function releaseTitle(product: ProductCard, submission: Submission): Mrkdwn {
  return md`${submission.security ? '[SECURITY] ' : ''}${product.name} ${submission.version} (${submission.distribution})`;
}

export function ticketTitle(product: ProductCard, submission: Submission, ticket: Ticket): Mrkdwn {
  return md`${formatTicketId(ticket.id)} ${releaseTitle(product, submission)} on ${ticket.platform}`;
}

/**
 * The sentence each audience reads about a ticket's move; it names the ticket and the reason (and, for a failed
 * verification, the quality criteria that failed).
 */
export function ticketNoticeText(
  topic: string,
  title: Mrkdwn,
  state: TicketState,
  qcResults: readonly QcResult[] | null = null,
  /** For `ready`: the planned release it will be part of (null: none planned yet). */
  releaseAhead: Mrkdwn | null = null,
): Mrkdwn {
  switch (topic) {
    case 'staged_rollout_started':
      return md`${title} passed verification (report: ${state.verificationReportUrl ?? ''}) and is now in Staged Rollout with early-adopter sites.`;
    case 'early_adopter_announcement':
      return md`${title} is ready for staged rollout. Early adopters: install it and report "Installed, works" or "Problem found".`;
    case 'early_adopter_platform_added':
      return md`${title} is now also ready for staged rollout. Early adopters: install it and report "Installed, works" or "Problem found".`;
    case 'verification_failed': {
      const failed = (qcResults ?? []).filter((result) => result.result === 'fail').map(criterionTitle);
      return failed.length > 0
        ? md`${title} failed verification: ${clause(state.reason)}. Quality criteria that failed: ${failed.join(', ')}.`
        : md`${title} failed verification: ${state.reason ?? ''}`;
    }
    case 'ready':
      return md`${title} is Ready: it will be part of ${releaseAhead ?? 'the next release'}.`;
    case 'rejected':
      return md`${title} was rejected by the UMD team: ${state.reason ?? ''}`;
    case 'waiting':
      return md`${title} is waiting for you. The UMD team needs: ${clause(state.reason)}. Its clock is paused until then.`;
    case 'superseded':
      return md`${title} is superseded${state.reason ? `: ${clause(state.reason)}` : ''}.`;
    case 'delayed':
      return md`${title} is Delayed. ${state.delayExplanation ?? ''}`;
    case 'delay_explanation_needed':
      return md`${title} is Delayed. ${state.delayExplanation ?? ''} Please add the reasons with Explain delay.`;
    case 'delay_explained':
      return md`The reasons for the delay of ${title}: ${state.delayExplanation ?? ''}`;
    default:
      return md`${title} is now ${TICKET_TABLE[state.status].label}.`;
  }
}

/** A combined message lists at most this many of its notices; the others are counted. */
export const COMBINED_LISTED = 15;

/**
 * The text of a combined message: as many of its notices as fit in `maxChars` (one Slack section holds 3,000
 * characters, with room left for these lines), then how many more there were and where to see everything. A
 * check that delays thousands of tickets tells a channel so in one readable message, not one cut off mid-line.
 */
export function combinedNoticeText(lines: readonly Mrkdwn[], total: number, maxChars = 2700): Mrkdwn {
  const shown: Mrkdwn[] = [];
  let length = 0;
  for (const line of lines.slice(0, COMBINED_LISTED)) {
    const bullet = md`• ${line}`;
    if (shown.length > 0 && length + bullet.length + 1 > maxChars) break;
    shown.push(bullet);
    length += bullet.length + 1;
  }
  const more = total - shown.length;
  const pointer = md`\`/cmd-list\` shows where everything stands.`;
  if (shown.length === 0) return md`${total} notices from cmd-bot: ${pointer}`;
  return md`${total} notices from cmd-bot:\n${joinMd(shown, '\n')}${more > 0 ? md`\n…and ${more} more; ${pointer}` : ''}`;
}
