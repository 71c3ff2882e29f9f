/**
 * The read queries across tables for what people look at: the App Home tabs, `/cmd-list` and `cmd-bot list`,
 * and the daily digest. They join tickets, submissions and products and count in SQL, so they stay fast with
 * many thousands of tickets; the use cases (src/services/home.ts, queries.ts) shape what they return.
 */
import { and, asc, desc, eq, gt, inArray, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import { OPEN_SUBMISSION_STATUSES } from '../../domain/submission-machine.js';
import { CLOCKED_TICKET_STATUSES } from '../../domain/ticket-machine.js';
import type { DB } from '../index.js';
import { statusIn } from '../literals.js';
import { history, products, submissions, tickets } from '../schema.js';

type SubmissionRow = typeof submissions.$inferSelect;
type TicketRow = typeof tickets.$inferSelect;

/** A submission this Slack user submitted, or whose product lists them as a contact (on submissions ⋈ products). */
function involvesSubmission(userId: string): SQL | undefined {
  return or(
    eq(submissions.submittedBy, userId),
    sql`exists (select 1 from json_each(${products.contacts}) where json_each.value = ${userId})`,
  );
}

const count = (rows: { n: number }[]) => rows[0]?.n ?? 0;

/** Tickets with the product, version, distribution and security flag of their release. */
function ticketsWithRelease(db: DB) {
  return db
    .select({
      ticket: tickets,
      product: products.name,
      version: submissions.version,
      distribution: submissions.distribution,
      security: submissions.security,
    })
    .from(tickets)
    .innerJoin(submissions, eq(submissions.id, tickets.submissionId))
    .innerJoin(products, eq(products.id, submissions.productId));
}

/** How many tickets and submissions are in each status, and how many are overdue `at`. */
export function statusCounts(db: DB, at: Date) {
  const byStatus = (table: typeof tickets | typeof submissions) =>
    Object.fromEntries(
      db
        .select({ status: table.status, n: sql<number>`count(*)` })
        .from(table)
        .groupBy(table.status)
        .all()
        .map((row) => [row.status, row.n]),
    ) as Record<string, number>;
  const overdueTickets = db
    .select({ n: sql<number>`count(*)` })
    .from(tickets)
    .where(
      or(
        statusIn(tickets.status, ['delayed']),
        and(statusIn(tickets.status, CLOCKED_TICKET_STATUSES), lte(tickets.deadline, at)),
      ),
    )
    .all();
  const overdueSubmissions = db
    .select({ n: sql<number>`count(*)` })
    .from(submissions)
    .where(and(statusIn(submissions.status, ['open']), lte(submissions.deadline, at)))
    .all();
  return {
    tickets: byStatus(tickets),
    submissions: byStatus(submissions),
    overdue: count(overdueTickets) + count(overdueSubmissions),
  };
}

/** The groups of tickets the staff's Home tab and the digest show. */
export type TicketGroup = 'dueSoon' | 'delayed' | 'waiting';

function ticketGroupWhere(group: TicketGroup, at: Date, until: Date): SQL | undefined {
  switch (group) {
    case 'dueSoon':
      return and(
        statusIn(tickets.status, CLOCKED_TICKET_STATUSES),
        gt(tickets.deadline, at),
        lte(tickets.deadline, until),
      );
    case 'delayed':
      return statusIn(tickets.status, ['delayed']);
    case 'waiting':
      return statusIn(tickets.status, ['waiting_for_provider']);
    default: {
      const unknown: never = group;
      throw new Error(`unknown group ${String(unknown)}`);
    }
  }
}

/**
 * The first `limit` tickets of a group, security releases first (then by deadline for those due soon, by time in
 * the status for the others), with their product and version; and how many the group holds. `dueSoon` means due
 * after `at` and at or before `until`.
 */
export function ticketGroup(db: DB, group: TicketGroup, limit: number, at: Date, until: Date) {
  const where = ticketGroupWhere(group, at, until);
  const rows = ticketsWithRelease(db)
    .where(where)
    .orderBy(desc(submissions.security), group === 'dueSoon' ? asc(tickets.deadline) : asc(tickets.enteredAt))
    .limit(limit)
    .all();
  const total = count(db.select({ n: sql<number>`count(*)` }).from(tickets).where(where).all());
  return { rows, total };
}

/** The first `limit` submissions not injected yet, security releases first, then by deadline; and how many. */
export function openSubmissions(db: DB, limit: number) {
  const where = statusIn(submissions.status, OPEN_SUBMISSION_STATUSES);
  const rows = db
    .select({ submission: submissions, product: products.name })
    .from(submissions)
    .innerJoin(products, eq(products.id, submissions.productId))
    .where(where)
    .orderBy(desc(submissions.security), asc(submissions.deadline))
    .limit(limit)
    .all();
  const total = count(db.select({ n: sql<number>`count(*)` }).from(submissions).where(where).all());
  return { rows, total };
}

/**
 * The latest `limit` submissions a person submitted or is a contact of, with the statuses of their tickets; and
 * how many there are.
 */
export function submissionsOf(db: DB, userId: string, limit: number) {
  const mine = involvesSubmission(userId);
  const rows = db
    .select({ submission: submissions, product: products.name })
    .from(submissions)
    .innerJoin(products, eq(products.id, submissions.productId))
    .where(mine)
    .orderBy(desc(submissions.id))
    .limit(limit)
    .all();
  const total = count(
    db
      .select({ n: sql<number>`count(*)` })
      .from(submissions)
      .innerJoin(products, eq(products.id, submissions.productId))
      .where(mine)
      .all(),
  );
  const ids = rows.map((row) => row.submission.id);
  const ticketStatuses = ids.length
    ? db
        .select({ submissionId: tickets.submissionId, status: tickets.status })
        .from(tickets)
        .where(inArray(tickets.submissionId, ids))
        .all()
    : [];
  return { rows, total, ticketStatuses };
}

export interface ListQuery {
  readonly submissionStatuses: readonly string[];
  readonly ticketStatuses: readonly string[];
  /** Only what this Slack user submitted, is a contact of, or is assigned. */
  readonly involving?: string;
  /** Only what is overdue at this instant: open submissions past their deadline, Delayed or late tickets. */
  readonly overdueAt?: Date;
}

/** Submissions and tickets in the given statuses, each with its product's name (and a ticket its release's). */
export function listRows(
  db: DB,
  query: ListQuery,
): {
  readonly submissions: { submission: SubmissionRow; product: string }[];
  readonly tickets: {
    ticket: TicketRow;
    product: string;
    version: string;
    distribution: string;
    security: boolean;
  }[];
} {
  const { involving, overdueAt } = query;
  const submissionRows =
    query.submissionStatuses.length === 0
      ? []
      : db
          .select({ submission: submissions, product: products.name })
          .from(submissions)
          .innerJoin(products, eq(products.id, submissions.productId))
          .where(
            and(
              statusIn(submissions.status, query.submissionStatuses),
              involving ? involvesSubmission(involving) : undefined,
              overdueAt
                ? and(statusIn(submissions.status, ['open']), lte(submissions.deadline, overdueAt))
                : undefined,
            ),
          )
          .all();
  const ticketRows =
    query.ticketStatuses.length === 0
      ? []
      : ticketsWithRelease(db)
          .where(
            and(
              statusIn(tickets.status, query.ticketStatuses),
              involving ? or(eq(tickets.assignee, involving), involvesSubmission(involving)) : undefined,
              // Delayed tickets are overdue by definition; clocked ones once their deadline passed.
              overdueAt
                ? or(
                    statusIn(tickets.status, ['delayed']),
                    and(statusIn(tickets.status, CLOCKED_TICKET_STATUSES), lte(tickets.deadline, overdueAt)),
                  )
                : undefined,
            ),
          )
          .orderBy(asc(tickets.id))
          .all();
  return { submissions: submissionRows, tickets: ticketRows };
}

/** A submission or ticket as the process report names it. */
export interface ReportedItem {
  readonly kind: 'submission' | 'ticket';
  readonly id: number;
  readonly product: string;
  readonly version: string;
  /** A ticket's platform; null for a submission. */
  readonly platform: string | null;
}

/**
 * What the process report replays: every submission and ticket created before `before`, and every change of
 * theirs before it, oldest first (by id, the order they were written in).
 */
export function reportHistory(db: DB, before: Date) {
  const submissionItems: ReportedItem[] = db
    .select({ id: submissions.id, product: products.name, version: submissions.version })
    .from(submissions)
    .innerJoin(products, eq(products.id, submissions.productId))
    .where(lt(submissions.submittedAt, before))
    .orderBy(asc(submissions.id))
    .all()
    .map((row) => ({ kind: 'submission', ...row, platform: null }));
  const ticketItems: ReportedItem[] = db
    .select({
      id: tickets.id,
      product: products.name,
      version: submissions.version,
      platform: tickets.platform,
    })
    .from(tickets)
    .innerJoin(submissions, eq(submissions.id, tickets.submissionId))
    .innerJoin(products, eq(products.id, submissions.productId))
    .where(lt(tickets.createdAt, before))
    .orderBy(asc(tickets.id))
    .all()
    .map((row) => ({ kind: 'ticket', ...row }));
  const changes = db
    .select({
      subjectType: history.subjectType,
      subjectId: history.subjectId,
      event: history.event,
      fromStatus: history.fromStatus,
      toStatus: history.toStatus,
      actor: history.actor,
      reason: history.reason,
      at: history.at,
    })
    .from(history)
    .where(and(inArray(history.subjectType, ['submission', 'ticket']), lt(history.at, before)))
    .orderBy(asc(history.id))
    .all();
  return { items: [...submissionItems, ...ticketItems], changes };
}
