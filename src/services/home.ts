/**
 * What the App Home tab shows: for staff, the state of the whole process; for a provider, their own
 * releases. Counted in SQL, so it stays fast with many thousands of tickets.
 */
import type { DB } from '../db/index.js';
import {
  openSubmissions,
  statusCounts,
  submissionsOf,
  type TicketGroup,
  ticketGroup,
} from '../db/repositories/reads.js';
import type { submissions } from '../db/schema.js';
import type { ServiceContext } from './context.js';
import { type ReleaseSummary, upcomingReleases } from './releases.js';

type Submission = typeof submissions.$inferSelect;
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
  /** The planned and frozen releases, with their candidates and what may miss them. */
  readonly releases: readonly ReleaseSummary[];
}

/** `db` may be a transaction (the digest reads it inside the delay check); `at` defaults to the clock's now. */
export function staffHome(
  ctx: ServiceContext,
  limit = 15,
  at: Date = ctx.clock.now(),
  db: DB = ctx.db,
): StaffHome {
  const week = new Date(at.getTime() + 7 * DAY);
  const counts = statusCounts(db, at);
  const group = (name: TicketGroup) => ticketGroup(db, name, limit, at, week);
  const dueSoon = group('dueSoon');
  const delayed = group('delayed');
  const waiting = group('waiting');
  const open = openSubmissions(db, limit);
  const ticketItem = ({ ticket, product, version, security }: (typeof dueSoon.rows)[number]): HomeItem => ({
    kind: 'ticket',
    id: ticket.id,
    submissionId: ticket.submissionId,
    product,
    version,
    platform: ticket.platform,
    status: ticket.status,
    security,
    deadline: ticket.deadline,
    note:
      ticket.status === 'delayed'
        ? ticket.delayExplanation
        : ticket.status === 'waiting_for_provider'
          ? ticket.reason
          : null,
  });
  return {
    ticketCounts: counts.tickets,
    submissionCounts: counts.submissions,
    overdue: counts.overdue,
    dueSoon: dueSoon.rows.map(ticketItem),
    delayed: delayed.rows.map(ticketItem),
    waiting: waiting.rows.map(ticketItem),
    openSubmissions: open.rows.map(({ submission, product }) =>
      submissionItem(
        submission,
        product,
        submission.status === 'waiting_for_provider' ? submission.reason : null,
      ),
    ),
    totals: { dueSoon: dueSoon.total, delayed: delayed.total, waiting: waiting.total, open: open.total },
    releases: upcomingReleases(ctx, at, db),
  };
}

export interface ProviderHome {
  readonly submissions: readonly (HomeItem & { readonly ticketStatuses: readonly string[] })[];
  readonly total: number;
}

/** The releases a person submitted or that belong to a product listing them as a contact. */
export function providerHome(ctx: ServiceContext, userId: string, limit = 20): ProviderHome {
  const { rows, total, ticketStatuses } = submissionsOf(ctx.db, userId, limit);
  return {
    total,
    submissions: rows.map(({ submission, product }) => ({
      ...submissionItem(submission, product, submission.reason),
      ticketStatuses: ticketStatuses.filter((t) => t.submissionId === submission.id).map((t) => t.status),
    })),
  };
}

function submissionItem(s: Submission, product: string, note: string | null): HomeItem {
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
