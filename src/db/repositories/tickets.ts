import { and, asc, eq, gt, inArray, isNull, lte, ne, or, sql } from 'drizzle-orm';
import {
  CLOCKED_TICKET_STATUSES,
  OPEN_TICKET_STATUSES,
  type TicketEventType,
  type TicketState,
  type TicketStatus,
} from '../../domain/ticket-machine.js';
import type { DB } from '../index.js';
import { literalList, statusIn } from '../literals.js';
import { DUE_REMINDER, type StoredQcResult, submissions, tickets } from '../schema.js';
import { cachedOn, rowReader, updater } from '../statements.js';
import { fromClockedState, PROCESS_COLUMNS, toClockedState } from './process-state.js';

type Row = typeof tickets.$inferSelect;

export interface Ticket {
  readonly id: number;
  readonly submissionId: number;
  readonly platform: string;
  readonly assignee: string | null;
  readonly packages: readonly string[];
  readonly createdAt: Date;
  /** Which message tells early adopters of its staged rollout (null: none yet). */
  readonly announcedIn: 'announcement' | 'own_message' | null;
  /** When the product team's notice of a delay last went out. */
  readonly delayNoticeSentAt: Date | null;
  /** The quality criteria's results of its last verification (passed or failed); null before one. */
  readonly qcResults: readonly StoredQcResult[] | null;
  /** Marked Ready although no early-adopter site had reported "Installed, works" on its platform. */
  readonly readyWithoutWorksReport: boolean;
  readonly state: TicketState;
}

// Object.assign onto the clocked state below, not a spread followed by more properties: in Node 20 each property a
// literal adds after a spread costs about a microsecond, and every move reads and writes a ticket (docs/performance.md).
export function toTicket(row: Row): Ticket {
  return {
    id: row.id,
    submissionId: row.submissionId,
    platform: row.platform,
    assignee: row.assignee,
    packages: row.packages,
    createdAt: row.createdAt,
    announcedIn: row.announcedIn,
    delayNoticeSentAt: row.delayNoticeSentAt,
    qcResults: row.qcResults,
    readyWithoutWorksReport: row.readyWithoutWorksReport,
    state: Object.assign(toClockedState<TicketStatus, TicketEventType>(row), {
      delayedFrom: row.delayedFrom as TicketStatus | null,
      delayExplanation: row.delayExplanation,
      verificationReportUrl: row.verificationReportUrl,
      stagedRolloutReportUrl: row.stagedRolloutReportUrl,
    }),
  };
}

function stateColumns(state: TicketState) {
  return Object.assign(fromClockedState(state), {
    delayedFrom: state.delayedFrom,
    delayExplanation: state.delayExplanation,
    verificationReportUrl: state.verificationReportUrl,
    stagedRolloutReportUrl: state.stagedRolloutReportUrl,
  });
}

export type NewTicket = Omit<
  Ticket,
  'id' | 'announcedIn' | 'delayNoticeSentAt' | 'qcResults' | 'readyWithoutWorksReport'
>;

export function insertTicket(db: DB, ticket: NewTicket): Ticket {
  const { state, packages, ...fields } = ticket;
  const row = db
    .insert(tickets)
    .values({ ...fields, packages: [...packages], ...stateColumns(state) })
    .returning()
    .get();
  return toTicket(row);
}

const ticketRows = rowReader(tickets);

export function findTicket(db: DB, id: number): Ticket | null {
  const row = ticketRows.one(ticketRows.statement(db, 'id = ?').get(id));
  return row ? toTicket(row) : null;
}

export function listTicketsOfSubmission(db: DB, submissionId: number): Ticket[] {
  return db
    .select()
    .from(tickets)
    .where(eq(tickets.submissionId, submissionId))
    .orderBy(asc(tickets.id))
    .all()
    .map(toTicket);
}

const updateTicketState = updater(
  tickets,
  [...PROCESS_COLUMNS, 'delayedFrom', 'delayExplanation', 'verificationReportUrl', 'stagedRolloutReportUrl'],
  ['id', 'stateVersion'],
);

/** Writes a new state over the version it was computed from; false when someone else changed it first. */
export function saveTicketState(db: DB, id: number, fromVersion: number, state: TicketState): boolean {
  // Prepared once (statements.ts): this runs for every ticket a delay check moves.
  return updateTicketState(db, stateColumns(state), { id, stateVersion: fromVersion }).changes === 1;
}

/** The quality criteria's results of the ticket's verification, written with the move that records them. */
export function saveQcResults(db: DB, id: number, results: readonly StoredQcResult[]): void {
  db.update(tickets)
    .set({ qcResults: results.map((result) => ({ ...result })) })
    .where(eq(tickets.id, id))
    .run();
}

/** Which message tells early adopters of this ticket's staged rollout. */
export function markAnnouncedIn(db: DB, id: number, message: NonNullable<Ticket['announcedIn']>): void {
  db.update(tickets).set({ announcedIn: message }).where(eq(tickets.id, id)).run();
}

