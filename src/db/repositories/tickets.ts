import { and, asc, eq, gt, isNull, lte, ne, or, sql } from 'drizzle-orm';
import type { TicketEventType, TicketState, TicketStatus } from '../../domain/ticket-machine.js';
import type { DbOrTx } from '../index.js';
import { literalList, statusIn } from '../literals.js';
import { connectionOf, prepared } from '../prepared.js';
import { rowReader } from '../rows.js';
import { DUE_REMINDER, submissions, tickets } from '../schema.js';
import { fromClockedState, toClockedState } from './process-state.js';

type Row = typeof tickets.$inferSelect;

export interface Ticket {
  readonly id: number;
  readonly submissionId: number;
  readonly platform: string;
  readonly assignee: string | null;
  readonly packages: readonly string[];
  readonly createdAt: Date;
  readonly state: TicketState;
}

/** The statuses whose clock can pass; the delay check reads only these, through the (status, deadline) index. */
export const CLOCKED_TICKET_STATUSES = ['unverified', 'verification', 'staged_rollout'] as const;

export function toTicket(row: Row): Ticket {
  return {
    id: row.id,
    submissionId: row.submissionId,
    platform: row.platform,
    assignee: row.assignee,
    packages: row.packages,
    createdAt: row.createdAt,
    state: {
      ...toClockedState<TicketStatus, TicketEventType>(row),
      delayedFrom: row.delayedFrom as TicketStatus | null,
      delayExplanation: row.delayExplanation,
      verificationReportUrl: row.verificationReportUrl,
      stagedRolloutReportUrl: row.stagedRolloutReportUrl,
    },
  };
}

function stateColumns(state: TicketState) {
  return {
    ...fromClockedState(state),
    delayedFrom: state.delayedFrom,
    delayExplanation: state.delayExplanation,
    verificationReportUrl: state.verificationReportUrl,
    stagedRolloutReportUrl: state.stagedRolloutReportUrl,
  };
}

export type NewTicket = Omit<Ticket, 'id'>;

export function insertTicket(db: DbOrTx, ticket: NewTicket): Ticket {
  const { state, packages, ...fields } = ticket;
  const row = db
    .insert(tickets)
    .values({ ...fields, packages: [...packages], ...stateColumns(state) })
    .returning()
    .get();
  return toTicket(row);
}

const ticketRows = rowReader(tickets);

export function findTicket(db: DbOrTx, id: number): Ticket | null {
  const row = ticketRows.one(ticketRows.statement(db, 'tickets.byId', 'id = ?').get(id));
  return row ? toTicket(row) : null;
}

export function listTicketsOfSubmission(db: DbOrTx, submissionId: number): Ticket[] {
  return db
    .select()
    .from(tickets)
    .where(eq(tickets.submissionId, submissionId))
    .orderBy(asc(tickets.id))
    .all()
    .map(toTicket);
}

/** Writes a new state over the version it was computed from; false when someone else changed it first. */
export function saveTicketState(db: DbOrTx, id: number, fromVersion: number, state: TicketState): boolean {
  // Raw SQL: drizzle cannot prepare an update whose set clause has placeholders, and this runs for every
  // ticket a delay check moves.
  const statement = prepared(db, 'tickets.saveState', () =>
    connectionOf(db).prepare(
      `update tickets set status = @status, state_version = @version, entered_at = @enteredAt, deadline = @deadline,
         paused_ms = @pausedMs, waiting_from = @waitingFrom, reason = @reason, last_changed_by = @lastChangedBy,
         last_event = @lastEvent, last_changed_at = @lastChangedAt, delayed_from = @delayedFrom,
         delay_explanation = @delayExplanation, verification_report_url = @verificationReportUrl,
         staged_rollout_report_url = @stagedRolloutReportUrl
       where id = @id and state_version = @fromVersion`,
    ),
  );
  const result = statement.run({
    id,
    fromVersion,
    status: state.status,
    version: state.version,
    enteredAt: state.enteredAt.getTime(),
    deadline: state.deadline?.getTime() ?? null,
    pausedMs: state.pausedMs,
    waitingFrom: state.waitingFrom,
    reason: state.reason,
    lastChangedBy: state.lastChange?.by ?? null,
    lastEvent: state.lastChange?.event ?? null,
    lastChangedAt: state.lastChange?.at.getTime() ?? null,
    delayedFrom: state.delayedFrom,
    delayExplanation: state.delayExplanation,
    verificationReportUrl: state.verificationReportUrl,
    stagedRolloutReportUrl: state.stagedRolloutReportUrl,
  });
  return result.changes === 1;
}

