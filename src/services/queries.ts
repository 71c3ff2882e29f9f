/** Read-only views for `status`, `list` and `export`; they never write. */
import { DateTime } from 'luxon';
import { allHistory, type HistoryEntry, historyOf, listRefusals } from '../db/repositories/audit.js';
import { rememberedSite } from '../db/repositories/cards.js';
import {
  allEarlyAdopterReports,
  type EarlyAdopterReport,
  reportsOfSubmission,
} from '../db/repositories/early-adopter-reports.js';
import { listProducts } from '../db/repositories/products.js';
import { listRows } from '../db/repositories/reads.js';
import { itemsOfRelease, itemsTakenOut, listReleases, type Release } from '../db/repositories/releases.js';
import { listSubmissions, type Submission } from '../db/repositories/submissions.js';
import { listTickets, listTicketsOfSubmission, type Ticket } from '../db/repositories/tickets.js';
import { formatSubmissionId, formatTicketId, type SubjectId } from '../domain/ids.js';
import type { ProductCard } from '../domain/product.js';
import { formatReleaseName } from '../domain/releases.js';
import {
  OPEN_SUBMISSION_STATUSES,
  SUBMISSION_STATUSES,
  SUBMISSION_TABLE,
} from '../domain/submission-machine.js';
import {
  CLOCKED_TICKET_STATUSES,
  isInStagedRollout,
  OPEN_TICKET_STATUSES,
  TICKET_STATUSES,
  TICKET_TABLE,
} from '../domain/ticket-machine.js';
import {
  type DescriptorFacts,
  descriptorFacts,
  descriptorsForExport,
  type ExportedDescriptor,
} from '../domain/umd5-descriptor.js';
import type { ServiceContext } from './context.js';
import { InvalidInputError } from './errors.js';
import { getProduct } from './products.js';
import { loadSubmission } from './submissions.js';
import { loadTicket } from './tickets.js';

export interface SubmissionView {
  readonly submission: Submission;
  readonly product: ProductCard;
  readonly tickets: readonly Ticket[];
  readonly reports: readonly EarlyAdopterReport[];
  /** What its UMD5 descriptor says beyond the submission's own fields; null without one. */
  readonly descriptor: DescriptorFacts | null;
  /** The submission's and its tickets' history, oldest first. */
  readonly history: readonly (HistoryEntry & { readonly subject: string })[];
}

/**
 * The UMD5 descriptors of a submission, one per target platform (src/domain/umd5-descriptor.ts): the one it came
 * with, given back as it came, or one written from the submission and its Product ID card.
 */
export function exportDescriptors(ctx: ServiceContext, submissionId: number): ExportedDescriptor[] {
  const { submission, product } = loadSubmission(ctx.db, submissionId);
  return descriptorsForExport(
    {
      name: product.name,
      version: submission.version,
      releaseNotes: submission.releaseNotes,
      distribution: submission.distribution,
      platforms: submission.platforms,
      packagesByPlatform: submission.packagesByPlatform,
      releaseDate:
        DateTime.fromJSDate(submission.submittedAt, { zone: ctx.rules.timeZone }).toISODate() ?? '',
      descriptor: submission.descriptor,
      card: product,
    },
    ctx.platformNames,
  );
}

export function getSubmissionView(ctx: ServiceContext, submissionId: number): SubmissionView {
  const { submission, product } = loadSubmission(ctx.db, submissionId);
  const ticketsOf = listTicketsOfSubmission(ctx.db, submission.id);
  const history = [
    ...historyOf(ctx.db, 'submission', submission.id).map((entry) => ({
      ...entry,
      subject: formatSubmissionId(submission.id),
    })),
    ...ticketsOf.flatMap((ticket) =>
      historyOf(ctx.db, 'ticket', ticket.id).map((entry) => ({
        ...entry,
        subject: formatTicketId(ticket.id),
      })),
    ),
  ].sort((a, b) => a.id - b.id);
  return {
    submission,
    product,
    tickets: ticketsOf,
    reports: reportsOfSubmission(ctx.db, submission.id),
    descriptor: submission.descriptor ? descriptorFacts(submission.descriptor, ctx.platformNames) : null,
    history,
  };
}

/** A `SUB-n` shows itself; a `TKT-n` shows the submission it belongs to. */
export function getStatus(ctx: ServiceContext, subject: SubjectId): SubmissionView {
  const submissionId =
    subject.kind === 'submission' ? subject.id : loadTicket(ctx.db, subject.id).submissionId;
  return getSubmissionView(ctx, submissionId);
}

/** A product's latest submission (null: none yet), and the earlier ones, newest first. */
export function latestOfProduct(
  ctx: ServiceContext,
  productName: string,
): {
  readonly product: ProductCard;
  readonly latest: SubmissionView | null;
  readonly earlier: readonly Submission[];
} {
  const product = getProduct(ctx, productName);
  const [latest, ...earlier] = listSubmissions(ctx.db, { productId: product.id }).sort((a, b) => b.id - a.id);
  return { product, latest: latest ? getSubmissionView(ctx, latest.id) : null, earlier };
}

/**
 * What an early adopter needs to report on a release: the release, the platforms in staged rollout now (none:
 * it takes no more reports), and the site this person reported from last time.
 */