/** Whether it was marked Ready without a site reporting "Installed, works" on its platform. */
export function setReadyWithoutWorksReport(db: DB, id: number, without: boolean): void {
  db.update(tickets).set({ readyWithoutWorksReport: without }).where(eq(tickets.id, id)).run();
}

/** The product team's notice of these tickets' delays went out at `at`. */
export function markDelayNoticeSent(db: DB, ids: readonly number[], at: Date): void {
  if (ids.length === 0) return;
  db.update(tickets)
    .set({ delayNoticeSentAt: at })
    .where(inArray(tickets.id, [...ids]))
    .run();
}

/** How many of these tickets are Delayed now: one query, however many (up to tens of thousands). */
export function countDelayedTickets(db: DB, ids: readonly number[]): number {
  if (ids.length === 0) return 0;
  const row = db
    .select({ count: sql<number>`count(*)` })
    .from(tickets)
    .where(
      and(
        statusIn(tickets.status, ['delayed']),
        sql`${tickets.id} in (select value from json_each(${JSON.stringify(ids)}))`,
      ),
    )
    .get();
  return row?.count ?? 0;
}

/** Tickets whose limit has passed by `at`, oldest deadline first. */
export function listDueTickets(db: DB, at: Date): Ticket[] {
  // Through the row reader: the delay check may read thousands of these at once.
  const statuses = literalList(CLOCKED_TICKET_STATUSES);
  const statement = ticketRows.statement(
    db,
    `status in (${statuses}) and deadline <= ? order by deadline, id`,
  );
  return ticketRows.all(statement.all(at.getTime())).map(toTicket);
}

export function listTickets(db: DB, statuses?: readonly TicketStatus[]): Ticket[] {
  return db
    .select()
    .from(tickets)
    .where(statuses ? statusIn(tickets.status, statuses) : undefined)
    .orderBy(asc(tickets.id))
    .all()
    .map(toTicket);
}

/** Clocked tickets whose deadline falls in (after, upTo] and that were not warned about for that deadline. */
export function listTicketsToWarn(db: DB, after: Date, upTo: Date): Ticket[] {
  return db
    .select()
    .from(tickets)
    .where(
      and(
        statusIn(tickets.status, CLOCKED_TICKET_STATUSES),
        gt(tickets.deadline, after),
        lte(tickets.deadline, upTo),
        or(isNull(tickets.warnedForDeadline), ne(tickets.warnedForDeadline, tickets.deadline)),
      ),
    )
    .orderBy(asc(tickets.deadline))
    .all()
    .map(toTicket);
}

export function markTicketWarned(db: DB, id: number, deadline: Date): void {
  db.update(tickets).set({ warnedForDeadline: deadline }).where(eq(tickets.id, id)).run();
}

/** Tickets in staged rollout since `enteredBy` or earlier with no early-adopter report, not yet warned about. */
export function listSilentStagedRollouts(db: DB, enteredBy: Date): Ticket[] {
  const statement = ticketRows.statement(
    db,
    `${DUE_REMINDER.earlyAdopterSilence} and entered_at <= ?
       and not exists (select 1 from early_adopter_reports r where r.ticket_id = tickets.id and r.at >= tickets.entered_at)`,
    'tickets_silence_unwarned',
  );
  return ticketRows.all(statement.all(enteredBy.getTime())).map(toTicket);
}

export function markSilenceWarned(db: DB, id: number, enteredAt: Date): void {
  db.update(tickets).set({ earlyAdopterSilenceWarnedFor: enteredAt }).where(eq(tickets.id, id)).run();
}

/** Tickets waiting for their provider since `enteredBy` or earlier whose provider was not reminded yet. */
export function listTicketsWaitingSince(db: DB, enteredBy: Date): Ticket[] {
  const statement = ticketRows.statement(
    db,
    `${DUE_REMINDER.waitingForProvider} and entered_at <= ?`,
    'tickets_waiting_unreminded',
  );
  return ticketRows.all(statement.all(enteredBy.getTime())).map(toTicket);
}

export function markTicketReminded(db: DB, id: number, enteredAt: Date): void {
  db.update(tickets).set({ remindedForWait: enteredAt }).where(eq(tickets.id, id)).run();
}

/** Open tickets of the solved submissions of one product and distribution, except one submission's. */
export function listLiveTicketsOfProduct(
  db: DB,
  productId: number,
  distribution: string,
  exceptSubmission: number,
): Ticket[] {
  const statement = cachedOn(db, 'tickets.liveOfProduct', () =>
    db
      .select({ ticket: tickets })
      .from(tickets)
      .innerJoin(submissions, eq(submissions.id, tickets.submissionId))
      .where(
        and(
          eq(submissions.productId, sql.placeholder('productId')),
          eq(submissions.distribution, sql.placeholder('distribution')),
          statusIn(submissions.status, ['solved']),
          ne(submissions.id, sql.placeholder('exceptSubmission')),
          statusIn(tickets.status, OPEN_TICKET_STATUSES),
        ),
      )
      .orderBy(asc(tickets.id))
      .prepare(),
  );
  return statement.all({ productId, distribution, exceptSubmission }).map((row) => toTicket(row.ticket));
}
