/**
 * The rules that differ from one kind of notice to another, in one place. Who hears of a move is in the domain's
 * transition tables (each move lists its notices: audience and topic); the delay check adds its warnings,
 * reminders and digest. Every notice then goes to its audience's recipients (queue.ts), under a key unique to
 * the change, the topic and the recipient, at once, and says what was true when it was queued. Except:
 *
 * - `delayed` (to the product team): held DELAY_NOTICE_HOLD_HOURS so that staff can explain first; when it goes
 *   out it says what is true then (with the explanation given meanwhile), and not at all if the ticket is no
 *   longer Delayed. Once it went out (alone or in a combined message), its ticket remembers when.
 * - `delay_explained` (to the product team): only when the delay notice already went out; while it is held, the
 *   explanation goes out inside it instead.
 * - `early_adopter_announcement`: one per submission (its key has no change or recipient), listing the platforms
 *   announced in it that are in staged rollout when it goes out; not sent when none is left. Once it was tried,
 *   what it says is fixed: a platform that reaches staged rollout later gets `early_adopter_platform_added`, a
 *   message of its own, sent only if that platform is still in staged rollout.
 * - `combined` (the delay check's many notices to one recipient): re-counted when it goes out, leaving out the
 *   delays resolved meanwhile; not sent when nothing is left.
 * - `card_lacks_contact`: once per product.
 *
 * The table in README.md beside this file says who hears what, when, and how often, for every notice.
 */
import type { DB } from '../../db/index.js';
import type { NewOutboxRow, OutboxRow } from '../../db/repositories/outbox.js';
import { findRelease } from '../../db/repositories/releases.js';
import { markRolloutAnnounced, type Submission } from '../../db/repositories/submissions.js';
import {
  countDelayedTickets,
  findTicket,
  markAnnouncedIn,
  markDelayNoticeSent,
  type Ticket,
} from '../../db/repositories/tickets.js';
import { formatSubmissionId, formatTicketId } from '../../domain/ids.js';
import type { Notice } from '../../domain/machine.js';
import type { ProductCard } from '../../domain/product.js';
import { parseReleaseName } from '../../domain/releases.js';
import { isInStagedRollout, type TicketEvent } from '../../domain/ticket-machine.js';
import { type Mrkdwn, md } from '../../mrkdwn.js';
import type { ServiceContext } from '../context.js';
import { getSubmissionView, type SubmissionView } from '../queries.js';
import { loadSubmission } from '../submissions.js';
import { combinedNoticeText, ticketNoticeText, ticketTitle } from './texts.js';

export interface Recipient {
  readonly recipientKind: NewOutboxRow['recipientKind'];
  readonly recipient: string;
}

/** The outbox key of a submission's one announcement to early adopters. */
export const announcementKey = (submissionId: number) =>
  `${formatSubmissionId(submissionId)}:early_adopter_announcement`;

/** A notice's unique key: a queued notice is never queued twice. */
export function keyOf(topic: string, changeKey: string, submissionId: number, to: Recipient): string {
  return topic === 'early_adopter_announcement'
    ? announcementKey(submissionId)
    : `${changeKey}:${topic}:${to.recipientKind}:${to.recipient}`;
}

/** Until when a notice is held (undefined: it goes at once). */
export function holdOf(
  notice: Notice,
  event: TicketEvent['type'],
  holdMs: number,
  now: Date,
): Date | undefined {
  return event === 'delay' && notice.topic === 'delayed' && holdMs > 0
    ? new Date(now.getTime() + holdMs)
    : undefined;
}

/**
 * The notices a ticket's move sends, from the ones its table lists: a staged rollout is announced in the
 * submission's announcement until that was tried, then in a message of the ticket's own (and the ticket records
 * which); a delay explained while its notice is still held goes out inside that notice, not after it.
 */
export function noticesOfTicketMove(
  db: DB,
  submission: Submission,
  ticket: Ticket,
  event: TicketEvent['type'],
  notices: readonly Notice[],
): readonly Notice[] {
  if (notices.some((notice) => notice.topic === 'early_adopter_announcement')) {
    const own = submission.rolloutAnnouncedAt !== null;
    markAnnouncedIn(db, ticket.id, own ? 'own_message' : 'announcement');
    if (!own) return notices;
    return notices.map((notice) =>
      notice.topic === 'early_adopter_announcement'
        ? { ...notice, topic: 'early_adopter_platform_added' }
        : notice,
    );
  }
  if (event !== 'explain_delay') return notices;
  const told = ticket.delayNoticeSentAt !== null && ticket.delayNoticeSentAt >= ticket.state.enteredAt;
  if (told) return notices;
  return notices.filter(
    (notice) => !(notice.audience === 'product_team' && notice.topic === 'delay_explained'),
  );
}

