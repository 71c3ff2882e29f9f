import { and, asc, eq, gt, inArray, isNull, lte, ne, or, sql } from 'drizzle-orm';
import type { TicketEventType, TicketState, TicketStatus } from '../../domain/ticket-machine.js';
import type { DbOrTx } from '../index.js';
import { tickets } from '../schema.js';
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

export function findTicket(db: DbOrTx, id: number): Ticket | null {
  const row = db.select().from(tickets).where(eq(tickets.id, id)).get();
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
  const result = db
    .update(tickets)
    .set(stateColumns(state))
    .where(and(eq(tickets.id, id), eq(tickets.stateVersion, fromVersion)))
    .run();
  return result.changes === 1;
}

/** Tickets whose limit has passed by `at`, oldest deadline first. */
export function listDueTickets(db: DbOrTx, at: Date): Ticket[] {
  return db
    .select()
    .from(tickets)
    .where(and(inArray(tickets.status, [...CLOCKED_TICKET_STATUSES]), lte(tickets.deadline, at)))
    .orderBy(asc(tickets.deadline), asc(tickets.id))
    .all()
    .map(toTicket);
}

export function listTickets(db: DbOrTx, statuses?: readonly TicketStatus[]): Ticket[] {
  return db
    .select()
    .from(tickets)
    .where(statuses ? inArray(tickets.status, [...statuses]) : undefined)
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
        inArray(tickets.status, [...CLOCKED_TICKET_STATUSES]),
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
  return db
    .select()
    .from(tickets)
    .where(
      and(
        eq(tickets.status, 'staged_rollout'),
        lte(tickets.enteredAt, enteredBy),
        or(
          isNull(tickets.earlyAdopterSilenceWarnedFor),
          ne(tickets.earlyAdopterSilenceWarnedFor, tickets.enteredAt),
        ),
        sql`not exists (select 1 from early_adopter_reports r where r.ticket_id = ${tickets.id} and r.at >= ${tickets.enteredAt})`,
      ),
    )
    .all()
    .map(toTicket);
}

export function markSilenceWarned(db: DbOrTx, id: number, enteredAt: Date): void {
  db.update(tickets).set({ earlyAdopterSilenceWarnedFor: enteredAt }).where(eq(tickets.id, id)).run();
}

/** Tickets waiting for their provider since `enteredBy` or earlier whose provider was not reminded yet. */
export function listTicketsWaitingSince(db: DbOrTx, enteredBy: Date): Ticket[] {
  return db
    .select()
    .from(tickets)
    .where(
      and(
        eq(tickets.status, 'waiting_for_provider'),
        lte(tickets.enteredAt, enteredBy),
        or(isNull(tickets.remindedForWait), ne(tickets.remindedForWait, tickets.enteredAt)),
      ),
    )
    .all()
    .map(toTicket);
}

export function markTicketReminded(db: DbOrTx, id: number, enteredAt: Date): void {
  db.update(tickets).set({ remindedForWait: enteredAt }).where(eq(tickets.id, id)).run();
}
