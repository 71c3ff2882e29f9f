/**
 * What the App Home tab shows: for staff, the state of the whole process; for a provider, their own
 * releases. Counted in SQL, so it stays fast with many thousands of tickets.
 */
import { and, asc, desc, eq, gt, inArray, lte, or, sql } from 'drizzle-orm';
import type { DB } from '../db/index.js';
import { statusIn } from '../db/literals.js';
import { CLOCKED_TICKET_STATUSES } from '../db/repositories/tickets.js';
import { products, submissions, tickets } from '../db/schema.js';
import type { ServiceContext } from './context.js';
import { involvesSubmission } from './queries.js';

const CLOCKED = [...CLOCKED_TICKET_STATUSES];
const DAY = 86_400_000;

export interface HomeItem {
  readonly kind: 'submission' | 'ticket';
  readonly id: number;
  readonly submissionId: number;
  readonly product: string;
  readonly version: string;
  readonly platform: string | null;
  readonly status: string;
  readonly security: boolean;
  readonly deadline: Date | null;
  readonly note: string | null;
}

export interface StaffHome {
  readonly ticketCounts: Readonly<Record<string, number>>;
  readonly submissionCounts: Readonly<Record<string, number>>;
  readonly overdue: number;
  readonly dueSoon: readonly HomeItem[];
  readonly delayed: readonly HomeItem[];
  readonly waiting: readonly HomeItem[];
  readonly openSubmissions: readonly HomeItem[];
  readonly totals: {
    readonly dueSoon: number;
    readonly delayed: number;
    readonly waiting: number;
    readonly open: number;
  };
}

/** `db` may be a transaction (the digest reads it inside the delay check); `at` defaults to the clock's now. */
export function staffHome(
  ctx: ServiceContext,
  limit = 15,
  at: Date = ctx.clock.now(),
  db: DB = ctx.db,
): StaffHome {
  const now = at;
  const week = new Date(now.getTime() + 7 * DAY);

  const ticketCounts = Object.fromEntries(
    db
      .select({ status: tickets.status, n: sql<number>`count(*)` })
      .from(tickets)
      .groupBy(tickets.status)
      .all()
      .map((r) => [r.status, r.n]),
  );
  const submissionCounts = Object.fromEntries(
    db
      .select({ status: submissions.status, n: sql<number>`count(*)` })
      .from(submissions)
      .groupBy(submissions.status)
      .all()
      .map((r) => [r.status, r.n]),
  );
  const overdueTickets =
    db
      .select({ n: sql<number>`count(*)` })
      .from(tickets)
      .where(
        or(
          statusIn(tickets.status, ['delayed']),
          and(statusIn(tickets.status, CLOCKED), lte(tickets.deadline, now)),
        ),
      )
      .get()?.n ?? 0;
  const overdueSubmissions =
    db
      .select({ n: sql<number>`count(*)` })
      .from(submissions)
      .where(and(statusIn(submissions.status, ['open']), lte(submissions.deadline, now)))
      .get()?.n ?? 0;

  const ticketItems = (where: ReturnType<typeof and>, order: 'deadline' | 'entered') => {
    const base = db
      .select({
        id: tickets.id,
        submissionId: tickets.submissionId,
        platform: tickets.platform,
        status: tickets.status,
        deadline: tickets.deadline,
        delayExplanation: tickets.delayExplanation,
        reason: tickets.reason,
        product: products.name,
        version: submissions.version,
        security: submissions.security,
      })
      .from(tickets)
      .innerJoin(submissions, eq(submissions.id, tickets.submissionId))
      .innerJoin(products, eq(products.id, submissions.productId))
      .where(where)
      .orderBy(
        desc(submissions.security),
        order === 'deadline' ? asc(tickets.deadline) : asc(tickets.enteredAt),
      )
      .limit(limit)
      .all();
    return base.map(
      (r): HomeItem => ({
        kind: 'ticket',
        id: r.id,
        submissionId: r.submissionId,
        product: r.product,
        version: r.version,
        platform: r.platform,
        status: r.status,
        security: r.security,
        deadline: r.deadline,
        note:
          r.status === 'delayed' ? r.delayExplanation : r.status === 'waiting_for_provider' ? r.reason : null,
      }),
    );
  };
  const count = (where: ReturnType<typeof and>) =>
    db.select({ n: sql<number>`count(*)` }).from(tickets).where(where).get()?.n ?? 0;

  const dueSoonWhere = and(
    statusIn(tickets.status, CLOCKED),
    gt(tickets.deadline, now),
    lte(tickets.deadline, week),
  );
  const delayedWhere = statusIn(tickets.status, ['delayed']);
  const waitingWhere = statusIn(tickets.status, ['waiting_for_provider']);

  const openRows = db
    .select({ s: submissions, product: products.name })
    .from(submissions)
    .innerJoin(products, eq(products.id, submissions.productId))
    .where(statusIn(submissions.status, ['open', 'waiting_for_provider']))
    .orderBy(desc(submissions.security), asc(submissions.deadline))
    .limit(limit)
    .all();
  const openTotal =
    db
      .select({ n: sql<number>`count(*)` })
      .from(submissions)
      .where(statusIn(submissions.status, ['open', 'waiting_for_provider']))
      .get()?.n ?? 0;

  return {
    ticketCounts,
    submissionCounts,
    overdue: overdueTickets + overdueSubmissions,
    dueSoon: ticketItems(dueSoonWhere, 'deadline'),
    delayed: ticketItems(delayedWhere, 'entered'),
    waiting: ticketItems(waitingWhere, 'entered'),
    openSubmissions: openRows.map(({ s, product }) =>
      submissionItem(s, product, s.status === 'waiting_for_provider' ? s.reason : null),
    ),
    totals: {
      dueSoon: count(dueSoonWhere),
      delayed: count(delayedWhere),
      waiting: count(waitingWhere),
      open: openTotal,
    },
  };
}

export interface ProviderHome {
  readonly submissions: readonly (HomeItem & { readonly ticketStatuses: readonly string[] })[];
  readonly total: number;
}

/** The releases a person submitted or that belong to a product listing them as a contact. */
export function providerHome(ctx: ServiceContext, userId: string, limit = 20): ProviderHome {
  const mine = involvesSubmission(userId);
  const rows = ctx.db
    .select({ s: submissions, product: products.name })
    .from(submissions)
    .innerJoin(products, eq(products.id, submissions.productId))
    .where(mine)
    .orderBy(desc(submissions.id))
    .limit(limit)
    .all();
  const total =
    ctx.db
      .select({ n: sql<number>`count(*)` })
      .from(submissions)
      .innerJoin(products, eq(products.id, submissions.productId))
      .where(mine)
      .get()?.n ?? 0;
  const ids = rows.map(({ s }) => s.id);
  const statuses = ids.length
    ? ctx.db
        .select({ submissionId: tickets.submissionId, status: tickets.status })
        .from(tickets)
        .where(inArray(tickets.submissionId, ids))
        .all()
    : [];
  return {
    total,
    submissions: rows.map(({ s, product }) => ({
      ...submissionItem(s, product, s.reason),
      ticketStatuses: statuses.filter((t) => t.submissionId === s.id).map((t) => t.status),
    })),
  };
}

function submissionItem(s: typeof submissions.$inferSelect, product: string, note: string | null): HomeItem {
  return {
    kind: 'submission',
    id: s.id,
    submissionId: s.id,
    product,
    version: s.version,
    platform: null,
    status: s.status,
    security: s.security,
    deadline: s.deadline,
    note,
  };
}