export function reportableRelease(ctx: ServiceContext, submissionId: number, userId: string) {
  const view = getSubmissionView(ctx, submissionId);
  return {
    view,
    platforms: view.tickets
      .filter((ticket) => isInStagedRollout(ticket.state))
      .map((ticket) => ticket.platform),
    rememberedSite: rememberedSite(ctx.db, userId),
  };
}

export interface ListRow {
  readonly id: string;
  readonly kind: 'submission' | 'ticket';
  readonly product: string;
  readonly version: string;
  readonly distribution: string;
  readonly platform: string | null;
  readonly status: string;
  readonly statusLabel: string;
  readonly security: boolean;
  readonly deadline: Date | null;
  readonly overdue: boolean;
}

export interface ListFilter {
  readonly status?: string;
  readonly overdue?: boolean;
  readonly at?: Date;
  /** Only what this Slack user submitted, is a contact for, or is assigned to. */
  readonly involving?: string;
}

const normalizeStatus = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/**
 * Tickets, and submissions not injected yet. An open submission shows as itself; once injected, its tickets
 * stand for it. Without a status, what is still in the process. Security releases come first.
 */
export function listItems(ctx: ServiceContext, filter: ListFilter = {}): ListRow[] {
  const at = filter.at ?? ctx.clock.now();
  const status = filter.status === undefined ? undefined : normalizeStatus(filter.status);
  const ticketStatus = TICKET_STATUSES.find(
    (s) => s === status || normalizeStatus(TICKET_TABLE[s].label) === status,
  );
  const submissionStatus = SUBMISSION_STATUSES.find(
    (s) => s === status || normalizeStatus(SUBMISSION_TABLE[s].label) === status,
  );
  if (status !== undefined && !ticketStatus && !submissionStatus) {
    throw new InvalidInputError([
      {
        field: 'status',
        message: `Unknown status "${filter.status}". Use one of: ${[...new Set([...TICKET_STATUSES, ...SUBMISSION_STATUSES])].join(', ')}.`,
      },
    ]);
  }

  const found = listRows(ctx.db, {
    submissionStatuses:
      status === undefined ? OPEN_SUBMISSION_STATUSES : submissionStatus ? [submissionStatus] : [],
    ticketStatuses: status === undefined ? OPEN_TICKET_STATUSES : ticketStatus ? [ticketStatus] : [],
    ...(filter.involving ? { involving: filter.involving } : {}),
    ...(filter.overdue ? { overdueAt: at } : {}),
  });
  const clocked: readonly string[] = CLOCKED_TICKET_STATUSES;
  const rows: ListRow[] = [
    ...found.submissions.map(
      ({ submission: s, product }): ListRow => ({
        id: formatSubmissionId(s.id),
        kind: 'submission',
        product,
        version: s.version,
        distribution: s.distribution,
        platform: null,
        status: s.status,
        statusLabel: SUBMISSION_TABLE[s.status as keyof typeof SUBMISSION_TABLE].label,
        security: s.security,
        deadline: s.deadline,
        overdue: s.status === 'open' && s.deadline !== null && s.deadline <= at,
      }),
    ),
    ...found.tickets.map(
      ({ ticket: t, product, version, distribution, security }): ListRow => ({
        id: formatTicketId(t.id),
        kind: 'ticket',
        product,
        version,
        distribution,
        platform: t.platform,
        status: t.status,
        statusLabel: TICKET_TABLE[t.status as keyof typeof TICKET_TABLE].label,
        security,
        deadline: t.deadline,
        overdue:
          t.status === 'delayed' || (clocked.includes(t.status) && t.deadline !== null && t.deadline <= at),
      }),
    ),
  ];
  return rows.sort((a, b) => Number(b.security) - Number(a.security));
}

export interface ExportData {
  readonly exportedAt: string;
  readonly products: readonly ProductCard[];
  readonly submissions: readonly (Submission & { readonly tickets: readonly Ticket[] })[];
  readonly history: readonly HistoryEntry[];
  readonly refusals: ReturnType<typeof listRefusals>;
  readonly earlyAdopterReports: readonly EarlyAdopterReport[];
  /**
   * Every release, with the tickets it holds (a planned release: only those added by hand, until its freeze) and
   * those staff took out of it before its freeze.
   */
  readonly releases: readonly (Release & {
    readonly name: string;
    readonly ticketIds: readonly number[];
    readonly takenOutTicketIds: readonly number[];
  })[];
}

export function exportAll(ctx: ServiceContext): ExportData {
  const ticketsBySubmission = new Map<number, Ticket[]>();
  for (const ticket of listTickets(ctx.db)) {
    const list = ticketsBySubmission.get(ticket.submissionId);
    if (list) list.push(ticket);
    else ticketsBySubmission.set(ticket.submissionId, [ticket]);
  }
  return {
    exportedAt: ctx.clock.now().toISOString(),
    products: listProducts(ctx.db),
    submissions: listSubmissions(ctx.db).map((submission) => ({
      ...submission,
      tickets: ticketsBySubmission.get(submission.id) ?? [],
    })),
    history: allHistory(ctx.db),
    refusals: listRefusals(ctx.db),
    earlyAdopterReports: allEarlyAdopterReports(ctx.db),
    releases: listReleases(ctx.db).map((release) => ({
      ...release,
      name: formatReleaseName(release),
      ticketIds: itemsOfRelease(ctx.db, release.id).map((item) => item.ticketId),
      takenOutTicketIds: itemsTakenOut(ctx.db, release.id).map((item) => item.ticketId),
    })),
  };
}