/** A card with nobody to tell: the submitter still hears, and the UMD team is warned once per product. */
export function missingContactWarning(
  product: ProductCard,
  submission: Submission,
  ticket: Ticket,
): NewOutboxRow[] {
  if (product.contacts.length > 0 || product.contactChannel) return [];
  return [
    {
      key: `product-${product.id}:no-contact`,
      recipientKind: 'team_channel',
      recipient: 'umd',
      submissionId: submission.id,
      payload: {
        topic: 'card_lacks_contact',
        text: md`${product.name}'s Product ID card lists no contact, so the delay of ${formatTicketId(ticket.id)} was told to its submitter only. Add the product team's contacts with \`/cmd-product ${product.name}\`.`,
        submissionId: submission.id,
      },
    },
  ];
}

/** What a notice says when it goes out; the Slack layer draws it. */
export type NoticeToSend =
  | { readonly kind: 'text'; readonly text: Mrkdwn; readonly submissionId?: number }
  | {
      readonly kind: 'rollout';
      readonly view: SubmissionView;
      readonly platforms: readonly string[];
      /** A platform that joins after the submission's announcement. */
      readonly added: boolean;
    }
  /** A release's freeze message, with its Publish button while the release is still frozen. */
  | {
      readonly kind: 'release_frozen';
      readonly text: Mrkdwn;
      readonly release: string;
      readonly publishable: boolean;
    };

/** What a queued notice says now, from the database as it is; null when it no longer applies (it is not sent). */
export function noticeToSend(ctx: ServiceContext, row: OutboxRow): NoticeToSend | null {
  const { payload } = row;
  switch (payload.topic) {
    case 'early_adopter_announcement': {
      if (row.submissionId === null) return null;
      const view = getSubmissionView(ctx, row.submissionId);
      const platforms = view.tickets
        .filter((ticket) => ticket.announcedIn !== 'own_message' && isInStagedRollout(ticket.state))
        .map((ticket) => ticket.platform);
      return platforms.length > 0 ? { kind: 'rollout', view, platforms, added: false } : null;
    }
    case 'early_adopter_platform_added': {
      if (row.submissionId === null) return null;
      const view = getSubmissionView(ctx, row.submissionId);
      const ticket = view.tickets.find((candidate) => candidate.id === payload.ticketIds?.[0]);
      if (!ticket || !isInStagedRollout(ticket.state)) return null;
      return { kind: 'rollout', view, platforms: [ticket.platform], added: true };
    }
    case 'release_frozen': {
      if (!payload.release) return { kind: 'text', text: payload.text };
      const name = parseReleaseName(payload.release, ctx.distributions);
      const release = name.ok ? findRelease(ctx.db, name.name.distribution, name.name.version) : null;
      return {
        kind: 'release_frozen',
        text: payload.text,
        release: payload.release,
        publishable: release?.state === 'frozen',
      };
    }
    case 'combined': {
      const parts = payload.parts ?? [];
      const lines = parts.map((part) => delayedText(ctx, part)).filter((line) => line !== null);
      // A delay resolved since the check is neither shown nor counted, listed or not.
      const unlisted = payload.unlistedDelayed ?? [];
      const resolved = parts.length - lines.length + unlisted.length - countDelayedTickets(ctx.db, unlisted);
      const total = (payload.total ?? parts.length) - resolved;
      return total > 0 ? { kind: 'text', text: combinedNoticeText(lines, total) } : null;
    }
    default: {
      const text = delayedText(ctx, payload);
      return text === null
        ? null
        : {
            kind: 'text',
            text,
            ...(payload.submissionId !== undefined ? { submissionId: payload.submissionId } : {}),
          };
    }
  }
}

/** A held delay notice says what is true when it goes out; null when the ticket is no longer Delayed. */
function delayedText(ctx: ServiceContext, payload: OutboxRow['payload']): Mrkdwn | null {
  const ticketId = payload.ticketIds?.[0];
  if (payload.topic !== 'delayed' || ticketId === undefined) return payload.text;
  const ticket = findTicket(ctx.db, ticketId);
  if (ticket?.state.status !== 'delayed') return null;
  const { submission, product } = loadSubmission(ctx.db, ticket.submissionId);
  return ticketNoticeText('delayed', ticketTitle(product, submission, ticket), ticket.state);
}

/** The outbox worker tried these rows (the attempt is recorded): what that fixes. */
export function noticesAttempted(db: DB, rows: readonly OutboxRow[], at: Date): void {
  for (const row of rows) {
    if (row.payload.topic === 'early_adopter_announcement' && row.submissionId !== null) {
      markRolloutAnnounced(db, row.submissionId, at);
    }
  }
}

/** The outbox worker sent these rows: the delay notices among them (alone or combined) went out. */
export function noticesSent(db: DB, rows: readonly OutboxRow[], at: Date): void {
  const delayed = rows.flatMap((row) => {
    const { payload } = row;
    const told = payload.topic === 'combined' ? [...(payload.parts ?? [])] : [payload];
    const ids = told.flatMap((part) => (part.topic === 'delayed' ? (part.ticketIds ?? []).slice(0, 1) : []));
    return row.recipientKind === 'card'
      ? []
      : [...ids, ...(payload.topic === 'combined' ? (payload.unlistedDelayed ?? []) : [])];
  });
  markDelayNoticeSent(db, [...new Set(delayed)], at);
}