/** How many of these tickets are Delayed now: one query, however many (up to tens of thousands). */
export function countDelayedTickets(db: DbOrTx, ids: readonly number[]): number {
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
export function listDueTickets(db: DbOrTx, at: Date): Ticket[] {
  // Through the row reader: the delay check may read thousands of these at once.
  const statuses = literalList(CLOCKED_TICKET_STATUSES);
  const statement = ticketRows.statement(
    db,
    'tickets.due',
    `status in (${statuses}) and deadline <= ? order by deadline, id`,
  );
  return ticketRows.all(statement.all(at.getTime())).map(toTicket);
}

export function listTickets(db: DbOrTx, statuses?: readonly TicketStatus[]): Ticket[] {
  return db
    .select()
    .from(tickets)
    .where(statuses ? statusIn(tickets.status, statuses) : undefined)
    .orderBy(asc(tickets.id))
    .all()
    .map(toTicket);
}

/** Clocked tickets whose deadline falls in (after, upTo] and that were not warned about for that deadline. */
export function listTicketsToWarn(db: DbOrTx, after: Date, upTo: Date): Ticket[] {
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

export function markTicketWarned(db: DbOrTx, id: number, deadline: Date): void {
  db.update(tickets).set({ warnedForDeadline: deadline }).where(eq(tickets.id, id)).run();
}

/** Tickets in staged rollout since `enteredBy` or earlier with no early-adopter report, not yet warned about. */
export function listSilentStagedRollouts(db: DbOrTx, enteredBy: Date): Ticket[] {
  const statement = ticketRows.statement(
    db,
    'tickets.silenceUnwarned',
    `${DUE_REMINDER.earlyAdopterSilence} and entered_at <= ?
       and not exists (select 1 from early_adopter_reports r where r.ticket_id = tickets.id and r.at >= tickets.entered_at)`,
    'tickets_silence_unwarned',
  );
  return ticketRows.all(statement.all(enteredBy.getTime())).map(toTicket);
}

export function markSilenceWarned(db: DbOrTx, id: number, enteredAt: Date): void {
  db.update(tickets).set({ earlyAdopterSilenceWarnedFor: enteredAt }).where(eq(tickets.id, id)).run();
}

/** Tickets waiting for their provider since `enteredBy` or earlier whose provider was not reminded yet. */
export function listTicketsWaitingSince(db: DbOrTx, enteredBy: Date): Ticket[] {
  const statement = ticketRows.statement(
    db,
    'tickets.waitingUnreminded',
    `${DUE_REMINDER.waitingForProvider} and entered_at <= ?`,
    'tickets_waiting_unreminded',
  );
  return ticketRows.all(statement.all(enteredBy.getTime())).map(toTicket);
}

export function markTicketReminded(db: DbOrTx, id: number, enteredAt: Date): void {
  db.update(tickets).set({ remindedForWait: enteredAt }).where(eq(tickets.id, id)).run();
}

/** Open tickets of the solved submissions of one product and distribution, except one submission's. */
export function listLiveTicketsOfProduct(
  db: DbOrTx,
  productId: number,
  distribution: string,
  exceptSubmission: number,
): Ticket[] {
  const statement = prepared(db, 'tickets.liveOfProduct', () =>
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
          statusIn(tickets.status, [...CLOCKED_TICKET_STATUSES, 'delayed', 'waiting_for_provider']),
        ),
      )
      .orderBy(asc(tickets.id))
      .prepare(),
  );
  return statement.all({ productId, distribution, exceptSubmission }).map((row) => toTicket(row.ticket));
}
