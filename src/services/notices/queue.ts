/**
 * Turning the notices a change implies (audience + topic, from the domain's transition tables and the delay
 * check) into outbox rows: each recipient, each row's unique key, its hold, and its text. The rules that differ
 * by kind of notice (which key, which hold) are in kinds.ts.
 */
import type { NewOutboxRow } from '../../db/repositories/outbox.js';
import type { Submission } from '../../db/repositories/submissions.js';
import type { Ticket } from '../../db/repositories/tickets.js';
import { formatSubmissionId, formatTicketId } from '../../domain/ids.js';
import type { Audience, Notice } from '../../domain/machine.js';
import type { ProductCard } from '../../domain/product.js';
import type { Mrkdwn } from '../../mrkdwn.js';
import { keyOf, type Recipient } from './kinds.js';

/** The product team is the submitter, the card's contacts and its channel, each told once. */
export function recipientsOf(audience: Audience, product: ProductCard, submission: Submission): Recipient[] {
  switch (audience) {
    case 'product_team': {
      const users = [...new Set([submission.submittedBy, ...product.contacts])];
      const people: Recipient[] = users.map((user) => ({ recipientKind: 'user', recipient: user }));
      return product.contactChannel
        ? [...people, { recipientKind: 'channel', recipient: product.contactChannel }]
        : people;
    }
    case 'umd_channel':
      return [{ recipientKind: 'team_channel', recipient: 'umd' }];
    case 'early_adopters':
      return [{ recipientKind: 'team_channel', recipient: 'early_adopters' }];
    default: {
      const unknown: never = audience;
      throw new Error(`unknown audience ${String(unknown)}`);
    }
  }
}

export interface NoticeBatch {
  /** Unique per change, e.g. `TKT-4:v3`; a notice's key adds its topic and recipient. */
  readonly changeKey: string;
  readonly product: ProductCard;
  readonly submission: Submission;
  readonly ticketIds?: readonly number[];
  readonly notices: readonly Notice[];
  readonly textOf: (topic: string) => Mrkdwn;
  /** Not sent before this instant (a notice held on purpose: see holdOf in kinds.ts). */
  readonly notBefore?: (notice: Notice) => Date | undefined;
}

export function outboxRowsFor(batch: NoticeBatch): NewOutboxRow[] {
  return batch.notices.flatMap((notice) =>
    recipientsOf(notice.audience, batch.product, batch.submission).map((to) => {
      const notBefore = batch.notBefore?.(notice);
      return {
        key: keyOf(notice.topic, batch.changeKey, batch.submission.id, to),
        ...to,
        submissionId: batch.submission.id,
        payload: {
          topic: notice.topic,
          text: batch.textOf(notice.topic),
          submissionId: batch.submission.id,
          ...(batch.ticketIds ? { ticketIds: batch.ticketIds } : {}),
        },
        ...(notBefore ? { notBefore } : {}),
      };
    }),
  );
}

/**
 * Every change refreshes the submission's card and adds a thread reply saying who did what and why (an empty
 * text: a refresh only, the thread stays quiet).
 */
export function cardUpdate(changeKey: string, submission: Submission, text: Mrkdwn): NewOutboxRow {
  return {
    key: `${changeKey}:card`,
    recipientKind: 'card',
    recipient: String(submission.id),
    submissionId: submission.id,
    payload: { topic: 'card_update', text, submissionId: submission.id },
  };
}

export const submissionChangeKey = (submission: Submission, version: number) =>
  `${formatSubmissionId(submission.id)}:v${version}`;
export const ticketChangeKey = (ticket: Ticket, version: number) =>
  `${formatTicketId(ticket.id)}:v${version}`;
