/**
 * What /metrics reports about the process from the database: items by status, items past their deadline, and
 * the outbox. Read in one deferred (read-only) transaction, so the numbers belong to one moment and no write
 * lock is taken.
 */
import { and, count, lte } from 'drizzle-orm';
import { SUBMISSION_STATUSES, type SubmissionStatus } from '../../domain/submission-machine.js';
import { CLOCKED_TICKET_STATUSES, TICKET_STATUSES, type TicketStatus } from '../../domain/ticket-machine.js';
import type { DB } from '../index.js';
import { statusIn } from '../literals.js';
import { submissions, tickets } from '../schema.js';
import { type OutboxCounts, outboxCounts } from './outbox.js';

export interface ProcessGauges {
  /** Every status, 0 when no item has it, so a series never vanishes from a dashboard. */
  readonly ticketsByStatus: Readonly<Record<TicketStatus, number>>;
  readonly submissionsByStatus: Readonly<Record<SubmissionStatus, number>>;
  /**
   * Tickets whose stage limit has passed and that the delay check has not marked Delayed yet, plus open
   * submissions (not waiting for their provider) whose injection limit has passed.
   */
  readonly overdueItems: number;
  readonly outbox: OutboxCounts;
}

export function readProcessGauges(db: DB, now: Date): ProcessGauges {
  // better-sqlite3's transaction belongs to the connection, so inside it `db` is the transaction.
  const read = db.$client.transaction((): ProcessGauges => {
    // Group-by over the (status, …) indexes: one entry per status, not a read of every row.
    const ticketRows = db
      .select({ status: tickets.status, count: count() })
      .from(tickets)
      .groupBy(tickets.status)
      .all();
    const submissionRows = db
      .select({ status: submissions.status, count: count() })
      .from(submissions)
      .groupBy(submissions.status)
      .all();
    const lateTickets =
      db
        .select({ count: count() })
        .from(tickets)
        .where(and(statusIn(tickets.status, CLOCKED_TICKET_STATUSES), lte(tickets.deadline, now)))
        .get()?.count ?? 0;
    const lateInjections =
      db
        .select({ count: count() })
        .from(submissions)
        .where(and(statusIn(submissions.status, ['open']), lte(submissions.deadline, now)))
        .get()?.count ?? 0;
    return {
      ticketsByStatus: byStatus(TICKET_STATUSES, ticketRows),
      submissionsByStatus: byStatus(SUBMISSION_STATUSES, submissionRows),
      overdueItems: lateTickets + lateInjections,
      outbox: outboxCounts(db),
    };
  });
  return read.deferred();
}

function byStatus<S extends string>(
  statuses: readonly S[],
  rows: readonly { status: string; count: number }[],
): Record<S, number> {
  const counts = Object.fromEntries(statuses.map((status) => [status, 0])) as Record<S, number>;
  for (const row of rows) if (row.status in counts) counts[row.status as S] = row.count;
  return counts;
}
